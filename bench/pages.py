"""Reader pages under load, against the same bytes served as static files and
against the same pages through Django's per-site cache middleware.

Run with `make bench-pages` (it installs wrk when missing). Not a test: it prints
a table and the targets of issues 11 and 27, "met" or "NOT met", and exits 0
either way unless a server fails to start.

It never touches var/ or staticfiles/: it does what `make seed static` does
(migrate, load_content --if-empty, collectstatic) in a temporary directory that
holds the SQLite database, VAR_DIR, the cache and STATIC_ROOT, then serves the
site as `make run` does (gunicorn, SECURE_SSL=false) on a free loopback port,
without an access log. BENCH_DATABASE_URL names a PostgreSQL database to use
instead of the throw-away SQLite file.

Four targets serve each page, all under gunicorn with the same options:
- "static": the page's bytes, fetched once from the running site and served by
  whitenoise (bench/baseline.py): the ceiling for a Python app on this machine;
- "Django cache": this site with Django's per-site cache middleware in place of
  its own page cache (bench/django_cache_settings.py), the peer a Wagtail team
  deploys; up to 10 minutes stale, per node;
- "before": this site without ReaderPages in front and without the version
  watcher (the content version read on every request), as it was;
- "site": this site as deployed (config.wsgi).
Every page is measured on every target in turn, ROUNDS times, so noise on the
shared machine hits all of them; the table gives the median of the rounds.

SQL queries are counted in this process with Django's test client against the
same database and settings: cold (every cache cleared: the first page after a
content change, which also builds the data later pages share), a miss (the page
not cached yet, under another host name, the shared data built), a hit (the same
GET again) and a conditional GET with the ETag of the hit. Reads of the database
cache go over its own connection and are not counted with the page's queries.

Then the library: the same database grows to LIBRARY_BRIEFINGS published
briefings (the shipped one and made-up ones of ITEMS_PER_BRIEFING sections and
practice points each, never in the shipped content), and the cached pages and
query counts are measured again, with the library's own pages, beside the
one-briefing figures of the same run.

Environment: WORKERS (2), DURATION of each wrk run in seconds (5), ROUNDS (2),
SOAK seconds at 64 connections (60), LIBRARY=0 to skip the library part.
"""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = int(os.environ.get("WORKERS", "2"))
DURATION = int(os.environ.get("DURATION", "5"))
ROUNDS = int(os.environ.get("ROUNDS", "2"))
SOAK = int(os.environ.get("SOAK", "60"))
LIBRARY = os.environ.get("LIBRARY", "1") != "0"
SEARCH_QUERY = "drug+use"

# Issues 11 and 27's targets for this 2-core machine.
MIN_RATIO = 0.9  # of the static file
MIN_PEER_RATIO = 1.2  # of Django's cache middleware
MAX_P99_MS = 10
MAX_MISS_QUERIES = 6
MAX_304_QUERIES = 0
TARGETS = {
    "static": "static file, whitenoise",
    "django cache": "Django cache middleware",
    "before": "this site, before (#27)",
    "site": "this site",
}
LIBRARY_BRIEFINGS = 20
ITEMS_PER_BRIEFING = 30  # a third sections, the rest practice points


@dataclass
class WrkRun:
    rps: float
    p50: float
    p99: float
    requests: int
    connect: int
    read: int
    write: int
    timeout: int
    non_2xx: int
    # The share of wrk's connections the busiest gunicorn worker held, a
    # second in: with one busy worker and one idle, every request waits twice.
    busiest: float = 0.0

    @property
    def errors(self):
        return self.connect + self.read + self.write + self.non_2xx

    @classmethod
    def median(cls, runs):
        def mid(name):
            return statistics.median(getattr(run, name) for run in runs)

        return cls(
            rps=mid("rps"),
            p50=mid("p50"),
            p99=mid("p99"),
            busiest=mid("busiest"),
            **{
                name: sum(getattr(run, name) for run in runs)
                for name in ("requests", "connect", "read", "write", "timeout")
            },
            non_2xx=sum(run.non_2xx for run in runs),
        )


@dataclass
class Queries:
    cold: int  # the first page of a new content version: builds shared data
    miss: int  # a page not cached yet, the version's shared data built
    hit: int
    not_modified: int | None  # None: the page sent no ETag
    not_modified_status: int | None
    cache_reads: int  # on the database cache's own connection, for a miss


