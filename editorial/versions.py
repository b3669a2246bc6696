"""The content version: one notion of freshness for every cache and ETag.

The tables readers see are the content models' (editorial.content.watched_models),
history and many-to-many tables included. After every ``migrate``, a trigger is
put on each of them that bumps ``ContentVersion`` in the same
transaction as the write. Signals would miss ``queryset.update()``, raw SQL and
``loaddata``; a trigger misses nothing, and a rolled-back write rolls the
version back with it.
"""

import logging
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

from .content import watched_models
from .version_row import (
    CHANNEL,
    EMPTY,
    SELECT,
    TABLE,
    TRIGGER_PREFIX,
    Version,
    row_version,
)
from .version_triggers import (
    POSTGRES_FUNCTION,
    SQLITE_BUMP,
    install_triggers,
    watched_tables,
)
from .version_watchers import (
    BEHIND,
    HEARTBEAT,
    LEASE,
    LISTENER_NAME,
    RETRY,
    WATCHERS,
    NotAnnounced,
    PostgresListener,
    SQLiteWatcher,
    _watchers,
    stop_watchers,
    watcher,
)

# The names other modules and tests have always imported from here.
__all__ = [
    "CHANNEL",
    "EMPTY",
    "HEARTBEAT",
    "LEASE",
    "LISTENER_NAME",
    "POSTGRES_FUNCTION",
    "RETRY",
    "SELECT",
    "SQLITE_BUMP",
    "TABLE",
    "TRIGGER_PREFIX",
    "WATCHERS",
    "NotAnnounced",
    "PostgresListener",
    "SQLiteWatcher",
    "Version",
    "_watchers",
    "current",
    "install_triggers",
    "latest",
    "read",
    "remembered",
    "shared_in_request",
    "stop_watchers",
    "vouched",
    "wait_until_heard",
    "watched_models",
    "watched_tables",
    "watcher",
]

logger = logging.getLogger(__name__)
_request = threading.local()


def current(using="default"):
    """The version now committed: read once per reader request, else one query."""
    remembered = getattr(_request, "version", None)
    if remembered is not None:
        return remembered
    return read(using)


@contextmanager
def remembered(version):
    """Within a reader request, the version its cache key was made from, and
    the per-version data the page has read so far (``shared_in_request``)."""
    _request.version, _request.shared = version, {}
    try:
        yield
    finally:
        _request.version, _request.shared = None, None


def shared_in_request():
    """A dict for per-version data within a reader request, else None.

    The cache tiers hand out a fresh unpickled copy on every read: a library
    page that asks for every practice point once per briefing would unpickle
    them all twenty times over (seconds at 20 briefings)."""
    return getattr(_request, "shared", None)


def read(using="default"):
    """The version now committed, in one small query.

    Raw SQL: this runs on every reader request, and the ORM's query building
    cost more than the query itself.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(SELECT)
        return row_version(cursor.fetchone())


def vouched(using="default"):
    """The version now committed, if this process's watcher can vouch for it
    (no query); else None."""
    # Inside a transaction this connection may see writes no one else sees yet
    # (tests do, and so would ATOMIC_REQUESTS): only it can say.
    if connections[using].in_atomic_block:
        return None
    found = watcher(using)
    return found.latest() if found is not None else None


def latest(using="default"):
    """The version now committed: from the watcher, else in one query."""
    version = vouched(using)
    return read(using) if version is None else version


def wait_until_heard(using="default"):
    """After a write: return once no PostgreSQL listener, on any node, still
    vouches for an older version than the one now committed.

    A NOTIFY reaches other nodes' listeners a moment after the writer's
    COMMIT returns (milliseconds on a saturated machine); a reader there who
    asked in that moment would get the old page. So a write is not reported
    done until every listener has heard it, or until a listener that stays
    silent has lost its word (LEASE after it last confirmed) and its node
    reads the version itself. True if every listener heard it in time.
    """
    connection = connections[using]
    if (
        connection.vendor != "postgresql"
        or "postgresql" not in settings.CONTENT_VERSION_WATCH
        or connection.in_atomic_block
    ):
        return True  # SQLite's data_version changes with the commit itself
    number = read(using).number
    deadline = time.monotonic() + LEASE + HEARTBEAT
    with connection.cursor() as cursor:
        while True:
            cursor.execute(BEHIND, [f"{LISTENER_NAME}:%", number])
            if not cursor.fetchone()[0]:
                return True
            if time.monotonic() > deadline:
                logger.warning("A content version listener did not hear %s", number)
                return False
            time.sleep(0.002)
