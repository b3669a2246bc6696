"""A throw-away database for the search benchmarks: never the dev database."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(workdir, name):
    """Django on a SQLite file ``name`` in ``workdir``, or on the empty
    PostgreSQL database BENCH_DATABASE_URL names."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / name}"
    )
    os.environ["VAR_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
