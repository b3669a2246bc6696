"""The shortest path for a cached page: ReaderPages answers from the worker's
memory before Django's handler runs, without a query, and never with a page
older than the content version this process has been told of.

These tests commit (transaction=True): inside a test's transaction a watcher
cannot vouch for the version, and every request asks the database instead.
"""

import io
import os
import socket
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, connections
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from config.wsgi import django_application
from editorial import page_middleware, pagecache, version_watchers, versions
from practice_points.models import PracticePoint

POINT = "/practice-points/ask-the-question/"
SECURITY_HEADERS = {
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
}
BODY_HEADERS = {"content-type", "content-length"}


@dataclass
class Answer:
    status: int
    headers: list
    body: bytes

    def header(self, name):
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def names(self):
        return {k.lower() for k, _ in self.headers}


class Django:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return django_application(environ, start_response)


@pytest.fixture
def site(settings):
    """ReaderPages in front of Django, as config.wsgi serves it."""
    # Both watchers (the default), whatever the test settings say.
    settings.CONTENT_VERSION_WATCH = ["sqlite", "postgresql"]
    versions.stop_watchers()
    # As Django's test client does: a request must not close the test's
    # connection on its way out.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    django = Django()
    # A PostgreSQL listener vouches once it has connected: wait for it.
    until(lambda: versions.vouched() is not None)
    yield pagecache.ReaderPages(django), django
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    versions.stop_watchers()


def environ_for(path, method="GET", **headers):
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    environ.update({"HTTP_" + k.upper(): v for k, v in headers.items()})
    return environ


def ask(app, path, method="GET", **headers):
    environ = environ_for(path, method, **headers)
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, list(response_headers)

    body = app(environ, start_response)
    try:
        content = b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()
    return Answer(int(seen["status"].split()[0]), seen["headers"], content)


@contextmanager
def every_query():
    # The tests' caches are in memory: the database cache's own connection is
    # not used (and a test may not open it).
    with ExitStack() as stack:
        captured = [
            stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in connections
            if alias != "cache"
        ]
        yield captured


def count(captured):
    return sum(len(c.captured_queries) for c in captured)


