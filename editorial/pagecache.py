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

The parts: ``page_rules`` (which views are reader pages), ``page_build`` (the
build and settings digests in every key), ``page_tiers`` (the shared and local
cache tiers), ``page_middleware`` (the middleware) and ``page_fast_path`` (the
WSGI wrapper). Every name stays importable from here.
"""

from importlib import metadata

from django.apps import apps

from .page_build import (
    PAGE_SETTINGS,
    _app_assets,
    _files,
    _sources,
    build_id,
    page_key,
    settings_id,
)
from .page_fast_path import (
    STORE_BYTES,
    STORE_ENTRIES,
    PageStore,
    ReaderPages,
    Sent,
    _day,
    _scheme,
    _settings_changed,
    _storable_as_sent,
    store,
)
from .page_middleware import (
    FOLLOW_SECONDS,
    ReaderPageCacheMiddleware,
    _http_date,
    _last_modified,
    _lead_or_follow,
    _rendered,
    _rendering,
    _rendering_lock,
    _validators,
)
from .page_rules import (
    Page,
    PageRules,
    _rules_for,
    _rules_for_path,
    _session_exists,
    find,
    normalised_query,
    reader_page,
)
from .page_tiers import (
    PAGE_TIMEOUT,
    _quiet_set,
    cache_get,
    cache_set,
    not_stored,
    per_version,
)

# Settings, config/wsgi.py, the apps and the tests import these from here
# (tests patch ``metadata`` and ``apps`` through this module too).
__all__ = [
    "FOLLOW_SECONDS",
    "PAGE_SETTINGS",
    "PAGE_TIMEOUT",
    "STORE_BYTES",
    "STORE_ENTRIES",
    "Page",
    "PageRules",
    "PageStore",
    "ReaderPageCacheMiddleware",
    "ReaderPages",
    "Sent",
    "_app_assets",
    "_day",
    "_files",
    "_http_date",
    "_last_modified",
    "_lead_or_follow",
    "_quiet_set",
    "_rendered",
    "_rendering",
    "_rendering_lock",
    "_rules_for",
    "_rules_for_path",
    "_scheme",
    "_session_exists",
    "_settings_changed",
    "_sources",
    "_storable_as_sent",
    "_validators",
    "apps",
    "build_id",
    "cache_get",
    "cache_set",
    "find",
    "metadata",
    "normalised_query",
    "not_stored",
    "page_key",
    "per_version",
    "reader_page",
    "settings_id",
    "store",
]
