"""The site as `make run` serves it: gunicorn with the project's gunicorn.conf.py."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

from tests.servers import collect_static, free_port, migrate_and_load

# A SQLite site whatever the run's database: CI runs it in its SQLite pass.
pytestmark = [pytest.mark.integration, pytest.mark.same_on_every_engine]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def var(tmp_path_factory):
    """The served site's VAR_DIR: its database, uploads and access log."""
    var = tmp_path_factory.mktemp("served")
    # An image an editor uploaded earlier.
    (var / "media" / "markdownx").mkdir(parents=True)
    Image.new("RGB", (4, 3), "teal").save(var / "media" / "markdownx" / "chart.png")
    return var


@pytest.fixture(scope="module")
def served(var):
    """gunicorn on loopback over a migrated SQLite database."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
        "VAR_DIR": str(var),
        "STATIC_ROOT": str(var / "static"),
        "SECURE_SSL": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    migrate_and_load(env)
    collect_static(env)
    port = free_port()
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--access-logfile",
            str(var / "access.log"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # A busy machine can take a while to start gunicorn: wait up to a minute.
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/search/", timeout=5)
                break
            except OSError:  # refused, reset or timed out while starting
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def test_a_long_search_is_answered_by_the_site(served):
    status, html = get(served + "/search/?q=" + "word+" * 1500)
    assert status == 200
    assert "only its first words were used" in html


def test_a_huge_request_line_is_refused_at_once(served):
    # gunicorn's bounded limit: a 16 MB line cannot tie up a worker.
    host, port = served.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"GET /search/?q=" + b"a" * 100_000)
        conn.settimeout(10)
        reply = conn.recv(200)
    assert reply.startswith(b"HTTP/1.1 4")


def test_a_served_page_sets_security_headers(served):
    with urllib.request.urlopen(served + "/search/", timeout=10) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in response.headers


def test_an_uploaded_image_is_served_by_the_site(served):
    # whitenoise serves static files only: the site itself serves uploads.
    with urllib.request.urlopen(served + "/media/markdownx/chart.png") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "image/png"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in response.headers
        assert response.read().startswith(b"\x89PNG")


def test_line_breaks_in_an_address_cannot_forge_an_access_log_line(served, var):
    forged = '/x%0d%0a[01/Jan/2030:00:00:00 +0000] "GET /forged" 200'
    status, _ = get(served + forged.replace(" ", "%20").replace('"', "%22"))
    assert status == 404
    for _ in range(50):  # gunicorn writes the line after the response
        lines = (var / "access.log").read_text().splitlines()
        if any("/x" in line for line in lines):
            break
        time.sleep(0.1)
    [line] = [line for line in lines if "/x" in line]
    assert "/x\\x0d\\x0a[01/Jan/2030" in line
    assert not any(line.startswith("[01/Jan/2030") for line in lines)
