"""This site with Django's per-site cache instead of its own page cache.

The peer bench/pages.py measures against: what a Wagtail team deploys (the
wagtail-cache package wraps the same two middleware). Whole responses are kept
per URL for CACHE_MIDDLEWARE_SECONDS in each worker's memory, with no content
version: a change shows when the entry expires (10 minutes here), per node.
Served as ``config.wsgi:django_application`` (no ReaderPages in front).
"""

from config.settings import *  # noqa: F403
from config.settings import CACHES, MIDDLEWARE

OURS = {
    "editorial.pagecache.ReaderPageCacheMiddleware",
    "config.whitespace.TidyHTMLMiddleware",
}
# Django's order: Update first, Fetch last. The HTML is tidied inside the
# cache, once per page, as this site's own cache does it.
MIDDLEWARE = [
    "django.middleware.cache.UpdateCacheMiddleware",
    *(m for m in MIDDLEWARE if m not in OURS),
    "django.middleware.cache.FetchFromCacheMiddleware",
    "config.whitespace.TidyHTMLMiddleware",
]
CACHES = {
    **CACHES,
    "per-site": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "per-site",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
CACHE_MIDDLEWARE_ALIAS = "per-site"
CACHE_MIDDLEWARE_SECONDS = 600
CACHE_MIDDLEWARE_KEY_PREFIX = ""
