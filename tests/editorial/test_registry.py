"""One registry of content: a model's ``Content`` is all the site needs to know.

Every content model is watched for changes, found in search when it has a
kind, and offered to the handout builder when printable; and a model no
feature has heard of (tests/registry_app) gets all of that from its one file.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_save
from django.test import override_settings
from simple_history.models import registered_models

from editorial import versions
from editorial.content import (
    content_models,
    content_of,
    printable_models,
    search_kinds,
    searchable_models,
    watched_models,
)
from editorial.models import Status
from handouts import selection
from search.models import Document
from tests.pages import parse

from ..search.test_search_page import result_urls, results


def test_every_content_model_is_watched_with_its_history_and_links():
    watched = set(watched_models())
    for model in content_models():
        assert model in watched
        assert model.history.model in watched
        for field in model._meta.local_many_to_many:
            assert field.remote_field.through in watched


def test_every_searchable_model_is_indexed_and_followed(content):
    indexed = set(Document.objects.values_list("model", flat=True).distinct())
    for model, kind in searchable_models().items():
        assert model._meta.label_lower in indexed
        assert kind in search_kinds()
        assert post_save.has_listeners(model)
    # The filter offers each kind once, in the order the models give.
    orders = [
        min(content_of(m).order for m, k in searchable_models().items() if k == kind)
        for kind in search_kinds()
    ]
    assert orders == sorted(orders)


def test_every_printable_model_is_offered_to_the_builder(client, content):
    printable = [m for m in content_models() if content_of(m).printable]
    assert {content_of(m).kind for m in printable} == set(printable_models())
    page = parse(client.get("/handouts/").content)
    legends = [
        g.find("legend").text for g in page.find_all("fieldset", class_="handout-group")
    ]
    for kind, (label, model) in printable_models().items():
        assert any(legend.startswith(f"{label} (") for legend in legends), label
        assert content_of(model).kind == kind
    # Not printable: never offered.
    assert "briefing" not in selection.kinds()


@pytest.fixture
def leaflet_app(db):
    """tests/registry_app installed, its tables made as its migration would."""
    from django.apps import apps

    with override_settings(
        INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.registry_app"]
    ):
        leaflet = apps.get_model("registry_app", "Leaflet")
        editor = connection.schema_editor()
        editor.deferred_sql = []
        # Not ``with``: SQLite's schema editor refuses to open inside the
        # test's transaction, and creating tables needs none of what it adds.
        for model in (leaflet, leaflet.history.model):
            editor.create_model(model)
        for sql in editor.deferred_sql:
            editor.execute(sql)
        versions.install_triggers()  # as after every migrate
        yield leaflet
    # django-simple-history lists every model it records in a global:
    # populate_history (run by load_content) must not look for these tables.
    for table in [t for t, m in registered_models.items() if m is leaflet]:
        del registered_models[table]


def test_a_new_content_model_gets_every_feature_from_its_one_file(
    client, content, leaflet_app
):
    Leaflet = leaflet_app
    assert Leaflet in content_models()
    assert {Leaflet, Leaflet.history.model} <= set(watched_models())

    # A write to it refreshes reader pages: its table carries the version trigger.
    before = versions.read()
    Leaflet.objects.create(
        slug="befriending",
        title="Befriending schemes",
        text="Where a befriender can help.",
        status=Status.PUBLISHED,
    )
    Leaflet.objects.create(slug="draft", title="A draft leaflet", text="Befriending.")
    assert versions.read().number > before.number

    # Found in search, under a filter of its own.
    assert search_kinds()["leaflet"] == "Leaflet"
    html = results(client, "befriending")
    assert "/leaflets/befriending/" in result_urls(html)
    assert "/leaflets/draft/" not in result_urls(html)
    options = [o.text for o in parse(html).find(id="search-kind").find_all("option")]
    assert "Leaflet (1)" in options
    assert result_urls(results(client, "befriending", kind="leaflet")) == [
        "/leaflets/befriending/"
    ]

    # Offered to the handout builder, and printed on a handout.
    page = parse(client.get("/handouts/").content)
    legends = [
        g.find("legend").text for g in page.find_all("fieldset", class_="handout-group")
    ]
    assert "Leaflets (1)" in legends
    assert page.find("input", attrs={"name": "item"}, value="leaflet:befriending")
    response = client.get(
        "/handouts/handout/", {"item": "leaflet:befriending"}, follow=True
    )
    assert response.status_code == 200
    handout = parse(response.content)
    section = handout.find("section", class_="handout-items")
    assert section.find("h2").text == "Leaflets"
    assert [li.text for li in section.find_all("li")] == ["Befriending schemes"]
