"""The cache tiers reader pages and per-version data are kept in:
``caches["local"]`` (this process's memory) in front of ``caches["default"]``
(shared by every node: the database cache, or Redis with ``CACHE_URL``). A
cache that fails is logged and skipped: it never fails a request."""

import logging
import threading
import time
from contextlib import contextmanager

from django.core.cache import caches

from . import versions
from .page_build import build_id

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 60 * 60 * 24 * 2  # a key carries the day, so two days is plenty


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


def _rendering_marker(key):
    return f"rendering:{key}"


def render_here_or_wait(key, seconds):
    """(page, claimed): another process's or node's copy of ``key`` once it is
    in the shared cache, or None and whether this process claimed rendering it.

    A new content version makes every worker on every node miss at once; one
    renders and the others take its copy, instead of each spending the CPU
    the others need to keep serving. A claim lapses after ``seconds``.
    """
    shared, marker = caches["default"], _rendering_marker(key)
    try:
        if shared.add(marker, 1, seconds):
            return None, True
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.01)
            found = shared.get_many([key, marker])
            if key in found:
                _quiet_set("local", key, found[key], PAGE_TIMEOUT)
                return found[key], False
            if marker not in found:
                break  # not kept (a 404, say): render it here
    except Exception:
        logger.warning("Cache 'default' failed to share a rendering; going on")
    return None, False


def rendered_here(key):
    """Release this process's claim on rendering ``key``."""
    try:
        caches["default"].delete(_rendering_marker(key))
    except Exception:
        logger.warning("Cache 'default' failed to write; going on without it")


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
    kept = versions.shared_in_request()
    if kept is not None and key in kept:
        return kept[key]
    value = cache_get(key)
    if value is None:
        value = build()
        if value is not None:
            cache_set(key, value)
    if kept is not None and value is not None:
        kept[key] = value
    return value
