"""gunicorn settings read from the project root (any gunicorn command run here).

Readers may be at risk if anyone learns what they read, so the access log keeps
only what running the site needs: time, method, path without its query string
(no search words), status, size and duration. No IP address, referrer or
browser.
"""

import gc

from gunicorn.workers import gthread

access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Bounded, so a huge request line cannot tie a worker up. 8190 is the most
# gunicorn allows short of "unlimited"; a search pasted into the box is still
# answered by the site (it uses the first words), and handouts have short
# addresses. A proxy in front should allow at least as much (nginx:
# large_client_header_buffers 4 16k).
limit_request_line = 8190
# Threads, not one request per process: a connection that sends nothing waits
# in the worker's poller, so idle sockets cannot take the site down when
# gunicorn is reached directly. Behind nginx (deploy/), nginx holds slow
# clients and passes on only whole requests.
worker_class = "gthread"
# Four threads a worker, not eight: fewer threads contend less for the GIL, so
# the slowest reader waits less (the cached practice point page at 16
# connections, 6 interleaved rounds on this 2-core machine: p99 10.6-12.7 ms
# with 4 threads against 16.3-23.7 ms with 8, at 4,190-4,650 req/s against
# 2,710-4,240; docs/performance.md). Two were faster still, but a worker
# rendering two cold PDFs then had no thread left for pages; with four, a page
# always has two.
threads = 4
# The read timeout: how long a thread waits for a new connection's first
# bytes before parking it in the poller, where it costs no thread. gthread's
# 5 s let 40 idle sockets hold every thread for 20 s; a tenth of a second costs
# a real client nothing (its request is served as soon as it arrives).
gthread.DEFAULT_WORKER_DATA_TIMEOUT = 0.1
# Each worker listens on a socket of its own and the kernel spreads new
# connections between them. With one shared socket, whichever worker was awake
# took a burst of connections (15 or all 16 of wrk's in 15 runs of 36; nginx
# opens its kept-alive upstream connections in bursts too) and served them on
# one core while the other idled. Keep each node on a port of its own: a
# second gunicorn on the same port would share it silently instead of failing.
# Figures: docs/performance.md.
reuse_port = True
# A kept-alive connection (nginx reuses them) is closed after this long idle.
keepalive = 15
# A worker stuck longer than this is restarted; the database deadline
# (DATABASE_TIMEOUT) answers well before.
timeout = 30
# A line break or other control character in the address is written as an
# escape (\x0d), so a request cannot add a line of its own to the log.
logger_class = "config.logs.AccessLogger"


def post_worker_init(worker):
    """Everything loaded by now (Django, the site, its middleware) lives as long
    as the worker: keep it out of the garbage collector's full passes. Each
    walked some 150,000 objects with every thread of the worker stopped
    (30 to 300 ms on this machine), a page's whole p99 budget many times over.

    The build's digest, which every page key carries, is worked out here too:
    it reads every installed package's metadata and the project's files (about
    0.3 s), which the first reader of each worker would otherwise wait for.
    Only for this site: the benchmarks serve other apps with these settings."""
    from django.apps import apps

    if apps.ready and apps.is_installed("editorial"):
        from editorial.page_build import build_id, settings_id

        build_id()
        settings_id()
    gc.freeze()
