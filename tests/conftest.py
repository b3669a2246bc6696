import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import TransactionTestCase
from pytest_django.plugin import blocking_manager_key

from guidance import markdown
from tests import shared_database

ROOT = Path(__file__).resolve().parent.parent
# A copy of ../shared/content/briefing-source.txt kept in the repo so the tests
# run anywhere; tests/test_faithful_content.py checks the copy is current.
SOURCE = ROOT / "docs" / "briefing-source.txt"
SHARED_SOURCE = ROOT.parent / "shared" / "content" / "briefing-source.txt"
BRIEFING = "selling-or-exchanging-sex"
LOADED = []  # without a copy: the database as the session set it up, serialized
OWNS_RUN_DIR = pytest.StashKey[bool]()


def _test_settings(location):
    """What every test runs with: plain static files storage, quick password
    hashing, no HTTPS redirect or link check, caches of its own."""
    return {
        # The manifest storage needs collectstatic first; tests use plain storage.
        "STORAGES": {
            **django_settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "MEDIA_ROOT": Path(location) / "media",
        # Tests serve static files from the finders. A folder make run collected
        # would be walked file by file by whitenoise for every new test client
        # (about 0.4 s each).
        "STATIC_ROOT": f"{location}-static",
        "SECURE_SSL_REDIRECT": False,
        # Tests never reach the internet: the link check is tested on loopback.
        "RESOURCE_LINK_CHECK": False,
        # Empty caches of its own (both tiers of the page cache).
        "CACHES": {
            alias: {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"{location}-{alias}",
            }
            for alias in ("default", "local")
        },
    }


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    for name, value in _test_settings(tmp_path).items():
        setattr(settings, name, value)
    # Each test is a fresh page: no glossary or data cached from the last one.
    markdown.new_page()


# Reader pages' shared data (editorial.page_tiers.per_version) as the loaded
# content makes it, built once per session and put in each test's cache.
SHARED_DATA = {}
WARM_PAGES = (
    "/",
    "/practice-points/",
    f"/briefings/{BRIEFING}/",
    "/practice-points/ask-the-question/",
    "/snapshot/",
    "/search/?q=housing",
    "/handouts/",
    "/whats-changed/",
)


@pytest.fixture(scope="session")
def shared_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The loaded content's per-version data, as a long-lived worker keeps it.

    Its key ends in the content version, whose random token no other content
    has (a write in a test bumps it; the rollback gives the loaded one back,
    with the loaded rows). Built here, not taken from a test, so no test's
    monkeypatch or setting can leave its data to the next.
    """
    from django.core.cache import caches
    from django.db import transaction
    from django.test import Client, override_settings

    from editorial import versions

    location = tmp_path_factory.mktemp("warm")
    with django_db_blocker.unblock(), override_settings(**_test_settings(location)):
        with transaction.atomic():
            client = Client()
            for url in WARM_PAGES:
                assert client.get(url).status_code == 200, url
            loaded = versions.read().key
            transaction.set_rollback(True)
        kept = caches["local"]
        for key, value in kept._cache.items():
            if ":data:" in key and key.endswith(f":{loaded}"):
                SHARED_DATA[key] = (value, kept._expire_info[key])
    return SHARED_DATA


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_modify_db_settings, django_db_blocker
):
    """The test database, with the whole briefing loaded once per session.

    Under pytest-xdist each worker has its own (pytest-django's
    django_db_modify_db_settings names a PostgreSQL one test_..._gw0, _gw1).

    Under pytest-xdist the first worker builds it and the others copy it
    (tests/shared_database.py). Tests run in transactions that roll back, so
    each starts from this content.
    Set up whichever tests were chosen: the browser tests need no transaction
    of their own, so pytest-django alone would not make a database for them.
    """
    from django.test.utils import teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        # Migrated and loaded once per run, copied into each worker.
        databases = shared_database.set_up(verbosity)
        # Everything as loaded: the content, editors' data (vocabulary, best
        # bets, presets from fixtures/) and the roles synced after migrate.
        # A copy of the database (SQLite in memory, the run's PostgreSQL
        # template); failing that, its rows serialized.
        if not shared_database.take_snapshot():
            LOADED.append(connection.creation.serialize_db_to_string())
    yield
    from editorial import versions

    # A content version listener would reconnect to the database being dropped.
    versions.stop_watchers()
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            # A server thread's connection may outlive its request: end every
            # other session on the test database so it can be dropped. From a
            # new connection: this one may have been ended with a dropped copy.
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connections.close_all()
        teardown_databases(databases, verbosity=verbosity)


def _is_controller(config):
    """True in the process that runs pytest-xdist's workers (not in -n0)."""
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(
        config, "workerinput"
    )


def pytest_configure(config):
    # Under pytest-xdist the run's controller clears the browser tests'
    # screenshots once; without it, tests/browser's screenshots fixture does.
    if _is_controller(config):
        shutil.rmtree(ROOT / "test-artifacts" / "screenshots", ignore_errors=True)
        # Before the workers start, so they inherit where the built database goes.
        config.stash[OWNS_RUN_DIR] = shared_database.start_run()
        # While the workers start and collect: see tests/shared_database.py.
        shared_database.start_building()


def pytest_unconfigure(config):
    if config.stash.get(OWNS_RUN_DIR, False):
        with config.stash[blocking_manager_key].unblock():
            shared_database.end_run()


def pytest_addoption(parser):
    parser.addoption(
        "--skip-integration",
        action="store_true",
        help="skip tests marked integration (make test-fast)",
    )


def pytest_collection_modifyitems(config, items):
    skips = {}
    if config.getoption("--skip-integration"):
        skips["integration"] = pytest.mark.skip(
            reason="integration: needs node and html-validate or serves the site on "
            "gunicorn; make test (after make install-test) runs it"
        )
    # CI's second pass (.ci/run) tests what PostgreSQL changes; what no engine
    # changes passed minutes before, on the same commit, in its SQLite pass.
    if os.environ.get("TESTED_ON_SQLITE") and connection.vendor != "sqlite":
        skips["same_on_every_engine"] = pytest.mark.skip(
            reason="the same on every database engine, and this commit's SQLite "
            "pass ran it (TESTED_ON_SQLITE)"
        )
    for item in items:
        for keyword, skip in skips.items():
            if keyword in item.keywords:
                item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # The next test must find the database as the session set it up. A
    # transactional test puts the kept copy back as it ends
    # (_put_back_instead_of_flushing); where there is none, it empties every
    # table, and the content is loaded again here.
    # A browser test's server commits what the browser saves (a handout, a
    # search report): the first test after the browser tests on this worker
    # (their order differs under pytest-xdist) gets the loaded content back.
    result = yield
    leaves_rows = _is_browser(item) and not _is_browser(nextitem)
    if (_is_transactional(item) or leaves_rows) and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            from guidance.models import Briefing

            if leaves_rows or not Briefing.objects.exists():
                _put_back_loaded_database()
    return result


def _put_back_loaded_database():
    if shared_database.restore_snapshot():
        return  # a copy of the whole database: 2 ms (SQLite), 0.3 s (PostgreSQL)
    from editorial.bulk import bulk_load

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    # In bulk: saved one by one, each row would index itself in search beside
    # the index rows being put back (a duplicate on PostgreSQL); the index is
    # rebuilt once at the end instead.
    with bulk_load():
        connection.creation.deserialize_db_from_string(LOADED[0])
    # flush restarted the id sequences: move them past the rows just put back,
    # as loaddata does (PostgreSQL).
    from django.apps import apps
    from django.core.management.color import no_style

    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


_flush = TransactionTestCase._fixture_teardown


def _put_back_instead_of_flushing(self):
    """A transactional test ends with the kept copy of the database put back
    (tests/shared_database.py), where Django would empty every table (0.6 s on
    PostgreSQL) only for the next test to put the content back."""
    if not shared_database.restore_snapshot():
        _flush(self)


TransactionTestCase._fixture_teardown = _put_back_instead_of_flushing


def _is_browser(item):
    return item is not None and item.get_closest_marker("browser") is not None


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.fixture
def content(db, shared_data):
    """The whole briefing, as make run loads it (loaded once per session), and
    the data its pages share, as a worker that has served them keeps it."""
    from django.core.cache import caches

    kept = caches["local"]
    for key, (value, expires) in shared_data.items():
        kept._cache[key] = value
        kept._expire_info[key] = expires


@pytest.fixture
def no_content(db):
    """An empty site, for tests that build a few items of their own.

    Empties every table readers can see (synonyms aside) inside the test's
    transaction, which rolls back: cheaper than a database without content.
    """
    from django.db import connection

    from editorial.versions import watched_models
    from search.models import Synonym

    tables = {m._meta.db_table for m in watched_models() if m is not Synonym}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    markdown.new_page()


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


@pytest.fixture
def smtp(settings):
    """Django's mail sent through a real SMTP server on loopback: its inbox."""
    from tests.mailserver import smtp_server

    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.DEFAULT_FROM_EMAIL = "guidance@example.org"
        settings.SITE_URL = "https://guidance.example.org"
        yield inbox
