"""The content version: one notion of freshness for every cache and ETag.

The tables readers see are the content models' (editorial.content.watched_models),
history and many-to-many tables included. After every ``migrate``, a trigger is
put on each of them that bumps ``ContentVersion`` in the same
transaction as the write. Signals would miss ``queryset.update()``, raw SQL and
``loaddata``; a trigger misses nothing, and a rolled-back write rolls the
version back with it.
"""

import datetime
import logging
import os
import select
import sqlite3
import threading
import time
from contextlib import contextmanager
from typing import NamedTuple

from django.conf import settings
from django.db import connections

from .content import watched_models

logger = logging.getLogger(__name__)

TABLE = "editorial_contentversion"
TRIGGER_PREFIX = "content_version_"
# PostgreSQL's NOTIFY channel: the trigger announces each new version on it.
CHANNEL = "editorial_content_version"
SELECT = f"SELECT number, token, changed_at FROM {TABLE} WHERE id = 1"


class Version(NamedTuple):
    number: int
    token: str
    changed_at: datetime.datetime | None

    @property
    def key(self):
        return f"{self.number}.{self.token}"


EMPTY = Version(0, "", None)


_request = threading.local()


def current(using="default"):
    """The version now committed: read once per reader request, else one query."""
    remembered = getattr(_request, "version", None)
    if remembered is not None:
        return remembered
    return read(using)


@contextmanager
def remembered(version):
    """Within a reader request, the version its cache key was made from."""
    _request.version = version
    try:
        yield
    finally:
        _request.version = None


def read(using="default"):
    """The version now committed, in one small query.

    Raw SQL: this runs on every reader request, and the ORM's query building
    cost more than the query itself.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(SELECT)
        return _version(cursor.fetchone())


def _version(row):
    if row is None:
        return EMPTY
    number, token, changed_at = row
    if isinstance(changed_at, str):  # SQLite keeps text
        changed_at = datetime.datetime.fromisoformat(changed_at)
    if changed_at is not None and changed_at.tzinfo is None:
        changed_at = changed_at.replace(tzinfo=datetime.UTC)
    return Version(number, token, changed_at)


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


# How often a PostgreSQL listener proves its connection alive, and how long its
# word holds without that proof: a link that dies silently (no reset) leaves
# requests trusting it for at most LEASE seconds, then they read for themselves.
HEARTBEAT = 0.5
LEASE = 2.0
RETRY = 1.0


def _readable(fd, seconds):
    # poll, not select: a worker with many sockets has descriptors past 1024.
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(seconds * 1000))


class NotAnnounced(Exception):
    """The database's version trigger predates NOTIFY (migrate not run yet)."""


def _announces(connection):
    row = connection.execute(
        "SELECT prosrc LIKE %s FROM pg_proc WHERE proname = %s",
        [f"%{CHANNEL}%", "editorial_bump_content_version"],
    ).fetchone()
    return bool(row and row[0])


class PostgresListener:
    """LISTENs for new versions in a thread of its own; no request waits on it.

    A request trusts what it last heard only while nothing is waiting unread on
    its connection (a notification sits in the socket before the writer's
    COMMIT returns), and only within LEASE of its last confirmation. Otherwise
    ``latest()`` is None and the request reads the version itself: while
    disconnected, and after every (re)connection until the listener has
    LISTENed and then read the version, so a notification sent while nobody
    listened is never needed.
    """

    def __init__(self, settings_dict):
        options = settings_dict.get("OPTIONS", {})
        self.params = {
            "dbname": settings_dict["NAME"],
            "user": settings_dict.get("USER"),
            "password": settings_dict.get("PASSWORD"),
            "host": settings_dict.get("HOST"),
            "port": settings_dict.get("PORT"),
            "connect_timeout": options.get("connect_timeout", 2),
            "options": "-c statement_timeout=1000",
            # A link that stops answering fails in seconds, not minutes.
            "tcp_user_timeout": 2000,
            "keepalives_idle": 5,
            "autocommit": True,
        }
        self.known = None  # (version, monotonic time its word expires)
        self.socket = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(
            target=self.run, name="content-version-listener", daemon=True
        )

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=HEARTBEAT + 5)

    def latest(self):
        known, sock = self.known, self.socket
        if known is None or sock is None or time.monotonic() >= known[1]:
            return None
        try:
            if _readable(sock, 0):
                return None  # a notification may be waiting: read for yourself
        except (OSError, ValueError):
            return None
        return known[0]

    def connect(self):
        import psycopg

        return psycopg.connect(**{k: v for k, v in self.params.items() if v})

    def _confirm(self, connection):
        while True:
            asked = time.monotonic()
            row = connection.execute(SELECT).fetchone()
            # A notification that came meanwhile may be of a later version
            # than the row read: read again.
            if not list(connection.notifies(timeout=0)):
                self.known = (_version(row), asked + LEASE)
                return
            self.known = None

    def run(self):
        while not self.stopping.is_set():
            try:
                with self.connect() as connection:
                    try:
                        connection.execute(f"LISTEN {CHANNEL}")
                        if not _announces(connection):
                            raise NotAnnounced
                        self.socket = connection.pgconn.socket
                        self._confirm(connection)
                        while not self.stopping.is_set():
                            if _readable(self.socket, HEARTBEAT):
                                # Requests read for themselves until confirmed.
                                self.known = None
                            self._confirm(connection)
                    finally:
                        self.known = self.socket = None
            except NotAnnounced:
                # Requests read the version themselves meanwhile.
                logger.warning("The version trigger sends no NOTIFY: run migrate")
                self.stopping.wait(60)
            except Exception as error:
                logger.warning("Content version listener lost (%s); retrying", error)
            self.known = self.socket = None
            self.stopping.wait(RETRY)


