"""Real-browser tests: Debian's Chromium driven by Playwright against live_server.

Playwright never downloads a browser here: it launches Debian's
/usr/bin/chromium-headless-shell. Every module here sets ``pytestmark`` with the
``browser`` marker (``make test-fast`` skips them). The pages are read from the
content the session loaded and committed, so reading tests need no transaction;
a test whose own rows the server must see asks for ``transactional_db``.
"""

import json
import os
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in the test thread, and Django then
# refuses ORM calls (fixtures, load_content, database flushes) unless told this
# is safe. It is: the live server runs its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Screenshots are for a reviewer to look at, never compared: taken only when
# asked for (SCREENSHOTS=1), since a full-page one costs about as much as
# loading the page. Those of every page type go here (git-ignored).
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
TAKE_SCREENSHOTS = os.environ.get("SCREENSHOTS", "") not in ("", "0")
# Debian's headless shell: the same Blink as /usr/bin/chromium without the
# desktop browser around it, which cut the browser tests' wall time by 30%.
CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
# Where the pages a trainer's tests photograph go (with SCREENSHOTS=1), and
# the widths they photograph them at.
SHOTS = Path(os.environ.get("SHOTS_DIR", "/work/notes/shots/trainers"))
WIDTHS = [(PHONE, "320"), (DESKTOP, "1280")]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, reader_server):
    # reader_server first: the browser closes (and its keep-alive connections
    # with it) before the server stops and the test database is dropped.
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get install chromium-headless-shell (make test does)"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


class InFlight:
    """Counts the server's requests until each response is closed, so a test's
    teardown can wait for the pages its browser was still loading. On SQLite the
    server thread shares the test's in-memory connection: a flush run while a
    late stylesheet or admin script is served fails, and so does the request."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.last = time.monotonic()
        self.lock = threading.Condition()

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
        try:
            return _ClosedThen(self.app(environ, start_response), self.done)
        except BaseException:
            self.done()
            raise

    def done(self):
        with self.lock:
            self.count -= 1
            self.last = time.monotonic()
            self.lock.notify_all()

    def wait_quiet(self, quiet=0.15, timeout=10):
        """Wait until nothing is being served and nothing was for `quiet` s."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while time.monotonic() < deadline:
                idle_for = time.monotonic() - self.last
                if self.count == 0 and idle_for >= quiet:
                    return
                self.lock.wait(quiet if self.count == 0 else 0.05)


class _ClosedThen:
    """The WSGI response, with a call once the server closes it."""

    def __init__(self, result, then):
        self.result, self.then = result, then

    def __iter__(self):
        return iter(self.result)

    def close(self):
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.then()


_in_flight = []


@pytest.fixture(scope="session")
def reader_server(django_db_setup, django_db_blocker):
    """One server for every browser test: a thread on loopback, like live_server,
    without live_server's emptying of the database after each test."""
    with django_db_blocker.unblock():
        server = LiveServer("localhost")
    httpd = server.thread.httpd
    httpd.set_app(InFlight(httpd.get_app()))
    _in_flight.append(httpd.get_app())
    yield server
    _in_flight.clear()
    server.stop()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    # Before any fixture is torn down (contexts closed, tables flushed, the
    # database blocked again): let the server finish what the browser asked for.
    for counter in _in_flight:
        counter.wait_quiet()


@pytest.fixture
def site(reader_server, django_db_blocker):
    """The loaded guidance served on loopback; returns its base URL."""
    with django_db_blocker.unblock(), reader_server._live_server_modified_settings:
        yield reader_server.url


class Camera:
    """Saves a page's (or a locator's) screenshot under a folder, if asked to."""

    def __init__(self, folder):
        self.folder = folder if TAKE_SCREENSHOTS else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, target, name, full_page=False):
        if self.folder is None:
            return
        options = {"full_page": True} if full_page else {}
        target.screenshot(path=self.folder / name, **options)


@pytest.fixture(scope="session")
def shots():
    """Takes a trainer's tests' screenshots into SHOTS (with SCREENSHOTS=1)."""
    return Camera(SHOTS)


@pytest.fixture
def no_script(browser):
    """A browser context with JavaScript turned off."""
    context = browser.new_context(java_script_enabled=False)
    yield context
    context.close()


@pytest.fixture(scope="session")
def screenshots(request):
    """Takes screenshots into test-artifacts/screenshots (with SCREENSHOTS=1)."""
    # Cleared once per run, not by each pytest-xdist worker (one would delete
    # what the other has just taken).
    if TAKE_SCREENSHOTS and not hasattr(request.config, "workerinput"):
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    return Camera(SCREENSHOTS)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run make install (npm ci)")
    return AXE_SOURCE.read_text(encoding="utf-8")


