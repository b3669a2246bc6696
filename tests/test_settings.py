"""What the project runs on: one source of dependencies, Django's LTS line, and
production settings that refuse to start unsafe."""

import os
import re
import subprocess
import sys
import tomllib

import django
import pytest

from tests.conftest import ROOT


def _requirements(name):
    lines = (ROOT / name).read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_dependencies_have_one_source():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    # requirements.in and requirements-dev.in alone: a second list would drift.
    assert "dependencies" not in project
    assert "optional-dependencies" not in project
    assert _requirements("requirements.in")
    assert _requirements("requirements-dev.in")


def test_django_stays_on_the_5_2_lts_line():
    assert "Django>=5.2,<5.3" in _requirements("requirements.in")
    pinned = re.search(
        r"^django==(\S+)$", (ROOT / "requirements.lock").read_text(), re.M | re.I
    )
    assert pinned and pinned[1].startswith("5.2.")
    assert django.VERSION[:2] == (5, 2)


def production_check(tmp_path, *options, **variables):
    """``manage.py check`` with production settings (and these variables)."""
    # The browser tests' async switch is set for this process, never a deployment.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "ENVIRONMENT": "production",
        "SECRET_KEY": "x" * 30 + "a-long-and-random-production-secret-value",
        "ALLOWED_HOSTS": "guidance.example.org",
        "VAR_DIR": str(tmp_path),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.slow  # starts Django in subprocesses
def test_production_refuses_debug_and_says_why(tmp_path):
    done = production_check(tmp_path, DEBUG="true")
    assert done.returncode != 0
    assert (
        "ImproperlyConfigured: DEBUG=true is refused with ENVIRONMENT=production"
        in (done.stderr)
    )
    assert production_check(tmp_path, DEBUG="false").returncode == 0
