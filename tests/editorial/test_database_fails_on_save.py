"""A save the database cannot take gives the editor back what they typed."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from editorial.admin import EditorialAdmin
from practice_points.models import PracticePoint
from tests.conftest import change_form_data
from tests.factories import PracticePointFactory
from tests.pages import parse

TYPED = "A sentence the editor spent ten minutes on."


@pytest.fixture
def point(no_content):
    return PracticePointFactory(title="Before")


def test_a_failed_save_keeps_the_form_and_says_so(client, editor, point, monkeypatch):
    url = reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    client.force_login(editor)
    data = change_form_data(client, url, body=TYPED, _publish="Publish")

    def database_gone(*args, **kwargs):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patch:
        patch.setattr(EditorialAdmin, "save_model", database_gone)
        response = client.post(url, data)

    assert response.status_code == 503  # not the readers' "back soon" page
    page = response.content.decode()
    assert "has not been saved" in page
    shown = [box.text for box in parse(page).find_all("textarea", readonly=True)]
    assert TYPED in shown
    again = {}
    form = parse(page).find("form", action=url)
    for field in form.find_all("input", type="hidden"):
        again.setdefault(field["name"], []).append(field["value"])
    assert again["body"] == [TYPED] and again["_publish"] == ["Publish"]

    # "Try saving again" once the database answers: saved and published.
    assert client.post(url, again).status_code == 302
    assert PracticePoint.objects.get(pk=point.pk).body == TYPED
