"""This process's watcher of the content version: it vouches for the latest
version without a query (SQLite's data_version, PostgreSQL's LISTEN/NOTIFY)."""

import logging
import os
import select
import sqlite3
import threading
import time

from django.conf import settings
from django.db import connections

from .version_row import CHANNEL, SELECT, row_version

logger = logging.getLogger(__name__)

# How often a PostgreSQL listener proves its connection alive, and how long its
# word holds without that proof: a link that dies silently (no reset) leaves
# requests trusting it for at most LEASE seconds, then they read for themselves.
HEARTBEAT = 0.5
LEASE = 2.0
RETRY = 1.0
# Each listener's connection is named for the version it vouches for
# ("content-version-listener:42"), so a writer can see in pg_stat_activity
# whether every node has heard its change (wait_until_heard).
LISTENER_NAME = "content-version-listener"
# Listeners still vouching for an older version than %s, on this database.
BEHIND = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND application_name LIKE %s
  AND split_part(application_name, ':', 2)::bigint < %s
"""


def _readable(fd, seconds, *also):
    """Whether ``fd`` (or any of ``also``) has something to read within ``seconds``."""
    # poll, not select: a worker with many sockets has descriptors past 1024.
    poller = select.poll()
    for each in (fd, *also):
        poller.register(each, select.POLLIN)
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
            # No number yet: vouches for nothing, so no writer waits for it.
            "application_name": LISTENER_NAME,
        }
        self.known = None  # (version, monotonic time its word expires)
        self.socket = None
        self.reported = None  # the number in this connection's name
        self.stopping = threading.Event()
        # stop() writes here to wake the thread from its wait on the socket,
        # so a stop costs no heartbeat (half a second in each test's teardown).
        self.waking = os.pipe()
        self.thread = threading.Thread(
            target=self.run, name="content-version-listener", daemon=True
        )

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        if self.waking:
            os.write(self.waking[1], b"!")
        self.thread.join(timeout=HEARTBEAT + 5)
        if self.waking and not self.thread.is_alive():
            for fd in self.waking:
                os.close(fd)
            self.waking = None

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
            if list(connection.notifies(timeout=0)):
                self.known = None
                continue
            version = row_version(row)
            self.known = (version, asked + LEASE)
            if version.number != self.reported:
                # Only once requests are served this version: a writer
                # waiting for it may then tell its editor the change is live.
                connection.execute(
                    "SELECT set_config('application_name', %s, false)",
                    [f"{LISTENER_NAME}:{version.number}"],
                )
                self.reported = version.number
                if list(connection.notifies(timeout=0)):
                    self.known = None
                    continue
            return

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
                        while True:
                            heard = _readable(self.socket, HEARTBEAT, self.waking[0])
                            if self.stopping.is_set():
                                break
                            if heard:
                                # Requests read for themselves until confirmed.
                                self.known = None
                            self._confirm(connection)
                    finally:
                        self.known = self.socket = self.reported = None
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
                    self.version, self.seen = row_version(row), changed
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
