"""Reader pages rendered once per content version, then served from the cache.

A view marked with ``@reader_page(...)`` is cached whole for anonymous GETs:
keyed by the page's address, its normalised query (only the parameters the
view reads, last value wins as ``QueryDict.get`` does), the day (pages print
it), the code's build (code, templates, static files, package versions), the
settings pages show, and the content version. Because every key carries the
version, no node is ever told to forget anything, and even the per-process
memory tiers are never stale.

Three tiers. ``ReaderPages`` wraps the WSGI application: it keeps each page
exactly as the whole stack sent it (bytes, every header, ETag) in this
process's memory and answers a cookie-less GET or HEAD from there, 304s
included, before Django's handler or any middleware runs; it learns of a new
content version from ``versions.latest()`` without a query. Behind it,
``ReaderPageCacheMiddleware`` keeps pages in ``caches["local"]`` and
``caches["default"]`` (shared by every node: the database cache, or Redis).

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
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import format_datetime
from functools import cache, lru_cache
from importlib import import_module, metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.signals import setting_changed
from django.dispatch import receiver
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


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    settings_id.cache_clear()
    _day.cache_clear()
    if setting == "CACHES":
        store.clear()  # each test's caches start empty, this tier too


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
    """Data many pages share (glossary terms, figures), built once per version.

    None is never kept: it stands for something that may come into being
    without a new content version (a handout saved by a reader).
    """
    key = f"data:{name}:{build_id()}:{versions.current().key}"
    value = cache_get(key)
    if value is None:
        value = build()
        if value is not None:
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


# Pages being rendered in this process, each by one thread; the others asking
# for it wait up to FOLLOW_SECONDS for that copy instead of rendering it too.
FOLLOW_SECONDS = 5
_rendering = {}
_rendering_lock = threading.Lock()


def _lead_or_follow(key):
    """None: this thread renders the page. Else the event to wait for."""
    with _rendering_lock:
        event = _rendering.get(key)
        if event is None:
            _rendering[key] = threading.Event()
        return event


def _rendered(key):
    with _rendering_lock:
        event = _rendering.pop(key, None)
    if event is not None:
        event.set()


def page_key(version, scheme, host, path, query, day):
    """A page's cache key and ETag, from every input it is rendered from."""
    parts = [build_id(), settings_id(), version.key, scheme, host, path, query, day]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}", f'"{version.number}-{digest[:20]}"'


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
        version = versions.latest()
        now = timezone.localtime()
        key, etag = page_key(
            version,
            request.scheme,
            host,
            request.path,
            query.urlencode(),
            now.date().isoformat(),
        )
        last_modified = _last_modified(version, now)

        # Only an ETag we gave out proves the page existed: answer it unread.
        if etag in request.headers.get("If-None-Match", ""):
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return _validators(not_modified, etag, last_modified, rules)

        stored, waited = cache_get(key), None
        if stored is None:
            waited = _lead_or_follow(key)
            if waited is not None:
                # Another thread of this process is rendering this page (a new
                # version makes every reader miss at once): take its copy.
                waited.wait(FOLLOW_SECONDS)
                stored = cache_get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
        else:
            try:
                # The view sees exactly what the key saw, and data it shares
                # with other pages comes from the same version.
                request.GET = query
                with versions.remembered(version):
                    response = self.get_response(request)
                if not self._storable(response):
                    return response
                entry = (
                    response.status_code,
                    self._headers(response),
                    response.content,
                )
                cache_set(key, entry)
            finally:
                if waited is None:
                    _rendered(key)
        response = _validators(response, etag, last_modified, rules)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        if conditional is response:
            # ReaderPages keeps it as the whole stack sends it, for this key.
            response.reader_page_key = key
        return conditional

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


