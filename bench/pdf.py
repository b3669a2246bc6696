"""Time PDF production: whole briefing and a one-page handout, cold and cached.

Run with `make bench-pdf` (after `make seed static`). Not a test: it prints
medians for the README's performance section. Requests go through Django's
test client, so the figures include the view, the template and the cache.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECURE_SSL", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from handouts.models import HandoutPreset  # noqa: E402

RUNS = int(os.environ.get("RUNS", "7"))


def timed(client, url):
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, response.content


def measure(client, label, url):
    cold = []
    for _ in range(RUNS):
        for each in caches.all():
            each.clear()
        elapsed, pdf = timed(client, url)
        cold.append(elapsed)
    cached = [timed(client, url)[0] for _ in range(RUNS * 3)]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"{label:<32} {pages:>5} {statistics.median(cold) * 1000:>9.0f} ms"
        f" {statistics.median(cached) * 1000:>9.1f} ms"
    )


def main():
    briefing_url = "/briefings/selling-or-exchanging-sex.pdf"
    preset = HandoutPreset.objects.get(slug="one-page-asking-the-question")
    with (
        tempfile.TemporaryDirectory() as cache_dir,
        override_settings(
            ALLOWED_HOSTS=["testserver"],
            CACHES={
                alias: {
                    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                    "LOCATION": f"{cache_dir}/{alias}",
                }
                for alias in ("default", "local")
            },
        ),
    ):
        client = Client()
        start = time.perf_counter()
        import weasyprint  # noqa: F401

        print(
            f"WeasyPrint import (once per process): {time.perf_counter() - start:.2f} s"
        )
        # A preset's address leads to its handout's short PDF address.
        handout_pdf = client.get(preset.get_pdf_url())["Location"]
        timed(client, handout_pdf)  # warm fonts and templates
        print(
            f"Median of {RUNS} cold and {RUNS * 3} cached requests ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})"
        )
        print(f"{'PDF':<32} {'pages':>5} {'cold':>12} {'cached':>12}")
        measure(client, "Whole briefing", briefing_url)
        measure(client, "One-page handout (preset)", handout_pdf)
        measure(
            client,
            "Practice point page",
            "/practice-points/ask-the-question.pdf",
        )


if __name__ == "__main__":
    main()
