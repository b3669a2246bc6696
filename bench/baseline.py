"""The baseline for bench/pages.py: files in BENCH_BASELINE_DIR served by whitenoise.

/p/<name>.html serves <name>.html as text/html, the way whitenoise serves the
site's static files; anything else is a 404.
"""

import os

from whitenoise import WhiteNoise


def not_found(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"Not found"]


# The files never change during a run: index them once, as in production.
application = WhiteNoise(
    not_found, root=os.environ["BENCH_BASELINE_DIR"], prefix="/p/", autorefresh=False
)
