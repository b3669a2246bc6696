from pathlib import Path

import pytest
from django.core.management import call_command

from guidance import markdown

ROOT = Path(__file__).resolve().parent.parent
# A copy of ../shared/content/briefing-source.txt kept in the repo so the tests
# run anywhere; tests/test_faithful_content.py checks the copy is current.
SOURCE = ROOT / "docs" / "briefing-source.txt"
SHARED_SOURCE = ROOT.parent / "shared" / "content" / "briefing-source.txt"
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
    # Each test is a fresh page: no glossary or data cached from the last one.
    markdown.start_page()


@pytest.fixture
def content(db):
    """The whole briefing, loaded from fixtures/ as make run loads it."""
    call_command("load_content", verbosity=0)


@pytest.fixture
def source_text():
    return SOURCE.read_text(encoding="utf-8")
