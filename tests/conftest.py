from pathlib import Path

import pytest
from django.core.management import call_command

SOURCE = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "content"
    / "briefing-source.txt"
)
BRIEFING = "selling-or-exchanging-sex"


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    # The manifest storage needs collectstatic first; tests use plain storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECURE_SSL_REDIRECT = False
    # Each test gets an empty PDF cache of its own.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }


@pytest.fixture
def content(db):
    """The whole briefing, loaded from fixtures/ as make run loads it."""
    call_command("load_content", verbosity=0)


@pytest.fixture
def source_text():
    return SOURCE.read_text(encoding="utf-8")
