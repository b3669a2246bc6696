"""Reader pages are rendered once per content version and served from the cache."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from editorial import pagecache, versions
from guidance.models import Quote
from practice_points.models import PracticePoint

POINT = "/practice-points/ask-the-question/"
QUOTES = "/in-their-words/"


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    return response, len(ctx.captured_queries)


def installed_tables():
    """The tables that carry a version trigger now."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE %s",
                [versions.TRIGGER_PREFIX + "%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE %s",
                [versions.TRIGGER_PREFIX + "%"],
            )
        return {row[0] for row in cursor.fetchall()}


def test_every_table_readers_see_carries_a_version_trigger(no_content):
    watched = set(versions.watched_tables())
    assert {"guidance_quote", "practice_points_practicepoint", "snapshot_figure"} <= (
        watched
    )
    # History and many-to-many tables count: a revert or a new audience shows.
    assert "guidance_historicalquote" in watched
    assert "practice_points_practicepoint_audiences" in watched
    # A reader building a handout changes nothing for anyone else.
    assert "handouts_savedhandout" not in watched
    assert watched <= installed_tables()


def test_any_write_readers_can_see_changes_the_version(content):
    before = versions.read()
    Quote.objects.filter(slug="levi-numbed").update(speaker="Levi")  # no signals
    after_update = versions.read()
    assert after_update.number > before.number
    assert after_update.token != before.token
    PracticePoint.objects.first().audiences.clear()
    assert versions.read().number > after_update.number


def test_a_rolled_back_write_leaves_the_version_alone(content):
    before = versions.read()
    with transaction.atomic():
        Quote.objects.update(speaker="Someone")
        assert versions.read().number > before.number  # seen inside
        transaction.set_rollback(True)
    assert versions.read() == before


def test_a_reader_page_is_rendered_once_then_served_in_one_query(client, content):
    first, _ = queries(client, POINT)
    second, count = queries(client, POINT)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert count == 1  # the content version, nothing else
    assert second["ETag"] == first["ETag"]
    assert "max-age=" in second["Cache-Control"]
    assert not second.cookies


