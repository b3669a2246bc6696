"""Database trouble gives readers a styled 503 with Retry-After, quickly, and the
site recovers by itself when the database comes back.

On PostgreSQL a gunicorn node reaches its database through a small TCP proxy
in this test, which can stop (refuse new connections, drop open ones), freeze
(keep sockets open, forward nothing: a hung server) and be restored.
"""

import select
import socket
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import InterfaceError, OperationalError

from search import backends
from tests.servers import (
    fetch,
    gunicorn,
    html_text,
    postgres_server_url,
    scratch_database,
    set_up_site,
    site_env,
    unique_word,
)

pytestmark = [pytest.mark.integration, pytest.mark.timing]

SERVER = postgres_server_url()
DATABASE_TIMEOUT = 2
BACK_SOON = "Sorry, the guidance is not available for a moment"
READER_PAGE = "/practice-points/trauma-informed-approach/"


class Proxy:
    """A loopback TCP proxy to ``target`` that can stop, freeze and be restored."""

    def __init__(self, target):
        self.target = target
        self.state = "open"
        self.pairs = []
        self.lock = threading.Lock()
        self.running = True
        self.listener = self._listen(0)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _listen(self, port):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(16)
        listener.settimeout(0.1)
        return listener

    def _accept(self):
        while self.running:
            listener = self.listener
            if listener is None:
                time.sleep(0.05)
                continue
            try:
                client, _ = listener.accept()
            except OSError:  # timed out, or closed by stop()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            pair = (client, upstream)
            with self.lock:
                self.pairs.append(pair)
            threading.Thread(target=self._pump, args=(pair,), daemon=True).start()

    def _pump(self, pair):
        try:
            while self.running and self.state != "stopped":
                if self.state == "frozen":
                    time.sleep(0.05)  # read nothing, send nothing
                    continue
                readable, _, _ = select.select(pair, [], [], 0.1)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (pair[1] if source is pair[0] else pair[0]).sendall(data)
        except OSError:
            pass
        finally:
            self._close(pair)

    def _close(self, pair):
        for sock in pair:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        with self.lock:
            if pair in self.pairs:
                self.pairs.remove(pair)

    def stop(self):
        """As a stopped server: new connections refused, open ones dropped."""
        self.state = "stopped"
        listener, self.listener = self.listener, None
        listener.close()
        with self.lock:
            pairs = list(self.pairs)
        for pair in pairs:
            self._close(pair)

    def freeze(self):
        """As a hung server: connections stay open and nothing is answered."""
        self.state = "frozen"

    def restore(self):
        if self.listener is None:
            self.listener = self._listen(self.port)
        self.state = "open"

    def close(self):
        self.running = False
        self.stop()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def proxied_node(tmp_path_factory):
    """One gunicorn node whose database connections all go through a Proxy."""
    if SERVER is None:
        pytest.skip("needs DATABASE_URL on a PostgreSQL server")
    tmp = tmp_path_factory.mktemp("trouble")
    with scratch_database(SERVER) as url:
        set_up_site(site_env(url, tmp / "setup", STATIC_ROOT=tmp / "static"))
        parts = urlsplit(url)
        proxy = Proxy((parts.hostname, parts.port or 5432))
        try:
            user = parts.netloc.rpartition("@")[0]
            proxied = urlunsplit(
                parts._replace(netloc=f"{user}@127.0.0.1:{proxy.port}".lstrip("@"))
            )
            env = site_env(
                proxied,
                tmp / "node",
                STATIC_ROOT=tmp / "static",
                DATABASE_TIMEOUT=DATABASE_TIMEOUT,
            )
            env.pop("CONN_MAX_AGE", None)  # the default: persistent connections
            with gunicorn(env, tmp / "node.log") as node:
                yield node, proxy
        finally:
            proxy.close()


def search_page():
    """A page no cache can answer: a search for a word never asked before."""
    return f"/search/?q={unique_word()}"


def assert_back_soon(response, within):
    assert response.status == 503, response.text[:500]
    assert int(response.header("retry-after")) > 0
    assert BACK_SOON in html_text(response.text)
    assert 'rel="stylesheet"' in response.text
    assert response.seconds < within, f"took {response.seconds:.1f} s"


def assert_serving(node, within=5):
    for path in (search_page(), READER_PAGE):
        response = fetch(node.base, path, timeout=15)
        assert response.status == 200, (path, response.status)
        assert response.seconds < within


def test_a_stopped_database_gives_503_at_once_and_the_site_recovers(proxied_node):
    node, proxy = proxied_node
    pid = node.process.pid
    assert_serving(node)

    proxy.stop()
    try:
        assert_back_soon(fetch(node.base, search_page(), timeout=15), within=3)
        # Reader pages ask the database for the content version first.
        assert_back_soon(fetch(node.base, READER_PAGE, timeout=15), within=3)
    finally:
        proxy.restore()

    assert_serving(node)
    assert node.process.poll() is None and node.process.pid == pid


def test_a_frozen_database_gives_503_within_the_timeout_and_the_site_recovers(
    proxied_node,
):
    node, proxy = proxied_node
    pid = node.process.pid
    assert_serving(node)  # a persistent connection is open when it freezes

    proxy.freeze()
    try:
        # The deadline, then the 503 page; a second more for a loaded machine.
        within = DATABASE_TIMEOUT + 3
        assert_back_soon(fetch(node.base, search_page(), timeout=30), within)
        assert_back_soon(fetch(node.base, READER_PAGE, timeout=30), within)
    finally:
        proxy.restore()

    assert_serving(node)
    assert node.process.poll() is None and node.process.pid == pid


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_trouble_in_a_view_gives_the_styled_503(
    no_content, client, monkeypatch, error
):
    def fail(*args, **kwargs):
        raise error("the database went away")

    client.raise_request_exception = False
    monkeypatch.setattr(backends, "search", fail)
    response = client.get("/search/?q=support")

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert BACK_SOON in html_text(html)
    assert 'rel="stylesheet"' in html and 'id="main-content"' in html

    monkeypatch.undo()
    assert client.get("/search/?q=support").status_code == 200  # 503 not cached
