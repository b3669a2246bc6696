"""Loading the whole content at once (load_content): what reacts to each save
one by one (the search index) waits, and catches up once at the end, inside
the load's transaction. The index alone took most of a load's time, refreshing
items and their parents again for every child row."""

import contextlib
import contextvars

from django.dispatch import Signal

_depth = contextvars.ContextVar("bulk_load_depth", default=0)

# Sent once, when the outermost bulk load ends without an error.
loaded = Signal()


def loading_in_bulk():
    return _depth.get() > 0


@contextlib.contextmanager
def bulk_load():
    token = _depth.set(_depth.get() + 1)
    try:
        yield
    finally:
        _depth.reset(token)
    if not loading_in_bulk():
        loaded.send(sender=None)
