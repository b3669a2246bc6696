"""The production front: real nginx (deploy/nginx/) in front of two real
gunicorn nodes, started as `make run-proxied` starts them.

Hostile clients (idle sockets, slowloris) cost nginx a few bytes each and never
reach a node; a node that dies is skipped without losing a request; and a
client cannot choose the address the site sees. The nodes share a scratch
PostgreSQL database, as two machines would.
"""

import os
import shutil
import signal
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from deploy.run_proxied import NGINX, proxied_site
from tests.servers import (
    ADMIN_PASSWORD,
    Browser,
    fetch,
    free_port,
    postgres_server_url,
    read_form,
    scratch_database,
    set_up_site,
    site_env,
)

SERVER = postgres_server_url()
# The PostgreSQL pass of .ci/run only: the SQLite pass would add a minute.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.timing,
    pytest.mark.skipif(SERVER is None, reason="needs DATABASE_URL on PostgreSQL"),
    pytest.mark.skipif(
        not shutil.which(NGINX), reason="needs nginx (.ci/run installs it)"
    ),
]

PAGE = "/glossary/"


class Site:
    def __init__(self, base, nodes):
        self.base = base
        self.nodes = nodes  # (gunicorn master process, port)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("proxied")
    with scratch_database(SERVER) as database_url:
        env = site_env(
            database_url, tmp / "var", STATIC_ROOT=tmp / "static", BEHIND_PROXY="true"
        )
        set_up_site(env)
        port = free_port()
        with proxied_site(port, nodes=2, workers=1, env=env, folder=tmp) as nodes:
            yield Site(f"http://127.0.0.1:{port}", nodes)


def idle_sockets(port, count):
    return [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]


def slowloris(port, stop):
    """A request that never ends: one more header line every second."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"GET {PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
        number = 0
        while not stop.wait(1):
            number += 1
            try:
                sock.sendall(f"X-Slow-{number}: a\r\n".encode())
            except OSError:
                return  # nginx gave up on it: what it should do


def timed_get(base, path=PAGE):
    response = fetch(base, path, timeout=10)
    return response.status, response.seconds


def test_idle_and_slow_clients_leave_readers_served(site):
    port = int(site.base.rsplit(":", 1)[1])
    assert fetch(site.base, PAGE).status == 200  # warm the page cache
    held = idle_sockets(port, 40)
    stop = threading.Event()
    slow = [
        threading.Thread(target=slowloris, args=(port, stop), daemon=True)
        for _ in range(10)
    ]
    try:
        for thread in slow:
            thread.start()
        time.sleep(1.5)  # every slow client has sent something
        answers = [timed_get(site.base) for _ in range(5)]
    finally:
        stop.set()
        for sock in held:
            sock.close()
        for thread in slow:
            thread.join(timeout=5)
    assert [status for status, _ in answers] == [200] * 5
    assert max(seconds for _, seconds in answers) < 1, answers


def test_a_node_reached_directly_degrades_rather_than_stops(site):
    """gunicorn's own settings (gthread) park idle sockets instead of waiting."""
    _, port = site.nodes[0]
    node = f"http://127.0.0.1:{port}"
    assert fetch(node, PAGE).status == 200
    held = idle_sockets(port, 40)
    try:
        time.sleep(0.5)
        answers = [timed_get(node) for _ in range(3)]
    finally:
        for sock in held:
            sock.close()
    assert [status for status, _ in answers] == [200] * 3
    # Before gthread: no answer at all within 40 s.
    assert max(seconds for _, seconds in answers) < 3, answers


def test_a_made_up_forwarded_for_is_ignored(site):
    """Wrong passwords sent "from" new addresses still count against the real one."""
    browser = Browser(site.base)
    form = read_form(browser.get("/admin/login/").text, form_id="login-form")
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())

    def sign_in(password, spoofed):
        data = form.data(username="admin", password=password)
        return fetch(
            site.base,
            "/admin/login/?next=/admin/",
            "POST",
            urlencode(data, doseq=True).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": site.base + "/admin/login/",
                "X-Forwarded-For": spoofed,
                "X-Real-IP": spoofed,
            },
        )

    # Each from a "new" address: had the site believed them, none would lock.
    tries = [sign_in("wrong", f"203.0.113.{n}, 198.51.100.9") for n in range(1, 6)]
    assert [answer.status for answer in tries[:4]] == [200] * 4  # form and error
    locked = sign_in(ADMIN_PASSWORD, "192.0.2.77")
    assert locked.status == 429
    assert "Signing in is paused" in locked.text


def test_sign_in_and_feedback_posts_are_rate_limited_per_client(site):
    answers = [
        fetch(site.base, "/feedback/", "POST", b"", {"Content-Type": "text/plain"})
        for _ in range(12)
    ]
    statuses = [answer.status for answer in answers]
    assert 429 in statuses, statuses
    # Reading pages is never limited by it.
    assert fetch(site.base, PAGE).status == 200


def _children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def test_a_dead_node_loses_no_request(site):
    """Last in this module: it leaves one node dead."""
    process, _ = site.nodes[1]
    for child in _children(process.pid):
        os.kill(child, signal.SIGKILL)
    process.kill()
    process.wait(timeout=10)
    paths = [PAGE, "/", "/search/?q=trauma", "/practice-points/"] * 10
    statuses = [fetch(site.base, path, timeout=10).status for path in paths]
    assert statuses == [200] * len(paths)
