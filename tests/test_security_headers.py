"""Security and privacy headers on every page type, the admin and the error pages."""

import pytest
from django.template.loader import get_template

from tests.browser.pages import PAGE_IDS, PAGE_TYPES
from tests.pages import parse


def policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize(("name", "path", "status"), PAGE_TYPES, ids=PAGE_IDS)
def test_every_page_type_sends_the_security_headers(
    client, content, name, path, status
):
    response = client.get(path, follow=True)
    assert response.status_code == status
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    # Nothing of the reader's path reaches the sites they follow links to.
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert not response.cookies


@pytest.mark.parametrize(("name", "path", "status"), PAGE_TYPES, ids=PAGE_IDS)
def test_no_page_has_inline_script_or_style(client, content, name, path, status):
    page = parse(client.get(path, follow=True).content)
    for script in page.find_all("script"):
        assert script.attrs.get("src", "").startswith("/static/")
        assert not "".join(script.children).strip()
    assert not page.find_all("style") and not page.find_all(style=True)
    assert not [
        name for e in page.find_all(True) for name in e.attrs if name.startswith("on")
    ]


def test_admin_sends_the_same_strict_policy(admin_client):
    response = admin_client.get("/admin/")
    assert policy(response)["script-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"


def test_server_error_page_is_standalone_and_csp_clean():
    html = get_template("500.html").render({})
    assert "<script" not in html and "<style" not in html and " style=" not in html
    assert "{%" not in html and "{{" not in html