def bench_env(workdir):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'db.sqlite3'}"
        ),
        "VAR_DIR": str(workdir),
        "STATIC_ROOT": str(workdir / "staticfiles"),
        "SECURE_SSL": "false",
        "DEBUG": "false",
        # The second name gives the query count a page that is not cached yet.
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def set_up_site(env):
    for command in (
        ["migrate", "--noinput"],
        ["load_content", "--if-empty"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=600,
            stdout=subprocess.DEVNULL,
        )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app, env, log, options=("--workers", str(WORKERS))):
    port = free_port()
    # Its own session, so Ctrl-C reaches only this script, which then stops
    # the server (master and workers) in its finally block.
    process = subprocess.Popen(
        [BIN / "gunicorn", app, "--bind", f"127.0.0.1:{port}"]
        + [*options, "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_until_serving(process, url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urlopen(url, timeout=5):
                return True
        except HTTPError:
            return True  # Any answer means it is up.
        except OSError:
            time.sleep(0.2)
    return False


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def fetch(url):
    with urlopen(url, timeout=30) as response:
        return response.read()


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def parse_wrk(output):
    def latency(percent):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        return to_ms(*found.groups())

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    connect, read, write, timeout = (
        map(int, socket_errors.groups()) if socket_errors else (0, 0, 0, 0)
    )
    return WrkRun(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        p50=latency(50),
        p99=latency(99),
        requests=int(re.search(r"(\d+) requests in", output)[1]),
        connect=connect,
        read=read,
        write=write,
        timeout=timeout,
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
    )


def busiest_share(port):
    """The share of the connections to port held by one process (worker)."""
    listed = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"sport = :{port}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    per_worker = {}
    for pid in re.findall(r"pid=(\d+)", listed):
        per_worker[pid] = per_worker.get(pid, 0) + 1
    total = sum(per_worker.values())
    return max(per_worker.values()) / total if total else 0.0


def wrk(url, connections=16, duration=DURATION):
    process = subprocess.Popen(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(min(1.0, duration / 2))
        busiest = busiest_share(url.split(":")[2].split("/")[0])
        output, _ = process.communicate(timeout=duration + 60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args, output)
    run = parse_wrk(output)
    run.busiest = busiest
    return run


def count_queries(path, host):
    from django.core.cache import caches
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def get(host=host, **headers):
        """(response, queries on the content database, on the cache's own)."""
        with ExitStack() as stack:
            captured = {
                alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
                for alias in connections
            }
            # A fresh client each time: readers send no cookie, and a cookie
            # kept from an earlier response could make a cache step aside.
            response = Client(HTTP_HOST=host).get(path, **headers)
        content = sum(len(q) for alias, q in captured.items() if alias != "cache")
        return response, content, len(captured.get("cache", []))

    # The first request in a process pays for things every worker does once
    # (templates, content types), which is not what a miss costs.
    get()
    for cache in caches.all():
        cache.clear()
    response, cold, _ = get()
    assert response.status_code == 200, (path, response.status_code)
    # Another host name is another cached page: a miss, with the version's
    # shared data (practice points, sections, glossary) already built.
    port = host.partition(":")[2]
    response, miss, cache_reads = get(host=f"localhost:{port}" if port else "localhost")
    assert response.status_code == 200, (path, response.status_code)
    response, hit, _ = get()
    etag = response.get("ETag")
    if not etag:
        return Queries(cold, miss, hit, None, None, cache_reads)
    response, not_modified, _ = get(HTTP_IF_NONE_MATCH=etag)
    return Queries(cold, miss, hit, not_modified, response.status_code, cache_reads)


def verdict(ok):
    return "met" if ok else "NOT met"


def print_report(pages, runs, queries):
    """``runs[page][target]``: one WrkRun (the median of the rounds) each."""
    print(
        f"{'page':<16} {'target':<25} {'req/s':>7} {'p50':>9} {'p99':>9}"
        f" {'of static':>9} {'x Django':>8} {'busiest':>7}"
    )
    for name, _ in pages:
        static, peer = runs[name]["static"], runs[name]["django cache"]
        for target, label in TARGETS.items():
            run = runs[name][target]
            print(
                f"{name:<16} {label:<25} {run.rps:>7.0f} {run.p50:>6.2f} ms"
                f" {run.p99:>6.2f} ms {run.rps / static.rps:>9.0%}"
                f" {run.rps / peer.rps:>7.2f}x {run.busiest:>7.0%}"
            )
    print(
        f"\n{'page':<16} {'cold':>5} {'miss':>5} {'hit':>5} {'304':>5}"
        "   (SQL queries of this site's page)"
    )
    for name, _ in pages:
        q = queries[name]
        if q.not_modified is None:
            not_modified = "n/a"
        elif q.not_modified_status != 304:
            not_modified = f"{q.not_modified} ({q.not_modified_status})"
        else:
            not_modified = str(q.not_modified)
        print(f"{name:<16} {q.cold:>5} {q.miss:>5} {q.hit:>5} {not_modified:>5}")
    print(
        "busiest: the share of wrk's 16 connections the busiest worker held.\n"
        "Queries: cold = every cache empty (first page of a new content version);"
        " miss = the page not cached, shared data built; the database cache's"
        " own reads are not counted."
    )
    for name, _ in pages:
        for target, label in TARGETS.items():
            run = runs[name][target]
            if run.errors or run.timeout:
                print(
                    f"  {name}, {label}: {run.errors} errors and"
                    f" {run.timeout} timeouts during the run"
                )

    def check(label, failures):
        detail = f" ({', '.join(failures)})" if failures else ""
        print(f"{label}: {verdict(not failures)}{detail}")

    site = {name: runs[name]["site"] for name, _ in pages}
    print()
    check(
        f"Every page >= {MIN_RATIO:.0%} of the static file's req/s",
        [
            f"{name} {site[name].rps / runs[name]['static'].rps:.0%}"
            for name, _ in pages
            if site[name].rps < MIN_RATIO * runs[name]["static"].rps
        ],
    )
    check(
        f"Every page >= {MIN_PEER_RATIO}x Django's cache middleware",
        [
            f"{name} {site[name].rps / runs[name]['django cache'].rps:.2f}x"
            for name, _ in pages
            if site[name].rps < MIN_PEER_RATIO * runs[name]["django cache"].rps
        ],
    )
    check(
        f"Every page p99 <= {MAX_P99_MS} ms",
        [
            f"{name} {site[name].p99:.1f} ms"
            for name, _ in pages
            if site[name].p99 > MAX_P99_MS
        ],
    )
    check(
        f"A cache miss in <= {MAX_MISS_QUERIES} queries",
        [
            f"{name} {queries[name].miss}"
            for name, _ in pages
            if queries[name].miss > MAX_MISS_QUERIES
        ],
    )
    check(
        f"A 304 in <= {MAX_304_QUERIES} queries",
        [
            f"{name} {'no ETag' if q.not_modified is None else q.not_modified}"
            + ("" if q.not_modified_status in (None, 304) else " and no 304")
            for name, q in ((name, queries[name]) for name, _ in pages)
            if q.not_modified is None
            or q.not_modified > MAX_304_QUERIES
            or q.not_modified_status != 304
        ],
    )


def print_soak(url):
    print(f"\nPractice point page, wrk -t2 -c64 -d{SOAK}s:")
    run = wrk(url, connections=64, duration=SOAK)
    print(f"  requests {run.requests} ({run.rps:.0f} req/s, p99 {run.p99:.0f} ms)")
    print(
        f"  errors {run.errors} (socket: connect {run.connect}, read {run.read},"
        f" write {run.write}; non-2xx or 3xx responses {run.non_2xx})"
    )
    print(f"  timeouts {run.timeout}")
    print(
        "At 64 connections, 0 errors and 0 timeouts:"
        f" {verdict(run.errors == 0 and run.timeout == 0)}"
    )


def build_library(total=LIBRARY_BRIEFINGS):
    """Published briefings beside the shipped one, ``total`` in all.

    Saved one by one through the ORM, as the admin saves them, so the search
    index and the content version follow as they would on a real site.
    """
    from editorial.models import Status
    from guidance.models import Audience, Briefing, Section
    from practice_points.models import PracticePoint, Prompt

    audiences = list(Audience.objects.all())
    sections = ITEMS_PER_BRIEFING // 3
    for n in range(Briefing.objects.count() + 1, total + 1):
        briefing = Briefing.objects.create(
            slug=f"bench-{n}",
            title=f"Bench briefing {n}",
            summary=f"A made-up briefing for the benchmark, number {n}.",
            attribution="Benchmark",
            topic=f"Topic {n % 4}",
            position=n,
            status=Status.PUBLISHED,
        )
        briefing.audiences.set([audiences[n % len(audiences)]])
        for i in range(sections):
            Section.objects.create(
                briefing=briefing,
                slug=f"section-{i}",
                title=f"Section {i} of briefing {n}",
                body=f"Made-up text about housing and drug use, part {i}.",
                position=i,
                status=Status.PUBLISHED,
            )
        for i in range(ITEMS_PER_BRIEFING - sections):
            point = PracticePoint.objects.create(
                briefing=briefing,
                slug=f"bench-{n}-point-{i}",
                title=f"Practice point {i} of briefing {n}",
                summary="Made-up advice about drug use.",
                position=i + 1,
                status=Status.PUBLISHED,
            )
            point.audiences.set(audiences)
            Prompt.objects.create(
                practice_point=point,
                slug="ask",
                text="Is anyone asking you for something in return?",
                status=Status.PUBLISHED,
            )


def measure(pages, site_url, host):
    queries = {name: count_queries(path, host) for name, path in pages}
    site = {}
    for name, path in pages:
        print(f"Measuring {name}...", file=sys.stderr)
        # Rendered once before any load: the first render of a version may
        # take longer than wrk waits for an answer.
        fetch(site_url + path)
        wrk(site_url + path, connections=4, duration=1)
        site[name] = wrk(site_url + path)
    return site, queries


def listed(failures):
    return f" ({', '.join(failures)})" if failures else ""


def print_library(pages, one, one_queries, two_queries, many, many_queries):
    print(
        f"\nThe library: {LIBRARY_BRIEFINGS} briefings of about"
        f" {ITEMS_PER_BRIEFING} items each, against one briefing (same run)\n"
    )
    print(
        f"{'page':<20} {'req/s 1':>8} {f'req/s {LIBRARY_BRIEFINGS}':>9}"
        f" {'p99 1':>9} {f'p99 {LIBRARY_BRIEFINGS}':>9}"
        f" {'cold 1':>7} {'cold 2':>7} {f'cold {LIBRARY_BRIEFINGS}':>8}"
        f" {'miss 1':>7} {f'miss {LIBRARY_BRIEFINGS}':>8} {'hit':>4}"
    )
    for name, _ in pages:
        s, q, two = many[name], many_queries[name], two_queries[name].cold
        if name in one:
            o, oq = one[name], one_queries[name]
            first = (
                f"{o.rps:>8.0f} {s.rps:>9.0f} {o.p99:>6.1f} ms {s.p99:>6.1f} ms"
                f" {oq.cold:>7} {two:>7} {q.cold:>8} {oq.miss:>7}"
            )
        else:
            first = (
                f"{'-':>8} {s.rps:>9.0f} {'-':>9} {s.p99:>6.1f} ms"
                f" {'-':>7} {two:>7} {q.cold:>8} {'-':>7}"
            )
        print(f"{name:<20} {first} {q.miss:>8} {q.hit:>4}")
    # From two briefings on, the home page is the library: its own layout.
    grew = [
        f"{name} {two_queries[name].cold} -> {many_queries[name].cold}"
        for name, _ in pages
        if many_queries[name].cold > two_queries[name].cold
    ]
    slower = [
        f"{name} {many[name].rps / one[name].rps:.0%}"
        for name, _ in pages
        if name in one and many[name].rps < 0.8 * one[name].rps
    ]
    print(
        "\nCold = every cache empty. From 2 briefings on the home page is the"
        " library, a page of its own.\nA cold page's queries do not grow from 2"
        f" to {LIBRARY_BRIEFINGS} briefings:"
        f" {verdict(not grew)}{listed(grew)}"
    )
    print(
        "A cached page keeps >= 80% of its one-briefing req/s:"
        f" {verdict(not slower)}{listed(slower)}"
    )


def serve(app, env, log_path, servers):
    with open(log_path, "wb") as log:  # gunicorn keeps its own copy of the file
        process, url = start_gunicorn(app, env, log)
    servers.append(process)
    if not wait_until_serving(process, url + "/"):
        sys.exit(f"{app} did not start:\n{log_path.read_text()}")
    return url


def run(workdir, servers):
    env = bench_env(workdir)
    print("Setting up a throw-away site...", file=sys.stderr)
    set_up_site(env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from practice_points.models import PracticePoint

    slug = PracticePoint.objects.published().values_list("slug", flat=True)[0]
    pages = [
        ("practice point", f"/practice-points/{slug}/"),
        ("home", "/"),
        ("practice points", "/practice-points/"),
        ("snapshot", "/snapshot/"),
        ("briefing", "/briefings/selling-or-exchanging-sex/"),
        ("search", f"/search/?q={SEARCH_QUERY}"),
    ]

    site_url = serve("config.wsgi", env, workdir / "site.log", servers)
    baseline_dir = workdir / "baseline"
    baseline_dir.mkdir()
    for name, path in pages:
        (baseline_dir / f"{name.replace(' ', '-')}.html").write_bytes(
            fetch(site_url + path)
        )
    baseline_env = {**env, "BENCH_BASELINE_DIR": str(baseline_dir)}
    baseline_url = serve(
        "bench.baseline:application", baseline_env, workdir / "baseline.log", servers
    )

    host = site_url.removeprefix("http://")
    queries = {name: count_queries(path, host) for name, path in pages}
    connection.close()
    one_briefing_pages = [p for p in pages if p[0] != "search"] + [
        ("briefing print", "/briefings/selling-or-exchanging-sex/print/"),
        ("whats changed", "/whats-changed/"),
        ("handout builder", "/handouts/"),
    ]

    peer_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.django_cache_settings"}
    before_env = {**env, "CONTENT_VERSION_WATCH": ""}
    urls = {
        "static": lambda name, path: f"{baseline_url}/p/{name.replace(' ', '-')}.html",
        "django cache": lambda name, path: peer_url + path,
        "before": lambda name, path: before_url + path,
        "site": lambda name, path: site_url + path,
    }
    peer_url = serve(
        "config.wsgi:django_application", peer_env, workdir / "peer.log", servers
    )
    before_url = serve(
        "config.wsgi:django_application", before_env, workdir / "before.log", servers
    )
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(
        f"gunicorn {WORKERS} workers, wrk -t2 -c16 -d{DURATION}s x {ROUNDS} rounds,"
        f" {connection.vendor}, {os.cpu_count()} CPUs, search q={SEARCH_QUERY},"
        f" load average at start {' '.join(load)}\n"
    )
    rounds = {name: {target: [] for target in TARGETS} for name, _ in pages}
    for number in range(ROUNDS):
        for name, path in pages:
            print(f"Round {number + 1}: {name}...", file=sys.stderr)
            for target in TARGETS:
                url = urls[target](name, path)
                if number == 0:
                    # A second of load first, so each worker has rendered (and
                    # cached) the page: the run measures what readers meet.
                    wrk(url, connections=4, duration=1)
                rounds[name][target].append(wrk(url))
    runs = {
        name: {target: WrkRun.median(r) for target, r in targets.items()}
        for name, targets in rounds.items()
    }
    print_report(pages, runs, queries)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"Load average at the end: {' '.join(load)}")
    print_soak(site_url + pages[0][1])
    if not LIBRARY:
        return
    site = {name: runs[name]["site"] for name, _ in pages}

    # The same pages (and the library's own) with LIBRARY_BRIEFINGS briefings.
    one, one_queries = site, queries
    extra = [p for p in one_briefing_pages if p[0] not in site]
    extra_site, extra_queries = measure(extra, site_url, host)
    one, one_queries = {**one, **extra_site}, {**one_queries, **extra_queries}
    connection.close()
    # The servers' connections would hold the SQLite file against the writes:
    # stop them while the library is built, then serve it afresh.
    for process in servers:
        stop(process)
    library_pages = [
        *pages,
        *extra,
        ("bench briefing", "/briefings/bench-2/"),
        ("home by topic", "/?topic=Topic+2"),
        ("points by briefing", "/practice-points/?briefing=bench-2"),
        ("search, 1 briefing", f"/search/?q={SEARCH_QUERY}&briefing=bench-2"),
    ]
    print("Building the library...", file=sys.stderr)
    build_library(2)
    two_queries = {name: count_queries(path, host) for name, path in library_pages}
    connection.close()
    build_library()
    site_url = serve("config.wsgi", env, workdir / "library.log", servers)
    host = site_url.removeprefix("http://")
    many, many_queries = measure(library_pages, site_url, host)
    connection.close()
    print_library(library_pages, one, one_queries, two_queries, many, many_queries)


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    # make and CI stop with SIGTERM: turn it into an exit so servers get stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    servers = []
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        try:
            run(Path(tmp), servers)
        except KeyboardInterrupt:
            sys.exit(130)
        finally:
            for process in servers:
                stop(process)


if __name__ == "__main__":
    main()
