"""A NUL character in what a request sends is a clear 400 on every engine.

PostgreSQL cannot take NUL in text, so before this an admin search or filter
with %00 was a 500 there (SQLite accepted it). Refused before any view runs,
the answer is the same on both.
"""

import pytest

from guidance.models import Quote
from tests.pages import parse

REFUSED = "Sorry, the site could not read that request"
AUTOCOMPLETE = "/admin/autocomplete/?app_label=guidance&model_name=quote"


def assert_refused(response):
    assert response.status_code == 400
    page = parse(response.content.decode())
    assert REFUSED in page.find("h1").text
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "url",
    [
        "/admin/guidance/quote/?q=%00",
        "/admin/guidance/quote/?status=published%00",
        "/admin/guidance/quote/?q%00=wendy",
        f"{AUTOCOMPLETE}&field_name=speaker&term=%00",
    ],
)
def test_nul_in_an_admin_search_filter_or_autocomplete_is_refused(
    admin_client, content, url
):
    assert_refused(admin_client.get(url))


@pytest.mark.parametrize(
    "url",
    ["/admin/guidance/quote/?q=wendy", "/admin/guidance/quote/?status=published"],
)
def test_the_same_searches_without_nul_still_work(admin_client, content, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/search/?q=food%00", "/practice-points/%00/", "/handouts/?item=%00"]
)
def test_nul_in_a_reader_address_is_refused(client, content, url):
    assert_refused(client.get(url))


def test_nul_in_a_posted_form_is_refused_and_nothing_is_saved(admin_client, content):
    quote = Quote.objects.first()
    url = f"/admin/guidance/quote/{quote.pk}/change/"
    response = admin_client.post(url, {"text": "Changed\x00", "_save": "Save"})
    assert_refused(response)
    quote.refresh_from_db()
    assert "Changed" not in quote.text


def test_nul_in_a_readers_feedback_is_refused_and_nothing_is_kept(client, content):
    from feedback.models import Feedback

    data = {"path": "/glossary/", "useful": "no", "comment": "Housing\x00 advice"}
    response = client.post("/feedback/", data, HTTP_ORIGIN="http://testserver")
    assert_refused(response)
    assert not Feedback.objects.exists()


def test_nul_in_a_cookie_is_refused(client, content):
    client.cookies["sessionid"] = "abc\x00def"
    assert_refused(client.get("/"))


def test_other_bad_requests_get_the_same_page(admin_client, content):
    # More form fields than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS).
    fields = {f"field{n}": "x" for n in range(1100)}
    response = admin_client.post("/admin/guidance/quote/add/", fields)
    assert response.status_code == 400
    assert REFUSED in parse(response.content.decode()).find("h1").text


def test_a_host_the_site_does_not_serve_gets_a_plain_400(client, content):
    response = client.get("/", HTTP_HOST="intruder.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "intruder" not in response.content.decode()
