"""The page cache middleware: serves reader pages from the cache tiers and
answers revalidation with a 304; renders a page once per key per process."""

import datetime
import threading
from email.utils import format_datetime
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response

from . import versions
from .page_build import page_key
from .page_rules import _rules_for, normalised_query
from .page_tiers import cache_get, cache_set, render_here_or_wait, rendered_here


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

        response, kept = self._cached_or_rendered(request, key, query, version)
        if not kept:
            return response
        response = _validators(response, etag, last_modified, rules)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        if conditional is response:
            # ReaderPages keeps it as the whole stack sends it, for this key.
            response.reader_page_key = key
        return conditional

    def _cached_or_rendered(self, request, key, query, version):
        """The page, and whether it is kept under ``key``: from the cache, from
        another thread's or process's rendering of it, or rendered here."""
        stored, leading, claimed = cache_get(key), False, False
        if stored is None:
            waited = _lead_or_follow(key)
            leading = waited is None
            if not leading:
                # Another thread of this process is rendering this page (a new
                # version makes every reader miss at once): take its copy.
                waited.wait(FOLLOW_SECONDS)
                stored = cache_get(key)
            else:
                # Or another process or node: take its copy from the shared tier.
                stored, claimed = render_here_or_wait(key, FOLLOW_SECONDS)
        try:
            if stored is None:
                return self._render(request, key, query, version)
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response, True
        finally:
            if claimed:
                rendered_here(key)
            if leading:
                _rendered(key)

    def _render(self, request, key, query, version):
        # The view sees exactly what the key saw, and data it shares with
        # other pages comes from the same version.
        request.GET = query
        with versions.remembered(version):
            response = self.get_response(request)
        if not self._storable(response):
            return response, False
        entry = (response.status_code, self._headers(response), response.content)
        cache_set(key, entry)
        return response, True

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