# This process's copy of pages as they were sent: bounded in count and bytes,
# the least recently served dropped first. A page larger than an eighth of the
# whole is not kept here (the shared tiers still have it).
STORE_ENTRIES = 1000
STORE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Sent:
    """A page exactly as the whole stack sent it, and its 304."""

    status: str
    headers: tuple
    body: bytes
    etag: str
    not_modified: tuple

    @classmethod
    def of(cls, status, headers, body):
        etag = next((v for k, v in headers if k.lower() == "etag"), None)
        # A 304 carries every header of the page (security headers included)
        # but those that describe a body it does not have.
        body_headers = {"content-length", "content-type"}
        bare = tuple((k, v) for k, v in headers if k.lower() not in body_headers)
        return cls(status, tuple(headers), body, etag, bare)

    @property
    def size(self):
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


class PageStore:
    def __init__(self, max_entries=STORE_ENTRIES, max_bytes=STORE_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key):
        sent = self.entries.get(key)
        if sent is not None:
            with self.lock:
                if key in self.entries:
                    self.entries.move_to_end(key)
        return sent

    def put(self, key, sent):
        if sent.size > self.max_bytes // 8:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            self.bytes += sent.size - (old.size if old else 0)
            self.entries[key] = sent
            while len(self.entries) > self.max_entries or self.bytes > self.max_bytes:
                _, gone = self.entries.popitem(last=False)
                self.bytes -= gone.size

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.bytes = 0


store = PageStore()


def _scheme(environ):
    # As HttpRequest.scheme reads it.
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


@lru_cache(maxsize=2)
def _day(second):
    zone = timezone.get_current_timezone()
    return datetime.datetime.fromtimestamp(second, zone).date().isoformat()


def _storable_as_sent(headers):
    if not any(name.lower() == "etag" for name, _ in headers):
        return False  # its 304 could not be answered
    for name, value in headers:
        name = name.lower()
        if name == "set-cookie":
            return False
        # The key holds no request header but the absence of cookies.
        if name == "vary" and {v.strip().lower() for v in value.split(",")} - {
            "cookie"
        }:
            return False
    return True


class ReaderPages:
    """The shortest path for a cached page: before Django's handler runs.

    A cookie-less GET or HEAD of a reader page is answered from ``store`` when
    this process's version watcher vouches for the content version (no query)
    and the store has the page for exactly this request's key. Everything else,
    and any request with a cookie (signed-in staff, the admin), goes to Django.
    The store is filled only with 200 responses the page cache middleware
    marked for that key, with the headers the whole stack sent.
    """

    def __init__(self, application):
        self.application = application

    def key(self, environ):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        host = environ.get("HTTP_HOST")
        if environ.get("HTTP_COOKIE") or not host:
            return None
        path_info = get_path_info(environ) or "/"
        rules = _rules_for_path(path_info)
        if rules is None:
            return None
        version = versions.vouched()
        if version is None:
            return None
        query = environ.get("QUERY_STRING", "")
        if query:
            try:
                raw = QueryDict(query.encode("iso-8859-1"))
                query = normalised_query(raw, rules).urlencode()
            except (SuspiciousOperation, UnicodeError):
                return None
        script = get_script_name(environ).rstrip("/")
        path = "{}/{}".format(script, path_info.replace("/", "", 1))
        day = _day(int(time.time()))
        return page_key(version, _scheme(environ), host, path, query, day)[0]

    def __call__(self, environ, start_response):
        key = self.key(environ)
        if key is None:
            return self.application(environ, start_response)
        sent = store.get(key)
        if sent is None:
            return self._render(environ, start_response)
        asked = environ.get("HTTP_IF_NONE_MATCH")
        if asked is not None:
            if sent.etag in asked or asked.strip() == "*":
                start_response("304 Not Modified", list(sent.not_modified))
                return []
        elif "HTTP_IF_MODIFIED_SINCE" in environ:
            return self.application(environ, start_response)  # rare: Django answers
        start_response(sent.status, list(sent.headers))
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else sent.body]

    def _render(self, environ, start_response):
        seen = {}

        def remember(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, list(headers)
            if exc_info is None:
                return start_response(status, headers)
            return start_response(status, headers, exc_info)

        response = self.application(environ, remember)
        key = getattr(response, "reader_page_key", None)
        if (
            key
            and seen.get("status", "").startswith("200 ")
            and _storable_as_sent(seen["headers"])
        ):
            store.put(key, Sent.of(seen["status"], seen["headers"], response.content))
        return response
