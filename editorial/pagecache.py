"""Reader pages rendered once per content version, then served from the cache.

A view marked with ``@reader_page(...)`` is cached whole for anonymous GETs:
keyed by the page's address, its normalised query (only the parameters the
view reads, last value wins as ``QueryDict.get`` does), the day (pages print
it), the code's build and the content version. Because every key carries the
version, no node is ever told to forget anything, and even the per-process
memory tier is never stale.

Why not Django's cache middleware: its key is the full URL (any ``?x=1`` is a
new page), it knows no content version, and it sits behind the session and
authentication middleware that a cached page does not need.

Two tiers: ``caches["local"]`` (this process's memory) in front of
``caches["default"]`` (shared by every node: the database cache, or Redis with
``CACHE_URL``). A cache that fails is logged and skipped: it never fails a
request.
"""

import datetime
import hashlib
import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import format_datetime
from functools import cache, lru_cache
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response

from . import versions

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 60 * 60 * 24 * 2  # a key carries the day, so two days is plenty


@dataclass(frozen=True)
class Page:
    """A page's template and the one function that builds its context.

    The HTML page, its PDF and the editor's preview all render from these.
    """

    template: str
    context: Callable[..., dict]

    def render(self, request, extra=None, **kwargs):
        return HttpResponse(self.render_to_string(request, extra, **kwargs))

    def render_to_string(self, request, extra=None, **kwargs):
        context = self.context(**kwargs) | (extra or {})
        return render_to_string(self.template, context, request=request)


@dataclass(frozen=True)
class PageRules:
    params: tuple = ()
    multi: tuple = ()
    private: bool = False
    page: Page | None = None


def reader_page(params=(), multi=(), private=False, page=None):
    """Mark a view as a reader page, cached per content version.

    ``params`` are the single-valued query parameters the view reads and
    ``multi`` the repeated ones; the view sees only these. ``private`` pages
    (search results) may be kept by the reader's browser but not by a shared
    proxy. ``page`` lets the preview render the view's page from its context.
    """
    rules = PageRules(tuple(params), tuple(multi), private, page)

    def decorate(view):
        view.reader_page = rules
        return view

    return decorate


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


@cache
def build_id():
    """A digest of the code and templates, so a deploy never serves old pages."""
    digest = hashlib.sha256()
    for folder in sorted(_sources()):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html", ".css", ".js", ".svg"} and (
                "migrations" not in path.parts
            ):
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_get(key):
    """The value from the nearest tier that has it, or None."""
    for alias in ("local", "default"):
        try:
            value = caches[alias].get(key)
        except Exception:
            logger.warning("Cache %r failed to read; going on without it", alias)
            continue
        if value is not None:
            if alias == "default":
                _quiet_set("local", key, value, PAGE_TIMEOUT)
            return value
    return None


_preview = threading.local()


@contextmanager
def not_stored():
    """Nothing rendered inside is kept: an editor's preview of unsaved edits.

    Its transaction is rolled back, so data built from it must never be served.
    """
    _preview.active = True
    try:
        yield
    finally:
        _preview.active = False


def cache_set(key, value, timeout=PAGE_TIMEOUT):
    if getattr(_preview, "active", False):
        return
    for alias in ("local", "default"):
        _quiet_set(alias, key, value, timeout)


def _quiet_set(alias, key, value, timeout):
    try:
        caches[alias].set(key, value, timeout)
    except Exception:
        logger.warning("Cache %r failed to write; going on without it", alias)


def per_version(name, build):
    """Data many pages share (glossary terms, figures), built once per version."""
    key = f"data:{name}:{build_id()}:{versions.current().key}"
    value = cache_get(key)
    if value is None:
        value = build()
        cache_set(key, value)
    return value


def find(items, **wanted):
    """The item of a per-version list with these attributes, or a 404."""
    for item in items:
        if all(getattr(item, name) == value for name, value in wanted.items()):
            return item
    raise Http404


def normalised_query(query, rules):
    """Only the parameters the view reads, in a fixed order."""
    clean = QueryDict(mutable=True)
    for name in sorted(rules.params):
        value = query.get(name)
        if value is not None:
            clean[name] = value
    for name in sorted(rules.multi):
        values = query.getlist(name)
        if values:
            clean.setlist(name, values)
    clean._mutable = False
    return clean


def _rules_for(request):
    if request.method not in ("GET", "HEAD"):
        return None
    # Signed-in staff see fresh pages and never fill the cache for readers. A
    # made-up session cookie is a reader's request: it must not skip the cache.
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if key and _session_exists(key):
        return None
    return _rules_for_path(request.path_info)


def _session_exists(key):
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore()
    # A key of the wrong shape is not looked up at all.
    return store._validate_session_key(key) and store.exists(key)


@lru_cache(maxsize=2048)
def _rules_for_path(path):
    # Resolving costs more than the rest of a cached response: remember it.
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "reader_page", None)


def _last_modified(version, now):
    # Pages print today's date, so they change at midnight as well.
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    changed = version.changed_at
    return max(midnight, changed).replace(microsecond=0) if changed else midnight


@lru_cache(maxsize=64)
def _http_date(moment):
    return format_datetime(moment.astimezone(datetime.UTC), usegmt=True)


def _validators(response, etag, last_modified, rules):
    response["ETag"] = etag
    response["Last-Modified"] = _http_date(last_modified)
    # Reader pages set no Cache-Control of their own (those that do are not
    # cached), so this is the whole header.
    visibility = "private" if rules.private else "public"
    response["Cache-Control"] = (
        f"{visibility}, max-age={settings.PAGE_MAX_AGE}, must-revalidate"
    )
    return response


class ReaderPageCacheMiddleware:
    """Serve reader pages from the cache; answer revalidation with a 304."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rules = _rules_for(request)
        if rules is None:
            return self.get_response(request)
        try:
            query = normalised_query(request.GET, rules)
            host = request.get_host()
        except SuspiciousOperation:
            # A bad host or an absurd query string: the view or Django answers.
            return self.get_response(request)
        version = versions.read()
        now = timezone.localtime()
        parts = [
            build_id(),
            version.key,
            host,
            request.path,
            query.urlencode(),
            now.date().isoformat(),
            settings.SITE_URL,
        ]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        etag = f'"{version.number}-{digest[:20]}"'
        last_modified = _last_modified(version, now)
        key = f"page:{digest}"

        # Only an ETag we gave out proves the page existed: answer it unread.
        if etag in request.headers.get("If-None-Match", ""):
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return _validators(not_modified, etag, last_modified, rules)

        stored = cache_get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
        else:
            # The view sees exactly what the key saw, and data it shares
            # with other pages comes from the same version.
            request.GET = query
            with versions.remembered(version):
                response = self.get_response(request)
            if not self._storable(response):
                return response
            entry = (response.status_code, self._headers(response), response.content)
            cache_set(key, entry)
        response = _validators(response, etag, last_modified, rules)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        return conditional or response

    @staticmethod
    def _storable(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-store" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _headers(response):
        skip = {"etag", "last-modified", "cache-control", "date"}
        return [(k, v) for k, v in response.items() if k.lower() not in skip]
