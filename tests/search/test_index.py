"""The index follows the content: saves, publishing, deletes, fixtures, rebuilds."""

import importlib

import pytest
from django.core.management import call_command
from django.utils import timezone

from editorial.bulk import bulk_load
from guidance.models import Audience, Briefing, Quote, Section
from practice_points.models import PracticeListItem, PracticePoint, Prompt
from search.models import Document
from snapshot.models import Figure, Organisation
from tests.conftest import BRIEFING
from tests.factories import (
    GlossaryTermFactory,
    SectionFactory,
)


def found(client, q):
    html = client.get("/search/", {"q": q}).content.decode()
    return (
        html.split('class="search-results"', 1)[-1] if "search-results" in html else ""
    )


def index_rows():
    return sorted(
        Document.objects.values_list(
            "model", "object_id", "kind", "title", "body", "url", "audiences"
        )
    )


def test_load_content_leaves_the_index_as_a_rebuild_would(content):
    after_load = index_rows()
    assert len(after_load) > 60
    call_command("rebuild_search_index", verbosity=0)
    assert index_rows() == after_load


@pytest.mark.slow  # reloads the whole content
def test_loading_content_twice_keeps_one_row_per_item(content):
    before = index_rows()
    call_command("load_content", verbosity=0)
    assert index_rows() == before


def test_a_bulk_load_indexes_once_when_it_ends_and_not_after_an_error(no_content):
    with bulk_load():
        with bulk_load():  # nested: only the outermost end counts
            SectionFactory(title="Loaded in bulk")
        assert not Document.objects.filter(title="Loaded in bulk").exists()
    assert Document.objects.filter(title="Loaded in bulk").exists()

    Document.objects.all().delete()
    with pytest.raises(RuntimeError), bulk_load():
        SectionFactory(title="Loaded then failed")
        raise RuntimeError("a fixture that cannot load")
    assert not Document.objects.exists()
    # Saves after it are indexed one by one again.
    SectionFactory(title="Saved after")
    assert Document.objects.filter(title="Saved after").exists()


def test_rebuild_command_reports_the_count(content, capsys):
    Document.objects.all().delete()
    call_command("rebuild_search_index")
    assert f"{Document.objects.count()} items" in capsys.readouterr().out
    assert Document.objects.count() > 60


def test_sections_index_the_figures_they_show_not_tokens(content):
    body = Document.objects.get(url=f"/briefings/{BRIEFING}/encompass-snapshot/").body
    assert "[[" not in body
    assert "disclosed experiences of domestic abuse" in body
    assert "Perth & Kinross" in body


def test_practice_point_indexes_its_lists_prompts_and_questions(content):
    body = Document.objects.get(
        url="/practice-points/the-exchange-may-not-be-for-money/"
    ).body
    assert "What sex may be exchanged for" in body and "food" in body


def test_new_published_item_is_found_at_once(client, no_content):
    SectionFactory(title="Outreach", body="Night-time outreach van.")
    assert "Outreach" in found(client, "van")


def test_draft_is_never_indexed_and_publishing_adds_it(client, no_content):
    section = SectionFactory(body="Kilimanjaro", status="draft")
    assert found(client, "kilimanjaro") == ""
    section.status = "published"
    section.save()
    assert section.get_absolute_url() in found(client, "kilimanjaro")


def test_unpublishing_removes_an_item(client, content):
    section = Section.objects.get(slug="northern-rock-foundation")
    assert section.get_absolute_url() in found(client, "Northern Rock")
    section.status = "draft"
    section.save()
    assert section.get_absolute_url() not in found(client, "Northern Rock")


def test_unpublishing_a_briefing_hides_its_sections_and_points(client, content):
    briefing = Briefing.objects.get(slug=BRIEFING)
    briefing.status = "draft"
    briefing.save()
    # The glossary stands apart from any briefing: "survival sex" still explains food.
    assert "/briefings/" not in found(client, "food")
    assert "/practice-points/" not in found(client, "food")
    assert "/briefings/" not in found(client, "grooming")


