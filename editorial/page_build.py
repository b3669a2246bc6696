"""The digests of everything but the content that renders a page: the build
(code, templates, static files, package versions) and the settings pages show.
Every page key carries both, so a deploy or new settings never serve old pages."""

import hashlib
from functools import cache
from importlib import import_module, metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings


def _sources():
    """The project's own code, templates and static files: every installed app
    that lives in the project, the settings package, and the shared folders."""
    root = Path(settings.BASE_DIR).resolve()
    folders = {Path(import_module(settings.ROOT_URLCONF).__file__).parent.resolve()}
    folders |= {Path(config.path).resolve() for config in apps.get_app_configs()}
    for engine in settings.TEMPLATES:
        folders |= {Path(folder).resolve() for folder in engine.get("DIRS", [])}
    folders |= {Path(folder).resolve() for folder in settings.STATICFILES_DIRS}
    # Top-level folders only: a virtualenv inside the project is not its code.
    return {folder for folder in folders if folder.parent == root}


def _app_assets():
    """Every installed app's templates and static files, found from the registry."""
    for config in apps.get_app_configs():
        for kind in ("templates", "static"):
            folder = Path(config.path) / kind
            if folder.is_dir():
                yield f"{config.label}/{kind}", folder


def _files(folder, suffixes=None):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "migrations" not in path.parts:
            if suffixes is None or path.suffix in suffixes:
                yield path


@cache
def build_id():
    """A digest of everything that renders a page but the content: the
    installed packages' versions, the project's code, and every installed
    app's templates and static files. A deploy never serves old pages."""
    digest = hashlib.sha256()
    for dist in sorted(
        metadata.distributions(), key=lambda d: (d.metadata["Name"] or "").lower()
    ):
        digest.update(f"{dist.metadata['Name']}=={dist.version}\n".encode())
    code = {".py", ".html", ".css", ".js", ".svg", ".txt", ".json"}
    root = Path(settings.BASE_DIR).resolve()
    # Named the same on every node, wherever the code or the venv lives.
    folders = [(str(f.relative_to(root)), f, code) for f in _sources()]
    folders += [(name, folder, None) for name, folder in _app_assets()]
    for name, folder, suffixes in sorted(folders, key=lambda f: f[0]):
        for path in _files(folder, suffixes):
            digest.update(f"{name}/{path.relative_to(folder)}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Settings a page shows or sends with it. They are read at start-up, so a
# restart with new ones renders anew; the key says so too (and tests that
# change them in-process see the change).
PAGE_SETTINGS = (
    "SITE_NAME",
    "SITE_URL",
    "QUICK_EXIT_ENABLED",
    "QUICK_EXIT_URL",
    "SEARCH_NO_RESULTS_REPORT",
    "HANDOUT_KEEP_DAYS",
    "PAGE_MAX_AGE",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "STATIC_URL",
    "MEDIA_URL",
    "STORAGES",
    "DEBUG",
    # Headers kept with a page (ReaderPages serves them as they were sent).
    "CONTENT_SECURITY_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
)


@cache
def settings_id():
    values = "\n".join(
        f"{name}={getattr(settings, name, None)!r}" for name in PAGE_SETTINGS
    )
    return hashlib.sha256(values.encode()).hexdigest()[:16]


def page_key(version, scheme, host, path, query, day):
    """A page's cache key and ETag, from every input it is rendered from."""
    parts = [build_id(), settings_id(), version.key, scheme, host, path, query, day]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}", f'"{version.number}-{digest[:20]}"'
