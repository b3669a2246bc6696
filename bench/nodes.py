"""Two nodes on one PostgreSQL with Redis: a node's throughput while content is
published once a second, and whether any reader saw a page older than the
publish that came before their request.

Needs BENCH_DATABASE_URL (a PostgreSQL server; a scratch database is made and
dropped) and BENCH_REDIS_URL. Each node is gunicorn with WORKERS workers, as
bench/pages.py serves the site. For DURATION seconds wrk loads node B's practice
point page, first quietly, then while a publisher changes that page's title once a
second (straight in the database: the version trigger and NOTIFY are what an
admin save sets off). After each publish a reader asks node A and node B for the
page at once and checks it shows the new title.
"""

import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import WORKERS, free_port, stop, wait_until_serving, wrk  # noqa: E402

DURATION = int(os.environ.get("DURATION", "10"))
SLUG = "trauma-informed-approach"
PATH = f"/practice-points/{SLUG}/"


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL,
    )


def node(env, log):
    port = free_port()
    process = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "config.wsgi"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]
        + ["--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    if not wait_until_serving(process, url + "/"):
        sys.exit("a node did not start")
    return process, url


def publisher(database_url, stop_at, published, stale, bases):
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        while time.monotonic() < stop_at:
            title = f"Trauma-informed approach {secrets.token_hex(4)}"
            connection.execute(
                "UPDATE practice_points_practicepoint SET title = %s WHERE slug = %s",
                [title, SLUG],
            )
            published.append(title)
            # A reader on each node, right after the publish returned.
            for base in bases:
                with urlopen(base + PATH, timeout=10) as response:
                    if title.encode() not in response.read():
                        stale.append((base, title))
            time.sleep(1)


def main():
    server, redis = os.environ["BENCH_DATABASE_URL"], os.environ["BENCH_REDIS_URL"]
    import psycopg

    name = "bench_nodes_" + secrets.token_hex(4)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = urlunsplit(urlsplit(server)._replace(path="/" + name))
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / name
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": redis,
        # LISTEN/NOTIFY is what this measures (off by default on PostgreSQL).
        "CONTENT_VERSION_WATCH": "sqlite,postgresql",
        "STATIC_ROOT": str(workdir / "static"),
        "SECURE_SSL": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "bench-nodes-" + "x" * 40,
    }
    servers = []
    try:
        print("Setting up...", file=sys.stderr)
        manage({**env, "VAR_DIR": str(workdir / "setup")}, "migrate", "--noinput")
        manage({**env, "VAR_DIR": str(workdir / "setup")}, "load_content")
        setup = {**env, "VAR_DIR": str(workdir / "setup")}
        manage(setup, "collectstatic", "--noinput", "-v0")
        with ExitStack() as logs:
            bases = []
            for label in ("a", "b"):
                log = logs.enter_context(open(workdir / f"{label}.log", "wb"))
                process, url = node({**env, "VAR_DIR": str(workdir / label)}, log)
                servers.append(process)
                bases.append(url)
            b = bases[1]
            wrk(b + PATH, connections=4, duration=2)
            quiet = wrk(b + PATH, duration=DURATION)
            published, stale = [], []
            thread = threading.Thread(
                target=publisher,
                args=(database_url, time.monotonic() + DURATION, published, stale),
                kwargs={"bases": bases},
            )
            thread.start()
            busy = wrk(b + PATH, duration=DURATION)
            thread.join()
        load = Path("/proc/loadavg").read_text().split()[:3]
        print(
            f"Two nodes x {WORKERS} workers, PostgreSQL + Redis, wrk -t2 -c16"
            f" -d{DURATION}s on node B, load average {' '.join(load)}"
        )
        print(f"{'':<28} {'req/s':>7} {'p50':>9} {'p99':>9} {'errors':>6}")
        for label, run in (("quiet", quiet), ("publishing once a second", busy)):
            print(
                f"{label:<28} {run.rps:>7.0f} {run.p50:>6.2f} ms {run.p99:>6.2f} ms"
                f" {run.errors:>6}"
            )
        drop = 1 - busy.rps / quiet.rps
        print(
            f"Throughput while publishing: {busy.rps / quiet.rps:.0%} of quiet"
            f" ({'met' if drop <= 0.2 else 'NOT met'}: at most a 20% drop)"
        )
        print(
            f"{len(published)} publishes, {2 * len(published)} reads right after:"
            f" {len(stale)} stale ({'met' if not stale else 'NOT met'})"
        )
    finally:
        for process in servers:
            stop(process)
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
