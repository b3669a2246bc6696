"""A shared cache that stops answering costs a page at most a quarter second.

A real redis-server, started here, is frozen (SIGSTOP): it keeps its socket
open and answers nothing, the worst way a cache can fail. Pages keep coming,
each within a quarter second of its time without any cache.
"""

import shutil
import signal
import subprocess
import time

import pytest
from django.core.cache import caches
from django.db import connections

from config import cache as breaker
from tests.servers import free_port, postgres_server_url

needs_redis = pytest.mark.skipif(
    not shutil.which("redis-server"), reason="needs redis-server (.ci/run installs it)"
)
PAGES = ["/glossary/", "/", "/practice-points/", "/search/?q=trauma"]


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--maxmemory", "64mb",
         "--maxmemory-policy", "allkeys-lru"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                subprocess.run(
                    ["redis-cli", "-p", str(port), "ping"],
                    check=True,
                    capture_output=True,
                )
                break
            except subprocess.CalledProcessError:
                time.sleep(0.05)
        yield process, f"redis://127.0.0.1:{port}/0"
    finally:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_cache(settings, redis_server):
    process, url = redis_server
    import config.settings as project

    settings.CACHES = {**settings.CACHES, "default": project._cache(url)}
    breaker._open_until.clear()
    yield process
    process.send_signal(signal.SIGCONT)
    breaker._open_until.clear()


def seconds(client, path):
    caches["local"].clear()  # every request asks the shared cache
    started = time.monotonic()
    response = client.get(path)
    assert response.status_code == 200
    return time.monotonic() - started


@pytest.mark.integration  # a real redis-server
@pytest.mark.timing
@needs_redis
def test_a_frozen_redis_costs_a_page_at_most_a_quarter_second(
    client, content, redis_cache
):
    assert caches["default"].__class__ is breaker.BreakerRedisCache
    # Uncached: what a page costs with a cache that has nothing.
    caches["default"].clear()
    cold = {path: seconds(client, path) for path in PAGES}
    caches["default"].clear()

    redis_cache.send_signal(signal.SIGSTOP)
    frozen = [(path, seconds(client, path)) for path in PAGES * 2]
    # The first call waits out the socket timeout; then Redis is skipped.
    slower = [round(took - cold[path], 3) for path, took in frozen]
    print("frozen Redis, seconds added per page:", slower)
    assert max(slower) < 0.4, slower

    redis_cache.send_signal(signal.SIGCONT)
    breaker._open_until.clear()
    assert seconds(client, "/glossary/") < 1
    assert caches["default"].get("no-such-key") is None  # answering again


@pytest.mark.skipif(postgres_server_url() is None, reason="PostgreSQL's own timeout")
@pytest.mark.django_db(databases=["default", "cache"])
def test_the_database_cache_gives_up_after_a_quarter_second():
    with connections["cache"].cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "250ms"
