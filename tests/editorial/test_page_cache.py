"""Reader pages are rendered once per content version and served from the cache."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from editorial import versions
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
