"""The shortest path for a cached page: ``ReaderPages`` wraps the WSGI
application and answers a cookie-less GET or HEAD from this process's memory
(bytes, every header, ETag, 304s included) before Django's handler or any
middleware runs."""

import datetime
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import QueryDict
from django.utils import timezone

from . import versions
from .page_build import page_key, settings_id
from .page_rules import _rules_for_path, normalised_query

logger = logging.getLogger(__name__)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

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


@lru_cache(maxsize=1)
def _forced_script_name():
    return settings.FORCE_SCRIPT_NAME


def _script_name(environ):
    # Django's get_script_name reads settings and three variables on every
    # call (a quarter of a hit); the common case, no prefix at all, is quick.
    if (
        environ.get("SCRIPT_NAME")
        or "SCRIPT_URL" in environ
        or "REDIRECT_URL" in environ
        or _forced_script_name() is not None
    ):
        return get_script_name(environ).rstrip("/")
    return ""


@lru_cache(maxsize=2)
def _day(second):
    zone = timezone.get_current_timezone()
    return datetime.datetime.fromtimestamp(second, zone).date().isoformat()


@lru_cache(maxsize=1024)
def _normalised(query, rules):
    # Parsing a query string was a tenth of a search hit's time (25 us). The
    # queries held here are in this process's memory only, as the pages
    # found for them are in the store.
    return normalised_query(QueryDict(query.encode("iso-8859-1")), rules).urlencode()


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
                query = _normalised(query, rules)
            except (SuspiciousOperation, UnicodeError):
                return None
        script = _script_name(environ)
        path = "{}/{}".format(script, path_info.replace("/", "", 1))
        day = _day(int(time.time()))
        return page_key(version, _scheme(environ), host, path, query, day)[0]

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in SAFE_METHODS:
            return self._write(environ, start_response)
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

    def _write(self, environ, start_response):
        # The answer to an editor's save goes out only once every node has
        # heard of the change: the next page anyone is sent is the new one.
        response = self.application(environ, start_response)
        try:
            versions.wait_until_heard()
        except Exception:
            logger.exception("Could not tell whether every node heard a change")
        return response

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


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    settings_id.cache_clear()
    _day.cache_clear()
    _forced_script_name.cache_clear()
    _normalised.cache_clear()
    if setting == "CACHES":
        store.clear()  # each test's caches start empty, this tier too