def test_deleting_removes_an_item(client, content):
    section = Section.objects.get(slug="northern-rock-foundation")
    url = section.get_absolute_url()
    section.delete()
    assert url not in found(client, "Northern Rock")
    assert not Document.objects.filter(url=url).exists()


def test_withdrawn_quote_is_not_found(client, content):
    quote = Quote.objects.get(slug="natalia-lost-my-kids")
    assert quote.get_absolute_url() in found(client, "kids")
    quote.withdrawn_at = timezone.now()
    quote.withdrawn_by = "editor"
    quote.save()
    assert quote.get_absolute_url() not in found(client, "kids")


def test_editing_a_prompt_updates_it_and_its_practice_point(client, content):
    prompt = Prompt.objects.get(slug="somewhere-to-stay")
    prompt.text = "Has anyone offered you a caravan for sex?"
    prompt.save()
    html = found(client, "caravan")
    assert prompt.get_absolute_url() in html
    assert 'href="/practice-points/ask-the-question/"' in html
    prompt.delete()
    assert found(client, "caravan") == ""


def test_editing_a_figure_updates_the_sections_that_show_it(content):
    figure = Figure.objects.get(slug="domestic-abuse")
    figure.statement = "{value} disclosed experiences of coercive control"
    figure.save()
    body = Document.objects.get(url=f"/briefings/{BRIEFING}/encompass-snapshot/").body
    assert "coercive control" in body


def test_audience_change_is_reflected(client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    social = Audience.objects.get(slug="children-and-families-social-work")
    point.audiences.add(social)
    html = client.get(
        "/search/", {"q": "confidentiality", "audience": social.slug}
    ).content.decode()
    assert 'href="/practice-points/ask-the-question/"' in html


def test_deleting_an_audience_rewrites_what_was_written_for_it(content):
    audience = Audience.objects.get(slug="substance-misuse-professionals")
    written_for = Document.objects.filter(audiences__contains=f" {audience.slug} ")
    assert written_for.filter(model="practice_points.prompt").exists()
    audience.delete()
    assert not written_for.exists()


def test_deleting_a_list_item_rewrites_its_practice_point(content):
    item = PracticeListItem.objects.get(text__iexact="food")
    url = item.practice_list.practice_point.get_absolute_url()
    assert "food" in Document.objects.get(url=url).body
    item.delete()
    assert "food" not in Document.objects.get(url=url).body


def test_renaming_an_organisation_rewrites_the_sections_that_list_it(content):
    organisation = Organisation.objects.get(slug="routes-out")
    organisation.name = "Routes Onward"
    organisation.save()
    body = Document.objects.get(url=f"/briefings/{BRIEFING}/encompass-snapshot/").body
    assert "Routes Onward" in body and "Routes Out" not in body


@pytest.mark.parametrize("text", ["\ue000<script>", "x\ue001y"])
def test_content_cannot_forge_highlight_markers(client, no_content, text):
    SectionFactory(title="Markers", body=f"Zanzibar {text}")
    html = client.get("/search/", {"q": "zanzibar"}).content.decode()
    assert "<script>" not in html
    assert html.count("<mark>") == html.count("</mark>")


def test_glossary_terms_are_found_by_what_they_stand_for(client, content):
    results = found(client, "post-traumatic")
    assert "/glossary/#complex-ptsd" in results
    assert "Glossary term" in results


def test_glossary_edits_unpublishing_and_deletes_follow(client, no_content):
    term = GlossaryTermFactory(term="Zorbing", definition="Rolling downhill.")
    assert "/glossary/#" + term.slug in found(client, "downhill")
    term.definition = "Rolling in a ball."
    term.save()
    assert found(client, "downhill") == ""
    assert "Zorbing" in found(client, "ball")
    term.status = "draft"
    term.save()
    assert found(client, "ball") == ""
    term.status = "published"
    term.save()
    term.delete()
    assert not Document.objects.filter(model="guidance.glossaryterm").exists()


def test_migration_indexes_glossary_terms_a_site_already_has(content):
    from django.apps import apps

    migration = importlib.import_module("search.migrations.0004_glossary_term_kind")
    before = index_rows()
    Document.objects.filter(kind="glossary-term").delete()
    migration.index_glossary(apps, None)
    assert index_rows() == before
