"""On PostgreSQL a NOTIFY reaches other nodes' listeners a moment after the
writer's COMMIT returns; on a saturated machine that moment was long enough for
a reader on another node to get the old page. So an editor's save is answered
only once every listener has heard it (or has lost its word and its node reads
the version itself): no page served after the save is the old one.

These tests play the other node with a listener that hears late: it ignores
what waits in its socket (as if the notification were still on the network)
and takes half a second to act on it.
"""

import os
import time

import pytest
from django.conf import settings
from django.db import connection

from editorial import pagecache, version_watchers, versions
from tests.editorial.test_reader_fast_path import POINT, ask, retitle, site, until

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="LISTEN/NOTIFY is PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]
__all__ = ["site"]  # the fixture, shared with the fast path's tests


class LateListener(versions.PostgresListener):
    """A listener on a node its notifications reach ``delay`` seconds late."""

    delay = 0.5

    def latest(self):
        # Nothing in its socket yet: what it last heard is all it knows.
        known = self.known
        if known is None or time.monotonic() >= known[1]:
            return None
        return known[0]


@pytest.fixture
def late(site, monkeypatch):
    versions.stop_watchers()
    reading = version_watchers._readable

    def late_reading(fd, seconds, *also):
        waiting = reading(fd, seconds, *also)
        if waiting and fd == listener.socket and not listener.stopping.is_set():
            time.sleep(listener.delay)
        return waiting

    # No heartbeat either: the listener hears only through its notifications.
    monkeypatch.setattr(version_watchers, "HEARTBEAT", 30)
    monkeypatch.setattr(version_watchers, "_readable", late_reading)
    listener = LateListener(connection.settings_dict)
    listener.start()
    versions._watchers["default"] = (os.getpid(), listener)
    assert until(lambda: listener.latest() is not None)
    yield listener
    listener.stop()
    versions._watchers.clear()


def test_a_notification_in_flight_would_leave_a_node_on_the_old_version(late):
    old = late.latest()
    retitle("ask-the-question", "Ask the question, heard late")
    # The window that made a page stale: the COMMIT has returned, the node
    # has not heard yet.
    assert late.latest() == old
    assert until(lambda: late.latest() not in (None, old))
    assert late.latest() == versions.read()


def test_a_save_is_answered_only_once_every_node_has_heard_it(site, late):
    app, django = site
    assert b"Ask the question" in ask(app, POINT).body  # kept in memory

    def save(environ, start_response):
        retitle("ask-the-question", "Ask the question, once heard")
        start_response("302 Found", [("Location", "/admin/")])
        return [b""]

    started = time.monotonic()
    answer = ask(pagecache.ReaderPages(save), "/admin/", method="POST")
    took = time.monotonic() - started
    assert answer.status == 302
    assert late.latest() == versions.read()
    assert b"Ask the question, once heard" in ask(app, POINT).body
    # It waited for the late node, and no longer than that node took.
    assert late.delay * 0.8 < took < versions.LEASE


def test_a_node_that_never_hears_has_lost_its_word_when_the_save_returns(late):
    late.delay = versions.LEASE + 1
    retitle("ask-the-question", "Ask the question, unheard")
    started = time.monotonic()
    assert versions.wait_until_heard() is False
    assert time.monotonic() - started <= versions.LEASE + versions.HEARTBEAT + 0.5
    # Its node now reads the version on each request.
    assert late.latest() is None


def test_a_save_with_every_node_up_to_date_costs_one_look(late):
    started = time.monotonic()
    assert versions.wait_until_heard() is True
    assert time.monotonic() - started < 0.2
