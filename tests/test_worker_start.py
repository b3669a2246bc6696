"""What each gunicorn worker does before its first reader (gunicorn.conf.py)."""

import gc
import runpy
from pathlib import Path

from editorial.page_build import build_id, settings_id

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_a_worker_works_out_the_build_digest_before_its_first_reader(monkeypatch):
    hooks = runpy.run_path(str(CONF))
    frozen = []
    # What the build digest's cache holds when the worker freezes what it keeps.
    monkeypatch.setattr(
        gc, "freeze", lambda: frozen.append(build_id.cache_info().currsize)
    )
    build_id.cache_clear()
    settings_id.cache_clear()

    hooks["post_worker_init"](worker=None)

    # Every page key carries both digests: no reader waits for them. Worked out
    # before the freeze, with everything else a worker keeps.
    assert frozen == [1]
    assert settings_id.cache_info().currsize == 1


def test_a_worker_of_another_app_starts_without_the_site(monkeypatch):
    """The benchmarks' static-file baseline (bench/baseline.py) is a plain
    whitenoise app under this gunicorn.conf.py: no Django app registry."""
    from django.apps import apps

    hooks = runpy.run_path(str(CONF))
    monkeypatch.setattr(gc, "freeze", lambda: None)
    monkeypatch.setattr(apps, "ready", False)
    build_id.cache_clear()

    hooks["post_worker_init"](worker=None)

    assert build_id.cache_info().currsize == 0
