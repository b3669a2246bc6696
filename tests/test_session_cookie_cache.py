"""A made-up session cookie neither skips the page cache nor gets a cookie back."""

from django.test import Client


def test_a_made_up_session_cookie_gets_the_cached_page_and_no_cookie(content):
    reader = Client()
    first = reader.get("/glossary/")
    assert first.status_code == 200
    faker = Client()
    faker.cookies["sessionid"] = "x"
    for _ in range(2):
        response = faker.get("/glossary/")
        assert response.status_code == 200
        assert response["ETag"] == first["ETag"]  # the cached page
        assert "Set-Cookie" not in response
        assert not response.cookies


def test_a_real_session_still_sees_fresh_pages(client, editor):
    client.force_login(editor)
    response = client.get("/glossary/")
    assert response.status_code == 200
    assert "ETag" not in response  # not the readers' cached page
