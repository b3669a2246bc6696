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
    # Each test gets empty caches of its own (both tiers of the page cache).
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"{tmp_path}-{alias}",
        }
        for alias in ("default", "local")
    }


@pytest.fixture
def content(db):
    """The whole briefing, loaded from fixtures/ as make run loads it."""
    call_command("load_content", verbosity=0)


@pytest.fixture
def source_text():
    return SOURCE.read_text(encoding="utf-8")


def _member_of(django_user_model, group_name):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        group_name.lower(), password="not-used-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return _member_of(django_user_model, "Editor")


@pytest.fixture
def contributor(db, django_user_model):
    return _member_of(django_user_model, "Contributor")


def change_form_data(client, url, **changes):
    """What the admin change (or revert) form at ``url`` would post, plus changes.

    Inline rows are left untouched (no inline forms posted).
    """
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, (list, tuple)) or hasattr(value, "all"):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    for inline in response.context.get("inline_admin_formsets", []):
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data
