"""Deleting with a typed confirmation, and recovering a whole tree in one action."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from editorial.models import Deletion
from guidance.models import Briefing, Quote, Section
from practice_points.models import (
    PracticeList,
    PracticeListItem,
    PracticePoint,
    Prompt,
    ReflectiveQuestion,
)
from tests.conftest import BRIEFING
from tests.factories import (
    AudienceFactory,
    FullPracticePointFactory,
    PromptFactory,
    QuoteFactory,
    SectionFactory,
)
from tests.pages import admin_url, parse

TREE = [Section, PracticePoint, Prompt, ReflectiveQuestion, PracticeList]


def deleted_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted")


def recover_url(model, deletion):
    opts = model._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_recover", args=[deletion.pk]
    )


def said(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def the_tree():
    """What readers and editors would count: items, list items and links."""
    counts = {model._meta.label: model.objects.count() for model in TREE}
    counts["list items"] = sorted(PracticeListItem.objects.values_list("pk", "text"))
    counts["audiences"] = sorted(
        PracticePoint.audiences.through.objects.values_list(
            "practicepoint_id", "audience_id"
        )
    )
    counts["quotes"] = sorted(
        PracticePoint.quotes.through.objects.values_list("practicepoint_id", "quote_id")
    )
    counts["briefing audiences"] = sorted(
        Briefing.audiences.through.objects.values_list("briefing_id", "audience_id")
    )
    counts["quote sections"] = sorted(Quote.objects.values_list("pk", "section_id"))
    return counts


def main_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response.content).find("main").text


@pytest.mark.slow  # deletes and recovers the whole briefing
def test_deleting_the_briefing_asks_for_its_title_and_recovery_brings_all_back(
    client, editor, content
):
    briefing = Briefing.objects.get(slug=BRIEFING)
    point = briefing.practice_points.filter(prompts__isnull=False).first()
    pages = [briefing.get_absolute_url(), point.get_absolute_url()]
    before = the_tree()
    seen = {url: main_text(client, url) for url in pages}

    client.force_login(editor)
    delete = admin_url(briefing, "delete")
    page = client.get(delete)
    assert page.status_code == 200
    summary = parse(page.content).find("main").text
    assert f"Sections: {briefing.sections.count()}" in summary
    assert f"Practice points: {briefing.practice_points.count()}" in summary
    assert f"Practice list items: {PracticeListItem.objects.count()}" in summary
    assert "type the title" in summary.lower()
    assert parse(page.content).find("input", attrs={"name": "confirm"})

    wrong = client.post(delete, {"post": "yes", "confirm": "yes"})
    assert wrong.status_code == 302 and wrong.url == delete
    assert "Nothing was deleted" in said(wrong)
    assert Briefing.objects.filter(pk=briefing.pk).exists()

    done = client.post(delete, {"post": "yes", "confirm": f" {briefing.title} "})
    assert done.status_code == 302
    assert not Briefing.objects.filter(pk=briefing.pk).exists()
    assert not PracticeListItem.objects.exists()
    client.logout()
    assert client.get(pages[1]).status_code == 404

    client.force_login(editor)
    listed = parse(client.get(deleted_url(Briefing)).content)
    assert briefing.title in listed.find("main").text
    deletion = Deletion.objects.get()
    listed.find("form", action=recover_url(Briefing, deletion))
    # A practice point deleted with it points to the briefing's recovery.
    points = parse(client.get(deleted_url(PracticePoint)).content).find("main").text
    assert point.title in points and f"Deleted with briefing “{briefing.title}”" in (
        points
    )

    recovered = client.post(recover_url(Briefing, deletion))
    assert recovered.status_code == 302
    assert recovered.url == admin_url(briefing)
    assert f"Recovered briefing “{briefing.title}” with" in said(recovered)
    assert the_tree() == before
    client.logout()
    # Readers find the same pages; a recovery is not news on "What's changed".
    assert {url: main_text(client, url) for url in pages} == seen
    restored = Briefing.objects.get(pk=briefing.pk)
    record = restored.history.latest("history_id")
    assert (record.history_type, record.history_change_reason) == (
        "+",
        "Recovered by editor",
    )
    assert record.history_user == editor
    prompt = Prompt.objects.filter(practice_point=point).first()
    assert prompt.history.latest("history_id").history_user == editor
    deletion.refresh_from_db()
    assert deletion.recovered_by == editor


def test_practice_point_with_prompts_audiences_and_lists_comes_back(client, editor):
    audiences = [AudienceFactory(), AudienceFactory()]
    point = FullPracticePointFactory(audiences=audiences)
    prompt_pks = list(point.prompts.values_list("pk", flat=True))
    items = list(PracticeListItem.objects.filter(practice_list__practice_point=point))
    client.force_login(editor)
    client.post(admin_url(point, "delete"), {"post": "yes", "confirm": "delete"})
    assert not PracticePoint.objects.filter(pk=point.pk).exists()
    deletion = Deletion.objects.get()
    assert client.post(recover_url(PracticePoint, deletion)).status_code == 302
    point = PracticePoint.objects.get(pk=point.pk)
    assert set(point.audiences.all()) == set(audiences)
    assert list(point.prompts.values_list("pk", flat=True)) == prompt_pks
    assert point.quotes.count() == 1 and point.references.count() == 1
    assert (
        list(PracticeListItem.objects.filter(practice_list__practice_point=point))
        == items
    )
    # Found in search again, with its audiences.
    found = client.get(reverse("search:search"), {"q": point.title})
    assert point.get_absolute_url() in found.content.decode()


def test_delete_page_names_what_each_link_joins(client, editor):
    audiences = [AudienceFactory(name="Youth workers"), AudienceFactory(name="GPs")]
    point = FullPracticePointFactory(audiences=audiences)
    client.force_login(editor)
    page = parse(client.get(admin_url(point, "delete")).content)
    listed = page.find(id="deleted-objects").text
    assert "Link to audience: Youth workers" in listed
    assert "Link to audience: GPs" in listed
    assert f"Link to quote: {point.quotes.get()}" in listed
    assert f"Prompt: {point.prompts.first()}" in listed
    text = page.find("main").text
    assert "relationship" not in text and " object (" not in text
    assert "Links to other items: 4" in text  # 2 audiences, a quote, a reference


def test_contributor_cannot_delete(client, contributor):
    point = FullPracticePointFactory()
    client.force_login(contributor)
    assert client.get(admin_url(point, "delete")).status_code == 403
    client.post(admin_url(point, "delete"), {"post": "yes", "confirm": "delete"})
    assert PracticePoint.objects.filter(pk=point.pk).exists()


def test_only_editors_delete_items_with_children(client, contributor):
    # A contributor who was given the delete permission by hand still cannot
    # delete a tree.
    contributor.user_permissions.add(
        Permission.objects.get(codename="delete_practicepoint")
    )
    point = FullPracticePointFactory()
    client.force_login(contributor)
    response = client.post(
        admin_url(point, "delete"), {"post": "yes", "confirm": "delete"}
    )
    assert response.status_code == 302
    assert "Only an editor can delete" in said(response)
    assert PracticePoint.objects.filter(pk=point.pk).exists()


def test_bulk_delete_refuses_items_with_children(client, editor):
    point = FullPracticePointFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:practice_points_practicepoint_changelist"),
        {"action": "delete_selected", "_selected_action": [point.pk], "post": "yes"},
    )
    assert "Nothing was deleted" in said(response)
    assert PracticePoint.objects.filter(pk=point.pk).exists()


def test_bulk_deleted_leaf_is_recovered(client, editor):
    prompt = PromptFactory(text="Who else is at home?")
    client.force_login(editor)
    client.post(
        reverse("admin:practice_points_prompt_changelist"),
        {"action": "delete_selected", "_selected_action": [prompt.pk], "post": "yes"},
    )
    assert not Prompt.objects.filter(pk=prompt.pk).exists()
    deletion = Deletion.objects.get()
    client.post(recover_url(Prompt, deletion))
    assert Prompt.objects.get(pk=prompt.pk).text == "Who else is at home?"


def test_recovering_an_item_whose_parent_is_deleted_offers_the_parent(client, editor):
    section = SectionFactory(title="Housing")
    briefing = section.briefing
    client.force_login(editor)
    client.post(admin_url(section, "delete"), {"post": "yes", "confirm": "delete"})
    client.post(admin_url(briefing, "delete"), {"post": "yes", "confirm": "delete"})
    own, with_briefing = Deletion.objects.order_by("pk")

    refused = client.post(recover_url(Section, own))
    assert refused.status_code == 302
    assert refused.url == deleted_url(Briefing)
    message = said(refused)
    assert f"Its briefing “{briefing.title}” was deleted too" in message
    assert "Recover the briefing" in message
    assert not Section.objects.filter(pk=section.pk).exists()
    page = parse(client.get(refused.url).content)
    page.find("form", action=recover_url(Briefing, with_briefing))

    client.post(recover_url(Briefing, with_briefing))
    assert client.post(recover_url(Section, own)).status_code == 302
    assert Section.objects.get(pk=section.pk).briefing == briefing


def test_links_the_delete_emptied_are_filled_in_again(client, editor):
    section = SectionFactory()
    quote = QuoteFactory(section=section)
    client.force_login(editor)
    client.post(admin_url(section, "delete"), {"post": "yes", "confirm": "delete"})
    quote.refresh_from_db()
    assert quote.section is None
    client.post(recover_url(Section, Deletion.objects.get()))
    quote.refresh_from_db()
    assert quote.section_id == section.pk


def test_recovery_that_would_clash_explains_and_changes_nothing(client, editor):
    prompt = PromptFactory(slug="same")
    point = prompt.practice_point
    client.force_login(editor)
    client.post(admin_url(prompt, "delete"), {"post": "yes"})
    PromptFactory(practice_point=point, slug="same")
    response = client.post(recover_url(Prompt, Deletion.objects.get()))
    assert response.status_code == 302
    assert "could not be recovered" in said(response)
    assert Prompt.objects.filter(practice_point=point).count() == 1
    assert Deletion.objects.get().recovered_at is None


def test_recover_is_a_post_for_editors(client, contributor, editor):
    prompt = PromptFactory()
    client.force_login(editor)
    client.post(admin_url(prompt, "delete"), {"post": "yes"})
    url = recover_url(Prompt, Deletion.objects.get())
    assert client.get(url).status_code == 403
    client.force_login(contributor)
    assert client.post(url).status_code == 403
    assert "An editor can recover it" in client.get(deleted_url(Prompt)).text
    assert not Prompt.objects.filter(pk=prompt.pk).exists()


def test_recover_twice_or_unknown_is_a_clear_answer(client, editor):
    prompt = PromptFactory()
    client.force_login(editor)
    client.post(admin_url(prompt, "delete"), {"post": "yes"})
    url = recover_url(Prompt, Deletion.objects.get())
    client.post(url)
    again = client.post(url)
    assert "already been recovered" in said(again)
    unknown = reverse("admin:practice_points_prompt_recover", args=[999999])
    assert client.post(unknown).status_code == 404


def test_links_to_items_deleted_since_are_left_out(client, editor):
    kept, gone = AudienceFactory(), AudienceFactory()
    point = FullPracticePointFactory(audiences=[kept, gone])
    client.force_login(editor)
    client.post(admin_url(point, "delete"), {"post": "yes", "confirm": "delete"})
    client.post(admin_url(gone, "delete"), {"post": "yes"})
    deletion = Deletion.objects.get(object_id=str(point.pk))
    assert client.post(recover_url(PracticePoint, deletion)).status_code == 302
    assert list(PracticePoint.objects.get(pk=point.pk).audiences.all()) == [kept]