class SQLiteWatcher:
    """``PRAGMA data_version`` on a connection of its own: it changes when any
    other connection commits, and costs microseconds to ask."""

    def __init__(self, settings_dict):
        name = str(settings_dict["NAME"])
        self.connection = sqlite3.connect(
            name, uri=name.startswith("file:"), check_same_thread=False, timeout=0.25
        )
        self.lock = threading.Lock()
        self.seen = None
        self.version = None

    def start(self):
        return self

    def stop(self):
        self.connection.close()

    def latest(self):
        with self.lock:
            try:
                changed = self.connection.execute("PRAGMA data_version").fetchone()
                if changed != self.seen:
                    row = self.connection.execute(SELECT).fetchone()
                    self.version, self.seen = _version(row), changed
            except sqlite3.Error:
                self.seen = None
                return None
            return self.version


WATCHERS = {"postgresql": PostgresListener, "sqlite": SQLiteWatcher}
_watchers = {}  # alias: (process id, watcher or None)
_watchers_lock = threading.Lock()


def watcher(using="default"):
    """This process's watcher of the version (None: read on every request).

    Made on first use in each process: a thread or connection made before
    gunicorn forks its workers would not survive the fork.
    """
    found = _watchers.get(using)
    if found is not None and found[0] == os.getpid():
        return found[1]
    with _watchers_lock:
        found = _watchers.get(using)
        if found is None or found[0] != os.getpid():
            kind = None
            vendor = connections[using].vendor
            if vendor in settings.CONTENT_VERSION_WATCH:
                kind = WATCHERS.get(vendor)
            made = kind(connections[using].settings_dict).start() if kind else None
            found = _watchers[using] = (os.getpid(), made)
    return found[1]


def stop_watchers():
    """Stop this process's watchers (tests; a new one is made when asked)."""
    with _watchers_lock:
        for pid, made in _watchers.values():
            if made is not None and pid == os.getpid():
                made.stop()
        _watchers.clear()


def watched_tables():
    return sorted({model._meta.db_table for model in watched_models()})


def _trigger_name(table, suffix=""):
    return f"{TRIGGER_PREFIX}{table}{suffix}"


SQLITE_BUMP = f"""
INSERT INTO {TABLE} (id, number, token, changed_at)
VALUES (1, 1, lower(hex(randomblob(8))), strftime('%Y-%m-%d %H:%M:%f', 'now'))
ON CONFLICT (id) DO UPDATE SET number = number + 1, token = excluded.token,
    changed_at = excluded.changed_at;
"""

# NOTIFY is delivered when the transaction commits, and not at all when it
# rolls back: listeners hear of exactly the versions readers can see.
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION editorial_bump_content_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO {TABLE} (id, number, token, changed_at)
    VALUES (1, 1, substr(md5(random()::text || clock_timestamp()::text), 1, 16),
            clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET number = {TABLE}.number + 1,
        token = EXCLUDED.token, changed_at = EXCLUDED.changed_at;
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def _sqlite_statements(table):
    # SQLite has row triggers only: one per kind of write.
    for action in ("INSERT", "UPDATE", "DELETE"):
        yield (
            f'CREATE TRIGGER IF NOT EXISTS "{_trigger_name(table, "_" + action)}" '
            f'AFTER {action} ON "{table}" BEGIN {SQLITE_BUMP} END'
        )


def _postgres_statements(table):
    # One statement-level trigger: a bulk update bumps the version once.
    yield (
        f'CREATE OR REPLACE TRIGGER "{_trigger_name(table)}" '
        f'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION editorial_bump_content_version()"
    )


def install_triggers(using="default", **kwargs):
    """Put the version trigger on every watched table (idempotent)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return
    tables = [table for table in watched_tables() if table in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            statements = _postgres_statements
        elif connection.vendor == "sqlite":
            statements = _sqlite_statements
        else:
            return
        for table in tables:
            for sql in statements(table):
                cursor.execute(sql)
