"""Where a cached reader page's time goes: one WSGI hit, profiled in-process.

Run against a site that is set up (make seed static, or bench/pages.py's
environment): `python bench/profile_hit.py [path] [--304] [--before]`. It serves
the page once to fill the cache, then times HITS more hits through config.wsgi
(no network, no gunicorn) and prints microseconds per hit and the functions
that took the most time. --before profiles the path as it was before issue 27:
Django's handler without ReaderPages, the version read on every request.
--busy times hits one by one while another thread of the process stays busy
in Python (as a page being rendered, a PDF or a search would), and prints their
median and p99: each time a hit lets go of the GIL (the version check, and
under gunicorn reading and writing the socket) it may wait up to the switch
interval to get it back. SWITCH_INTERVAL (seconds) sets it first.
--gc freezes the heap as gunicorn.conf.py does in each worker and counts the
garbage collections that land in the timed hits, and how long they took.
"""

import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("HITS", "3000"))


def environ(path, etag=None):
    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    if etag:
        env["HTTP_IF_NONE_MATCH"] = etag
    return env


def busy_hits(hit, etag):
    if "SWITCH_INTERVAL" in os.environ:
        sys.setswitchinterval(float(os.environ["SWITCH_INTERVAL"]))
    stop = threading.Event()

    def busy():
        while not stop.is_set():
            sum(i * i for i in range(10_000))

    def timed(count):
        times = []
        for _ in range(count):
            started = time.perf_counter()
            hit(etag)
            times.append((time.perf_counter() - started) * 1e3)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.99)]

    alone = timed(N)
    other = threading.Thread(target=busy)
    other.start()
    try:
        beside = timed(N)
    finally:
        stop.set()
        other.join()
    interval = sys.getswitchinterval() * 1e3
    for label, (p50, p99) in (("alone", alone), ("beside a busy thread", beside)):
        print(
            f"switch interval {interval:g} ms, {label}: p50 {p50:.3f} ms,"
            f" p99 {p99:.3f} ms ({N} hits)"
        )


def _gc_timer(pauses):
    started = {}

    def timer(phase, info):
        if phase == "start":
            started["at"] = time.perf_counter()
        else:
            pauses[info["generation"]].append(time.perf_counter() - started["at"])

    return timer


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if "--before" in sys.argv:
        os.environ["CONTENT_VERSION_WATCH"] = ""
    from config import wsgi

    application = (
        wsgi.django_application if "--before" in sys.argv else wsgi.application
    )

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0] if args else "/practice-points/ask-the-question/"
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    def hit(etag=None):
        body = application(environ(path, etag), start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()

    hit()
    hit()
    etag = seen["headers"].get("ETag") if "--304" in sys.argv else None
    hit(etag)
    print(f"{path}: {seen['status']}, {len(seen['headers'])} headers", file=sys.stderr)
    if "--busy" in sys.argv:
        busy_hits(hit, etag)
        return
    if "--gc" in sys.argv:
        gc.freeze()
        pauses = {0: [], 1: [], 2: []}
        gc.callbacks.append(_gc_timer(pauses))
    started = time.perf_counter()
    for _ in range(N):
        hit(etag)
    plain = (time.perf_counter() - started) / N * 1e6
    if "--gc" in sys.argv:
        gc.callbacks.pop()
        for generation, times in pauses.items():
            if not times:
                print(f"gen{generation}: no collection in {N} hits")
            else:
                print(
                    f"gen{generation}: {len(times)} collections in {N} hits,"
                    f" {sum(times) / len(times) * 1e6:.0f} us mean,"
                    f" {max(times) * 1e6:.0f} us max"
                )
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(N):
        hit(etag)
    profiler.disable()
    print(f"{plain:.0f} us per hit ({seen['status']}), unprofiled, {N} hits")
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(int(os.environ.get("TOP", "30")))


if __name__ == "__main__":
    main()