# The violations only, briefly: passes and incomplete results are not kept
# node by node (axe's resultTypes), which takes a third off a long page; every
# rule still runs on every node.
AXE_RUN = """tags => axe.run(document, {
  runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
}).then(results => results.violations.map(violation => ({
  id: violation.id,
  help: violation.help,
  nodes: violation.nodes.slice(0, 5).map(node => node.target),
})))"""


def run_axe(page, axe_source):
    """axe-core's WCAG 2.2 A and AA violations on the page, described briefly."""
    # evaluate, not add_script_tag: the strict CSP refuses injected script
    # tags. Once per document: a second run on the same page reuses it.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(AXE_RUN, WCAG_TAGS)


# Reading tests share a tab a JavaScript mode (one set a worker): a fresh
# context starts a renderer process and compiles axe again, which costs more
# CPU than loading and checking the page (measured: 12 page loads with axe,
# 29 s of Chromium CPU in fresh contexts, 13 s in one tab). A reader's page
# keeps nothing but its address (no cookie, no storage), so what a test loads
# there is what a fresh tab shows; a test that signs in, grants permissions,
# listens for events or changes the database keeps a context of its own.
_tabs = {}  # (browser, javascript): the tab reading tests share


def reading_tab(browser, viewport=DESKTOP, javascript=True):
    """The shared tab, put back as a fresh one starts: no routes left by the
    last test, screen media, the pointer off the page (nothing hovered), at
    `viewport`.
    javascript="copy": run_axe_without_script's own tab (scripts on)."""
    key = (browser, javascript)
    if key not in _tabs or _tabs[key].is_closed():
        context = browser.new_context(java_script_enabled=javascript is not False)
        _tabs[key] = context.new_page()
    tab = _tabs[key]
    tab.unroute_all(behavior="ignoreErrors")
    tab.emulate_media(media="screen")
    tab.set_viewport_size(viewport)
    tab.mouse.move(-1, -1)
    return tab


@pytest.fixture
def reader_page(browser, site):
    """The shared tab with JavaScript on, for a test that only reads pages."""
    return reading_tab(browser)


def open_at(browser, viewport, path, site, javascript=True):
    """The shared tab at `viewport`, showing `path` (which must answer 200)."""
    page = reading_tab(browser, viewport, javascript)
    response = page.goto(site + path)
    assert response.status == 200, path
    return page


def run_axe_without_script(page, axe_source):
    """axe on a page shown with JavaScript off. axe's promise never settles
    where scripts are off, so it runs on the same HTML at the same address and
    width in a scripted tab whose own scripts are blocked: the same DOM and
    styles. The tab is shared, like reading_tab's (readers' pages set no
    cookie for one copy to pass to the next)."""
    html, url = page.content(), page.url.split("#")[0]
    copy = reading_tab(page.context.browser, page.viewport_size, javascript="copy")
    copy.route("**/*.js", lambda route: route.abort())
    copy.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    copy.goto(url)
    return run_axe(copy, axe_source)


def describe(violations):
    return json.dumps(violations, indent=2)


def is_loopback(url):
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname in LOOPBACK


def sign_in(page, site, username, password="not-used-123"):
    """Signs in to the admin on its login page, as an editor would."""
    page.goto(site + "/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def sign_in_directly(context, site, user):
    """Gives the browser context a signed-in admin session, as the test client's
    force_login does: no login page to load and post. The login form itself is
    driven by test_editor_story.py and test_privacy.py (sign_in)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": site}]
    )


@pytest.fixture
def new_rows_removed(site):
    """For a test whose server saves rows no other test reads (saved handouts,
    answers to "Is this page useful?"): they are deleted after it, where
    transactional_db would empty and reload every table (about 2 s of CPU)."""
    from feedback.models import Feedback
    from handouts.models import SavedHandout

    models = [SavedHandout, Feedback]
    before = {
        model: list(model.objects.values_list("pk", flat=True)) for model in models
    }
    yield site
    for model in models:
        model.objects.exclude(pk__in=before[model]).delete()


# What axe finds in Django's own admin widgets, which this project does not
# template: tabular inline cells are named by their column heading, not a
# <label>, and the filter_horizontal widget's help icon carries an aria-label.
DJANGO_WIDGET_RULES = {"label", "select-name", "aria-prohibited-attr"}


def assert_admin_accessible(page, axe_source):
    """axe finds nothing on an admin page beyond Django's own widgets."""
    violations = [
        v for v in run_axe(page, axe_source) if v["id"] not in DJANGO_WIDGET_RULES
    ]
    assert violations == [], describe(violations)
