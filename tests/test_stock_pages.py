"""Readers never meet Django's stock answers: methods, CSRF, a failing report."""

import pytest
from django.db import OperationalError
from django.test import Client

from search.models import NoResultSearch


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "DELETE"])
def test_methods_the_site_does_not_use_are_refused(client, content, method):
    response = client.generic(method, "/glossary/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert b"Glossary" not in response.content


def test_a_failed_form_check_gets_the_sites_own_page(content):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Sorry, that form could not be sent" in page
    assert "Leave this site" in page  # the site's own layout, quick exit included
    assert "CSRF verification failed" not in page


def test_search_answers_when_the_report_cannot_be_written(client, content, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(NoResultSearch.objects, "filter", broken)
    response = client.get("/search/", {"q": "football"})
    assert response.status_code == 200
    assert "football" in response.content.decode()