def test_revalidation_gets_a_304_in_one_query_without_rendering(client, content):
    etag = client.get(POINT)["ETag"]
    response, count = queries(client, POINT, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert count == 1


def test_a_change_gives_a_new_etag_and_a_fresh_page(client, content):
    etag = client.get(POINT)["ETag"]
    PracticePoint.objects.filter(slug="ask-the-question").update(
        title="Ask the question, kindly"
    )
    response = client.get(POINT, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Ask the question, kindly" in response.content.decode()


def test_a_withdrawn_quote_is_gone_at_once_from_every_cached_page(client, content):
    quote = Quote.objects.published().get(slug="levi-numbed")
    words = "numbed oot to it"
    assert words in quote.text
    pages = [QUOTES, "/practice-points/drug-and-alcohol-use-may-be-a-factor/"]
    search = "/search/?q=numbed"
    for page in pages:
        assert words in client.get(page).content.decode(), page
    assert "<mark>numbed</mark>" in client.get(search).content.decode()
    # Withdrawn as the admin's "Withdraw" action does it.
    quote.withdrawn_at = timezone.now()
    quote.save()
    for page in pages:
        assert words not in client.get(page).content.decode(), page
    assert "<mark>numbed</mark>" not in client.get(search).content.decode()


def test_unknown_and_repeated_parameters_share_one_cached_page(client, content):
    client.get("/search/?q=housing")
    for url in ["/search/?q=housing&x=1", "/search/?utm=a&q=other&q=housing"]:
        response, count = queries(client, url)
        assert response.status_code == 200
        assert count == 1, url
    # Each PDF is made once, whatever is added to its address.
    client.get("/practice-points/ask-the-question.pdf")
    _, count = queries(client, "/practice-points/ask-the-question.pdf?x=1")
    assert count == 1


def test_search_results_are_for_the_readers_browser_only(client, content):
    response = client.get("/search/?q=housing")
    assert "private" in response["Cache-Control"]
    assert "public" in client.get(POINT)["Cache-Control"]


def test_signed_in_staff_see_fresh_pages_and_fill_no_cache(
    admin_client, client, content
):
    response = admin_client.get(POINT)
    assert response.status_code == 200
    assert "ETag" not in response
    assert not any("page:" in key for key in caches["local"]._cache)
    # Readers get the cached page, with its validators.
    assert "ETag" in client.get(POINT)
    assert any("page:" in key for key in caches["local"]._cache)


def test_the_printed_address_and_qr_code_ignore_the_query_string(client, content):
    html = client.get(POINT + "?utm_source=made-up").content.decode()
    assert "made-up" not in html


class BrokenCache(BaseCache):
    """A cache whose disk is full or server is down."""

    def __init__(self, location, params):
        super().__init__(params)

    def get(self, *args, **kwargs):
        raise OSError("No space left on device")

    add = set = delete = clear = get


@pytest.fixture
def broken_caches(settings):
    settings.CACHES = {
        alias: {"BACKEND": f"{__name__}.BrokenCache"} for alias in ("default", "local")
    }


def test_a_failing_cache_never_fails_a_page(client, content, broken_caches):
    for url in [POINT, "/", "/practice-points/ask-the-question.pdf"]:
        assert client.get(url).status_code == 200, url


def test_a_failing_cache_never_fails_a_save(admin_client, content, broken_caches):
    from tests.conftest import change_form_data

    point = PracticePoint.objects.get(slug="ask-the-question")
    url = f"/admin/practice_points/practicepoint/{point.pk}/change/"
    data = change_form_data(
        admin_client, url, title="Asking the question", _publish="Publish"
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.title == "Asking the question"


def test_a_made_up_address_draws_no_qr_code(client, no_content):
    from guidance.templatetags.guidance_tags import qr_code

    qr_code.cache_clear()
    response = client.get("/no-such-page-" + "x" * 200 + "/")
    assert response.status_code == 404
    assert qr_code.cache_info().misses == 0


def test_the_cache_key_holds_the_day(client, content, monkeypatch):
    first = client.get(POINT)
    real = timezone.localtime
    tomorrow = real() + datetime.timedelta(days=1)

    def localtime(value=None, timezone=None):
        return tomorrow if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localtime", localtime)
    second = client.get(POINT)
    assert second.status_code == 200
    # Rendered anew for the new day and kept beside yesterday's copy.
    assert len([key for key in caches["local"]._cache if "page:" in key]) == 2
    assert second["ETag"] != first["ETag"]
    assert second["Last-Modified"] != first["Last-Modified"]


def test_an_etag_from_one_page_gets_another_page_in_full(client, content):
    etag = client.get(POINT)["ETag"]
    response = client.get(QUOTES, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "numbed oot to it" in response.content.decode()


def test_a_page_that_sets_a_cookie_is_never_kept(rf, content):
    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("<p>Chosen for you</p>")
        response.set_cookie("chosen", "yes")
        return response

    middleware = pagecache.ReaderPageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(rf.get(POINT))
        assert response.cookies["chosen"].value == "yes"
        assert not hasattr(response, "reader_page_key")  # not for ReaderPages
    assert len(calls) == 2
    for alias in ("local", "default"):
        assert not any("page:" in key for key in caches[alias]._cache)


@pytest.mark.parametrize(
    ("name", "value", "path", "shown"),
    [
        ("SITE_NAME", "Practice Notes Online", "/", "Practice Notes Online"),
        (
            "QUICK_EXIT_URL",
            "https://example.org/neutral",
            "/",
            'href="https://example.org/neutral"',
        ),
        (
            "SITE_URL",
            "https://guidance.example.org",
            POINT,
            "https://guidance.example.org/practice-points/ask-the-question/",
        ),
    ],
)
def test_pages_show_settings_changed_while_running(
    client, content, settings, name, value, path, shown
):
    assert shown not in client.get(path).content.decode()
    setattr(settings, name, value)
    assert shown in client.get(path).content.decode()


def test_turning_quick_exit_off_takes_it_off_cached_pages(client, content, settings):
    script = "js/quick-exit.js"
    assert script in client.get("/").content.decode()
    settings.QUICK_EXIT_ENABLED = False
    assert script not in client.get("/").content.decode()


@pytest.fixture
def fresh_build_id():
    pagecache.build_id.cache_clear()
    yield
    pagecache.build_id.cache_clear()


def test_the_build_digest_covers_installed_package_versions(
    fresh_build_id, monkeypatch
):
    def installed(markdown_version):
        dists = [("Django", "5.2.19"), ("Markdown", markdown_version), ("nh3", "0.3.8")]
        return lambda: [
            SimpleNamespace(metadata={"Name": n}, version=v) for n, v in dists
        ]

    monkeypatch.setattr(pagecache.metadata, "distributions", installed("3.11.3"))
    before = pagecache.build_id()
    pagecache.build_id.cache_clear()
    monkeypatch.setattr(pagecache.metadata, "distributions", installed("3.12.0"))
    assert pagecache.build_id() != before


def test_the_build_digest_covers_every_installed_apps_templates_and_static(
    fresh_build_id, monkeypatch, tmp_path
):
    # Apps that live outside the project are found from the registry too.
    assets = dict(pagecache._app_assets())
    admin = Path(apps.get_app_config("admin").path)
    assert assets["admin/templates"] == admin / "templates"
    assert assets["admin/static"] == admin / "static"

    installed = apps.get_app_configs()
    extra = SimpleNamespace(label="extra", path=str(tmp_path))
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "extra.html"
    template.write_text("<p>One</p>")
    monkeypatch.setattr(pagecache.apps, "get_app_configs", lambda: [*installed, extra])
    before = pagecache.build_id()
    pagecache.build_id.cache_clear()
    template.write_text("<p>Two</p>")
    assert pagecache.build_id() != before


def test_a_saved_handout_address_asked_before_it_exists_works_once_saved(content):
    from handouts.models import SavedHandout

    wanted = {"item": "quote:wendy-box", "order.quote:wendy-box": "", "format": "html"}
    address = Client().get("/handouts/handout/", wanted)["Location"]
    SavedHandout.objects.all().delete()  # as if never saved (or pruned)

    reader = Client()  # a new reader: no cookies, nothing remembered
    assert reader.get(address).status_code == 404
    assert reader.get(address.rstrip("/") + ".pdf").status_code == 404
    saved = reader.get("/handouts/handout/", wanted)
    assert saved.status_code == 302 and saved["Location"] == address
    page = reader.get(address)
    assert page.status_code == 200
    assert "put it all away in a box" in page.content.decode()
    assert reader.get(address.rstrip("/") + ".pdf").status_code == 200
