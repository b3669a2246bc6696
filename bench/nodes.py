"""Two nodes on one PostgreSQL with Redis: each node's throughput while the
other one publishes once a second, against the same node left quiet, in one
interleaved run; and whether any reader saw a page older than the publish that
came before their request.

`make bench-nodes` runs it on a throw-away PostgreSQL and Redis. Otherwise it
needs BENCH_DATABASE_URL (a PostgreSQL server; a scratch database is made and
dropped) and BENCH_REDIS_URL (else a throw-away redis-server is started). Each
node is gunicorn with WORKERS workers, as bench/pages.py serves the site, with
the default CONTENT_VERSION_WATCH (LISTEN/NOTIFY).

ROUNDS times, for each node in turn: wrk loads its practice point page for
DURATION seconds quietly, then for DURATION seconds while a publisher changes
that page's title once a second (straight in the database, then waiting as an
admin save does until every node's listener has heard it: the version trigger,
NOTIFY and editorial.versions.wait_until_heard are what an admin save sets off).
After each publish a reader asks both nodes for the page at once and checks it
shows the new title. Medians per node and phase; the load average beside each.
"""

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import (  # noqa: E402
    ROUNDS,
    WORKERS,
    free_port,
    stop,
    wait_until_serving,
    wrk,
)
from editorial.version_watchers import BEHIND, LISTENER_NAME  # noqa: E402

DURATION = int(os.environ.get("DURATION", "10"))
SLUG = "trauma-informed-approach"
PATH = f"/practice-points/{SLUG}/"
MAX_DROP = 0.2


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


def read_title(base):
    with urlopen(base + PATH, timeout=10) as response:
        return response.read()


def wait_until_heard(connection, number, within=3.0):
    # What an admin save does before its answer goes out (editorial.versions).
    deadline = time.monotonic() + within
    while connection.execute(BEHIND, [f"{LISTENER_NAME}:%", number]).fetchone()[0]:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)
    return True


def publisher(database_url, stop_at, record, bases):
    """Publish once a second until ``stop_at``; then read both nodes at once."""
    import psycopg

    with (
        psycopg.connect(database_url, autocommit=True) as connection,
        ThreadPoolExecutor(len(bases)) as readers,
    ):
        while time.monotonic() < stop_at:
            title = f"Trauma-informed approach {secrets.token_hex(4)}"
            connection.execute(
                "UPDATE practice_points_practicepoint SET title = %s WHERE slug = %s",
                [title, SLUG],
            )
            number = connection.execute(
                "SELECT number FROM editorial_contentversion WHERE id = 1"
            ).fetchone()[0]
            record["unheard"] += not wait_until_heard(connection, number)
            record["publishes"] += 1
            for base, page in zip(bases, readers.map(read_title, bases), strict=True):
                record["reads"] += 1
                if title.encode() not in page:
                    record["stale"].append((base, title))
            time.sleep(1)


def load_average():
    return float(Path("/proc/loadavg").read_text().split()[0])


def phase(url, database_url, bases, record=None):
    """One wrk run on ``url``; publishing once a second meanwhile if ``record``."""
    thread = None
    if record is not None:
        thread = threading.Thread(
            target=publisher,
            args=(database_url, time.monotonic() + DURATION - 1, record, bases),
        )
        thread.start()
    run = wrk(url + PATH, duration=DURATION)
    if thread is not None:
        thread.join()
    return run, load_average()


@contextmanager
def redis_url():
    if os.environ.get("BENCH_REDIS_URL"):
        yield os.environ["BENCH_REDIS_URL"]
        return
    port, folder = free_port(), tempfile.mkdtemp(prefix="bench-redis-")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", folder],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(0.5)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def report(runs, record):
    print(
        f"Two nodes x {WORKERS} workers (gthread), PostgreSQL + Redis, wrk -t2 -c16"
        f" -d{DURATION}s, {ROUNDS} interleaved rounds (medians)"
    )
    header = f"{'node':<5} {'phase':<28} {'req/s':>7} {'p50':>9} {'p99':>9}"
    print(f"{header} {'errors':>6}  load average")
    worst = 1.0
    for label in ("A", "B"):
        quiet, busy = runs[label]["quiet"], runs[label]["busy"]
        for name, measured in (("quiet", quiet), ("other publishing 1/s", busy)):
            rps = statistics.median(run.rps for run, _ in measured)
            p50 = statistics.median(run.p50 for run, _ in measured)
            p99 = statistics.median(run.p99 for run, _ in measured)
            errors = sum(run.errors for run, _ in measured)
            loads = " ".join(f"{load:.1f}" for _, load in measured)
            print(
                f"{label:<5} {name:<28} {rps:>7.0f} {p50:>6.2f} ms {p99:>6.2f} ms"
                f" {errors:>6}  {loads}"
            )
        # Each round's publishing run against the quiet run just before it.
        ratios = [b.rps / q.rps for (q, _), (b, _) in zip(quiet, busy, strict=True)]
        ratio = statistics.median(ratios)
        worst = min(worst, ratio)
        shown = ", ".join(f"{r:.0%}" for r in ratios)
        print(f"      node {label} while the other publishes: {ratio:.0%} ({shown})")
    met = "met" if 1 - worst <= MAX_DROP else "NOT met"
    print(f"Throughput while the other node publishes: at worst {worst:.0%} ({met})")
    stale = record["stale"]
    print(
        f"{record['publishes']} publishes ({record['unheard']} not heard by every"
        f" listener within 3 s), {record['reads']} reads right after:"
        f" {len(stale)} stale ({'met' if not stale else 'NOT met'})"
    )


def measure(bases, database_url):
    nodes = dict(zip("AB", bases, strict=True))
    for base in bases:
        wrk(base + PATH, connections=4, duration=2)  # warm every worker
    runs = {label: {"quiet": [], "busy": []} for label in nodes}
    record = {"publishes": 0, "reads": 0, "unheard": 0, "stale": []}
    for _ in range(ROUNDS):
        for label, url in nodes.items():
            runs[label]["quiet"].append(phase(url, database_url, bases))
            runs[label]["busy"].append(phase(url, database_url, bases, record))
    return runs, record


def main():
    server = os.environ["BENCH_DATABASE_URL"]
    import psycopg

    name = "bench_nodes_" + secrets.token_hex(4)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = urlunsplit(urlsplit(server)._replace(path="/" + name))
    workdir = Path(tempfile.mkdtemp(prefix=name))
    servers = []
    try:
        with redis_url() as redis, ExitStack() as logs:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": database_url,
                "CACHE_URL": redis,
                "STATIC_ROOT": str(workdir / "static"),
                "SECURE_SSL": "false",
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECRET_KEY": "bench-nodes-" + "x" * 40,
            }
            env.pop("CONTENT_VERSION_WATCH", None)  # the default, as deployed
            print("Setting up...", file=sys.stderr)
            setup = {**env, "VAR_DIR": str(workdir / "setup")}
            manage(setup, "migrate", "--noinput")
            manage(setup, "load_content")
            manage(setup, "collectstatic", "--noinput", "-v0")
            bases = []
            for label in ("a", "b"):
                log = logs.enter_context(open(workdir / f"{label}.log", "wb"))
                process, url = node({**env, "VAR_DIR": str(workdir / label)}, log)
                servers.append(process)
                bases.append(url)
            runs, record = measure(bases, database_url)
            report(runs, record)
    finally:
        for process in servers:
            stop(process)
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
