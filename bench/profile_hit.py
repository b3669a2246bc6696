"""Where a cached reader page's time goes: one WSGI hit, profiled in-process.

Run against a site that is set up (make seed static, or bench/pages.py's
environment): `python bench/profile_hit.py [path] [--304] [--before]`. It serves
the page once to fill the cache, then times HITS more hits through config.wsgi
(no network, no gunicorn) and prints microseconds per hit and the functions
that took the most time. --before profiles the path as it was before issue 27:
Django's handler without ReaderPages, the version read on every request.
"""

import cProfile
import io
import os
import pstats
import sys
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
    started = time.perf_counter()
    for _ in range(N):
        hit(etag)
    plain = (time.perf_counter() - started) / N * 1e6
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
