"""Django's Redis cache with a circuit breaker.

A Redis that stops answering costs one request its socket timeout (a quarter
of a second); then every process skips Redis for BREAK_SECONDS and pages are
rendered without it, instead of each cache call waiting out its timeout.
Callers already treat a failing cache as a miss (editorial.pagecache).
"""

import threading
import time

from django.core.cache.backends.redis import RedisCache

# How long Redis is left alone after it failed, before one request tries it.
BREAK_SECONDS = 5.0

# Per location, shared by every thread of the process (Django makes a cache
# object per thread).
_open_until = {}
_lock = threading.Lock()


class CacheSkipped(ConnectionError):
    """Redis failed a moment ago: not asked again yet."""


def _guarded(name):
    method = getattr(RedisCache, name)

    def guarded(self, *args, **kwargs):
        if time.monotonic() < _open_until.get(self._location_key, 0):
            raise CacheSkipped(f"Redis skipped for {BREAK_SECONDS:g} s after a failure")
        try:
            return method(self, *args, **kwargs)
        except Exception:
            with _lock:
                _open_until[self._location_key] = time.monotonic() + BREAK_SECONDS
            raise

    guarded.__name__ = name
    return guarded


class BreakerRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location_key = str(server)


for _name in (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr",
    "set_many", "delete_many", "clear",
):  # fmt: skip
    setattr(BreakerRedisCache, _name, _guarded(_name))