def heard(old, within=2.0):
    """Wait until this process's watcher has a version other than ``old``."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if versions.vouched() not in (None, old):
            return True
        time.sleep(0.005)
    return False


def from_memory(django, asked):
    """What ``asked()`` returns once none of its requests reached Django, or
    after three tries. A PostgreSQL listener with a reply still unread on its
    socket does not vouch (PostgresListener.latest), and a request then rightly
    goes to Django: on a busy machine that can fall between two requests."""
    calls = django.calls
    for _ in range(3):
        answer = asked()
        if django.calls == calls:
            break
        django.calls = calls
    return answer


def retitle(slug, title):
    PracticePoint.objects.filter(slug=slug).update(title=title)


@pytest.mark.slow  # walks every page, committed
@pytest.mark.django_db(transaction=True)
def test_a_cached_page_and_its_304_cost_no_query_and_send_every_header(site):
    app, django = site
    first = ask(app, POINT)
    assert first.status == 200 and django.calls == 1
    assert SECURITY_HEADERS <= first.names

    def asked():
        with every_query() as captured:
            hit = ask(app, POINT)
            not_modified = ask(app, POINT, if_none_match=first.header("etag"))
            head = ask(app, POINT, method="HEAD")
        return captured, hit, not_modified, head

    captured, hit, not_modified, head = from_memory(django, asked)
    assert count(captured) == 0
    assert django.calls == 1  # none of them reached Django
    assert (hit.status, hit.headers, hit.body) == (200, first.headers, first.body)
    assert not_modified.status == 304 and not_modified.body == b""
    # A 304 carries the page's headers, security headers included.
    assert not_modified.headers == [
        (k, v) for k, v in first.headers if k.lower() not in BODY_HEADERS
    ]
    assert (head.status, head.headers, head.body) == (200, first.headers, b"")


@pytest.mark.slow  # commits, then reloads the content
@pytest.mark.django_db(transaction=True)
def test_a_search_is_one_page_however_its_query_is_written(site):
    app, django = site
    first = ask(app, "/search/?q=grooming&utm_source=leaflet")
    assert first.status == 200 and b"grooming" in first.body and django.calls == 1
    # The same search, parameters the page does not read in another order.
    again = from_memory(
        django, lambda: ask(app, "/search/?utm_source=poster&q=grooming")
    )
    assert django.calls == 1 and again.body == first.body
    other = ask(app, "/search/?q=disclosure")
    assert other.status == 200 and django.calls == 2
    assert b"disclosure" in other.body
    # A query string that is not UTF-8 gets the site's own answer, never a 500.
    assert ask(app, "/search/?q=%ff").status < 500


@pytest.mark.slow  # commits, then reloads the content
@pytest.mark.django_db(transaction=True)
def test_requests_with_a_cookie_and_the_admin_always_reach_django(site):
    app, django = site
    ask(app, POINT)
    ask(app, POINT)
    assert django.calls == 1
    for cookie in ("sessionid=made-up", "csrftoken=x"):
        response = ask(app, POINT, cookie=cookie)
        assert response.status == 200
    assert django.calls == 3
    ask(app, POINT, method="POST")
    assert django.calls == 4
    for _ in range(2):
        assert ask(app, "/admin/login/").status == 200
    assert django.calls == 6
    # An ETag it does not know gets the whole page, from memory.
    response = ask(app, POINT, if_none_match='"1-not-ours"')
    assert response.status == 200 and response.body and django.calls == 6


@pytest.mark.slow  # commits, then reloads the content
@pytest.mark.django_db(transaction=True)
def test_a_change_is_served_on_the_next_request(site):
    app, django = site
    before = ask(app, POINT)
    old = versions.vouched()
    assert old is not None, "no watcher vouches for the version"
    retitle("ask-the-question", "Ask the question, kindly")
    # SQLite's data_version changes with the commit; PostgreSQL's NOTIFY is in
    # the listener's socket as the commit returns (a busy machine may take a
    # moment to deliver it), and while it is unread requests read the version.
    assert heard(old, within=1.0)
    after = ask(app, POINT)
    assert b"Ask the question, kindly" in after.body
    assert after.header("etag") != before.header("etag")
    assert django.calls == 2


class HeldListener(versions.PostgresListener):
    """A listener whose reconnections wait until the test lets them through."""

    def __init__(self, settings_dict):
        super().__init__(settings_dict)
        self.may_connect = threading.Event()
        self.may_connect.set()
        self.backend = None

    def connect(self):
        self.may_connect.wait(timeout=30)
        made = super().connect()
        self.backend = made.info.backend_pid
        return made


def until(check, within=5.0):
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="LISTEN/NOTIFY is PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_a_notification_lost_while_the_listener_reconnects_still_leads_to_fresh_pages(
    site,
):
    app, django = site
    versions.stop_watchers()
    listener = HeldListener(connection.settings_dict).start()
    versions._watchers["default"] = (os.getpid(), listener)
    assert until(lambda: listener.latest() is not None)
    ask(app, POINT)
    assert ask(app, POINT).status == 200 and django.calls == 1  # from memory

    # The listener's connection dies, and it may not reconnect yet.
    listener.may_connect.clear()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [listener.backend])
    assert until(lambda: listener.latest() is None)

    # A change while nobody listens: its NOTIFY is lost.
    retitle("ask-the-question", "Ask while nobody listens")
    while_away = ask(app, POINT)
    assert b"Ask while nobody listens" in while_away.body  # each request reads
    assert django.calls == 2

    listener.may_connect.set()
    assert until(lambda: listener.latest() is not None)
    assert listener.latest() == versions.read()
    with every_query() as captured:
        back = ask(app, POINT)
    assert b"Ask while nobody listens" in back.body
    assert count(captured) == 0  # served from memory again, the new version's page


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="LISTEN/NOTIFY is PostgreSQL's",
)
def test_a_listener_told_to_stop_stops_at_once_not_after_its_heartbeat(db, monkeypatch):
    # A heartbeat far longer than any stop may take: only the wake-up ends
    # the listener's wait in time.
    monkeypatch.setattr(version_watchers, "HEARTBEAT", 60)
    listener = versions.PostgresListener(connection.settings_dict).start()
    assert until(lambda: listener.latest() is not None)
    started = time.monotonic()
    listener.stop()
    assert time.monotonic() - started < 5
    assert not listener.thread.is_alive()
    assert listener.waking is None  # its pipe closed with it
    listener.stop()  # a second stop is harmless


def test_a_listener_trusts_what_it_heard_only_within_its_lease_and_unread_socket():
    listener = versions.PostgresListener({"NAME": "unused"})
    version = versions.Version(7, "abc", None)
    ours, database = socket.socketpair()
    with ours, database:
        listener.socket = ours.fileno()
        listener.known = (version, time.monotonic() + versions.LEASE)
        assert listener.latest() == version
        database.send(b"A")  # a notification, not read yet
        assert listener.latest() is None
        ours.recv(1)
        assert listener.latest() == version
        listener.known = (version, time.monotonic() - 0.001)
        assert listener.latest() is None


def test_the_store_is_bounded_and_keeps_the_pages_served_most_recently():
    store = pagecache.PageStore(max_entries=3, max_bytes=10_000)

    def page(size):
        return pagecache.Sent.of("200 OK", [("ETag", '"1-a"')], b"x" * size)

    for n in range(4):
        store.put(f"page:{n}", page(100))
    assert store.get("page:0") is None  # the oldest went first
    store.get("page:1")  # served: kept before page 2
    store.put("page:4", page(100))
    assert store.get("page:2") is None and store.get("page:1") is not None
    store.put("page:5", page(9_000))  # over an eighth of the store: not kept
    assert store.get("page:5") is None
    store.put("page:6", page(1_000))
    assert store.bytes <= 10_000 and len(store.entries) <= 3


def test_a_response_that_sets_a_cookie_is_not_kept_in_memory():
    def django(environ, start_response):
        response = HttpResponse(b"<p>Chosen for you</p>")
        response["ETag"] = '"1-chosen"'
        response.set_cookie("chosen", "yes")
        response.reader_page_key = "page:chosen"  # as if marked by mistake
        cookies = [
            ("Set-Cookie", c.output(header="")) for c in response.cookies.values()
        ]
        start_response("200 OK", [*response.items(), *cookies])
        return response

    pagecache.store.clear()
    seen = []
    # Where ReaderPages keeps what Django sent (key() needs a watcher to vouch).
    pages = pagecache.ReaderPages(django)
    pages._render(environ_for(POINT), lambda status, headers: seen.extend(headers))
    assert any(name == "Set-Cookie" for name, _ in seen)
    assert pagecache.store.get("page:chosen") is None


def test_readers_asking_at_once_for_a_page_not_cached_get_one_rendering(
    rf, monkeypatch
):
    # A new version makes every reader miss at once: one thread renders.
    monkeypatch.setattr(versions, "latest", lambda: versions.Version(9, "abc", None))
    rendered, answers = missed_at_once(rf, b"<p>Rendered once</p>")
    assert len(rendered) == 1
    assert [a.status_code for a in answers] == [200] * 4
    assert {a.content for a in answers} == {b"<p>Rendered once</p>"}
    assert not pagecache._rendering


def test_processes_missing_a_page_at_once_render_it_once_between_them(rf, monkeypatch):
    # Each thread plays a process of its own (no in-process following): they
    # meet only in the shared cache, as gunicorn's workers and nodes do.
    monkeypatch.setattr(page_middleware, "_lead_or_follow", lambda key: None)
    monkeypatch.setattr(page_middleware, "_rendered", lambda key: None)
    monkeypatch.setattr(versions, "latest", lambda: versions.Version(11, "def", None))
    rendered, answers = missed_at_once(rf, b"<p>Rendered by one process</p>")
    assert len(rendered) == 1
    assert [a.status_code for a in answers] == [200] * 4
    assert {a.content for a in answers} == {b"<p>Rendered by one process</p>"}


def test_a_page_not_kept_lets_the_other_processes_render_it_at_once(rf, monkeypatch):
    monkeypatch.setattr(page_middleware, "_lead_or_follow", lambda key: None)
    monkeypatch.setattr(page_middleware, "_rendered", lambda key: None)
    monkeypatch.setattr(versions, "latest", lambda: versions.Version(12, "ghi", None))

    def view(request):
        time.sleep(0.3)
        return HttpResponse(b"<p>Not here</p>", status=404)

    started = time.monotonic()
    answers = in_threads(pagecache.ReaderPageCacheMiddleware(view), rf, 3)
    assert [a.status_code for a in answers] == [404] * 3
    # Nobody waited out the claim (FOLLOW_SECONDS) for a copy never kept.
    assert time.monotonic() - started < pagecache.FOLLOW_SECONDS


def missed_at_once(rf, body, count=4):
    """`count` readers asking at once for a page none has: the requests the view
    rendered (each taking 0.3 s) and the answers."""
    rendered = []

    def view(request):
        rendered.append(request)
        time.sleep(0.3)
        return HttpResponse(body)

    answers = in_threads(pagecache.ReaderPageCacheMiddleware(view), rf, count)
    return rendered, answers


def in_threads(middleware, rf, count):
    answers = []
    readers = [
        threading.Thread(target=lambda: answers.append(middleware(rf.get(POINT))))
        for _ in range(count)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=10)
    return answers
