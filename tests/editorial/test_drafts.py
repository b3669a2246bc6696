"""Drafts for every role: Save draft, Publish, Unpublish and Discard draft."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from editorial.content import content_models
from editorial.models import PendingChange, Publishable, Status
from guidance.models import GlossaryTerm, Section
from practice_points.models import PracticePoint
from tests.conftest import change_form_data
from tests.editorial.test_conflicts import form_with_rows
from tests.factories import GlossaryTermFactory, PracticePointFactory, PromptFactory
from tests.pages import admin_url, parse

NEW_SUMMARY = "Ask every woman, gently and in private, about selling or exchanging sex."


def waiting_on_review(client):
    """The items Admin › Review lists as having a draft waiting."""
    response = client.get(reverse("editorial:review_due"))
    return [str(p["change"].item) for p in response.context["pending_changes"]]


def reader_text(client, url):
    return unescape(client.get(url).content.decode())


def buttons(html):
    """The labels of the change form's submit buttons and links in its submit row."""
    rows = parse(html).find_all("div", **{"class": "submit-row"})
    labels = [b["value"] for row in rows for b in row.find_all("input")]
    labels += [a.text for row in rows for a in row.find_all("a")]
    return set(labels)


@pytest.fixture
def point(content):
    return PracticePoint.objects.get(slug="ask-the-question")


def save_draft(client, url, **changes):
    return client.post(url, change_form_data(client, url, **changes, _save_draft="1"))


def test_new_items_start_as_drafts(db):
    assert PracticePoint().status == Status.DRAFT
    assert GlossaryTerm().status == Status.DRAFT
    assert PracticePoint._meta.get_field("status").default == Status.DRAFT


def test_editor_saves_a_draft_of_a_live_page_then_publishes_it(client, editor, point):
    url, page = admin_url(point), point.get_absolute_url()
    old_summary = point.summary
    client.force_login(editor)
    assert {"Save draft", "Publish", "Unpublish…"} <= buttons(client.get(url).content)

    response = save_draft(client, url, summary=NEW_SUMMARY, change_note="Gentler")
    assert response.status_code == 302 and response.url == url
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Draft saved. Readers still see the published version."]
    point.refresh_from_db()
    assert point.summary == old_summary and point.is_published

    client.logout()
    html = reader_text(client, page)
    assert old_summary in html and NEW_SUMMARY not in html

    client.force_login(editor)
    data = change_form_data(client, url, _publish="Publish")
    assert data["summary"] == NEW_SUMMARY  # the form shows the draft
    response = client.post(url, data, follow=True)
    assert "Published. Readers now see this version." in response.content.decode()
    client.logout()
    assert NEW_SUMMARY in reader_text(client, page)
    revision = PendingChange.objects.of(point).get()
    assert revision.state == PendingChange.State.LIVE
    assert revision.resolved_by == editor


def test_every_save_draft_adds_a_revision(client, editor, point):
    url = admin_url(point)
    client.force_login(editor)
    save_draft(client, url, summary="First draft.", change_note="One")
    save_draft(client, url, summary="Second draft.", change_note="Two")
    revisions = list(PendingChange.objects.of(point))
    assert [(r.change_note, r.state) for r in revisions] == [
        ("Two", PendingChange.State.WAITING),
        ("One", PendingChange.State.REPLACED),
    ]
    history = client.get(admin_url(point, "history")).content.decode()
    assert "Draft revisions" in history and "Replaced by a later draft" in history


def test_contributor_saves_a_draft_but_cannot_publish(client, contributor, point):
    url = admin_url(point)
    client.force_login(contributor)
    labels = buttons(client.get(url).content)
    assert "Save draft" in labels
    assert not {"Publish", "Unpublish…"} & labels
    response = save_draft(client, url, summary=NEW_SUMMARY)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Draft saved. Readers still see the published version. "
        "An editor will publish it."
    ]
    data = change_form_data(client, url, summary="Sneaked in.", _publish="Publish")
    assert client.post(url, data).status_code == 403
    assert client.get(admin_url(point, "unpublish")).status_code == 403
    point.refresh_from_db()
    assert point.summary != "Sneaked in." and point.is_published


def test_editor_adds_an_item_as_a_draft(client, editor, content):
    client.force_login(editor)
    briefing = Section.objects.first().briefing
    add = reverse("admin:guidance_section_add")
    response = client.post(
        add,
        {"briefing": briefing.pk, "slug": "new", "title": "New", "body": "Text.",
         "position": 1, "quotes-TOTAL_FORMS": 0, "quotes-INITIAL_FORMS": 0,
         "_save_draft": "1"},
    )  # fmt: skip
    section = Section.objects.get(slug="new")
    assert response.url == admin_url(section)
    assert section.status == Status.DRAFT
    client.logout()
    assert client.get(section.get_absolute_url()).status_code == 404


def test_unpublish_asks_first_and_names_the_pages_that_show_it(client, editor, point):
    client.force_login(editor)
    confirm = client.get(admin_url(point, "unpublish"))
    assert confirm.status_code == 200
    links = {a["href"] for a in parse(confirm.content).find("main").find_all("a")}
    assert point.get_absolute_url() in links
    assert point.briefing.get_absolute_url() in links
    point.refresh_from_db()
    assert point.is_published  # asking changed nothing

    response = client.post(admin_url(point, "unpublish"), follow=True)
    assert "Unpublished. Readers can no longer see it" in response.content.decode()
    point.refresh_from_db()
    assert point.is_draft
    assert point.history.latest("history_id").history_change_reason == "Unpublished"
    client.logout()
    assert client.get(point.get_absolute_url()).status_code == 404


def test_unpublishing_keeps_a_waiting_draft(client, editor, contributor, point):
    url = admin_url(point)
    client.force_login(contributor)
    save_draft(client, url, summary=NEW_SUMMARY, change_note="Gentler")
    client.force_login(editor)
    client.post(admin_url(point, "unpublish"))

    form = client.get(url)
    assert form.context["adminform"].form.initial["summary"] == NEW_SUMMARY
    assert "This is a draft: readers cannot see it." not in form.content.decode()
    assert "Unpublish…" not in buttons(form.content)
    assert form.context["is_draft"] and not form.context["is_live"]
    # Saving the unpublished item saves the draft into it.
    save_draft(client, url)
    point.refresh_from_db()
    assert point.summary == NEW_SUMMARY and point.is_draft
    revision = PendingChange.objects.of(point).get()
    assert revision.state == PendingChange.State.APPLIED


def test_a_draft_is_discarded_only_by_its_author_or_an_editor(
    client, django_user_model, contributor, editor, point
):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("other", is_staff=True)
    other.groups.add(Group.objects.get(name="Contributor"))
    url, discard = admin_url(point), admin_url(point, "discard_draft_change")
    client.force_login(contributor)
    save_draft(client, url, summary=NEW_SUMMARY, change_note="Mine")
    assert "Discard draft" in client.get(url).content.decode()
    assert waiting_on_review(client) == [str(point)]

    client.force_login(other)
    assert "Discard draft" not in client.get(url).content.decode()
    assert client.post(discard).status_code == 403
    assert PendingChange.objects.for_object(point) is not None

    client.force_login(contributor)
    assert client.get(discard).status_code == 405
    assert client.post(discard).status_code == 302
    draft = PendingChange.objects.of(point).get()
    assert draft.state == PendingChange.State.DISCARDED
    assert waiting_on_review(client) == []
    history = client.get(admin_url(point, "history")).content.decode()
    assert "Mine" in history and "Discarded" in history

    # An editor may discard anyone's draft.
    save_draft(client, url, summary=NEW_SUMMARY, change_note="Again")
    client.force_login(editor)
    assert client.post(discard).status_code == 302
    assert PendingChange.objects.for_object(point) is None
    assert PendingChange.objects.of(point).count() == 2


@pytest.mark.parametrize("view", ["discard_draft_change", "unpublish"])
@pytest.mark.parametrize("bad_id", ["abc", "999999"])
def test_draft_urls_with_a_bad_id_are_not_found(admin_client, db, view, bad_id):
    url = reverse(f"admin:practice_points_practicepoint_{view}", args=[bad_id])
    assert admin_client.post(url).status_code == 404


def changelist_data(client, url, **positions):
    """What the list's editable columns post, with new positions by slug."""
    formset = client.get(url).context["cl"].formset
    data = {
        "form-TOTAL_FORMS": formset.total_form_count(),
        "form-INITIAL_FORMS": formset.initial_form_count(),
        "_save": "Save",
    }
    for i, form in enumerate(formset.forms):
        data[f"form-{i}-id"] = form.instance.pk
        data[f"form-{i}-position"] = positions.get(
            form.instance.slug, form.instance.position
        )
    return data


@pytest.mark.parametrize("who", ["editor", "contributor"])
def test_a_reorder_keeps_the_waiting_draft(client, request, who, point):
    user = request.getfixturevalue(who)
    url = admin_url(point)
    changelist = reverse("admin:practice_points_practicepoint_changelist")
    client.force_login(request.getfixturevalue("contributor"))
    save_draft(client, url, summary=NEW_SUMMARY, change_note="Gentler")

    client.force_login(user)
    response = client.post(
        changelist, changelist_data(client, changelist, **{point.slug: 42})
    )
    assert response.status_code == 302
    draft = PendingChange.objects.for_object(point)
    assert draft.fields["summary"] == NEW_SUMMARY
    assert draft.fields["position"] == 42
    assert draft.change_note == "Gentler"

    # Publishing the draft keeps the new place in the list.
    client.force_login(request.getfixturevalue("editor"))
    client.post(url, change_form_data(client, url, _publish="Publish"))
    point.refresh_from_db()
    assert (point.summary, point.position) == (NEW_SUMMARY, 42)


def test_a_contributors_reorder_of_a_live_item_is_a_draft(client, contributor, point):
    changelist = reverse("admin:practice_points_practicepoint_changelist")
    old_position = point.position
    client.force_login(contributor)
    data = changelist_data(client, changelist, **{point.slug: 42})
    assert client.post(changelist, data).status_code == 302
    point.refresh_from_db()
    assert point.position == old_position
    draft = PendingChange.objects.for_object(point)
    assert draft.fields["position"] == 42
    assert draft.fields["summary"] == point.summary
    assert sorted(draft.fields["audiences"]) == sorted(
        point.audiences.values_list("pk", flat=True)
    )


def test_an_inline_reorder_keeps_the_childs_draft(client, editor, contributor):
    point = PracticePointFactory()
    prompt = PromptFactory(practice_point=point, position=1, text="Ask.")
    client.force_login(contributor)
    url = admin_url(prompt)
    save_draft(client, url, text="Ask gently.")

    client.force_login(editor)
    parent_url = admin_url(point)
    data = change_form_data(client, parent_url, _publish="Publish")
    data.update({
        "prompts-TOTAL_FORMS": 1, "prompts-INITIAL_FORMS": 1,
        "prompts-0-id": prompt.pk, "prompts-0-practice_point": point.pk,
        "prompts-0-position": 5, "prompts-0-slug": prompt.slug,
        "prompts-0-text": "Ask.", "prompts-0-status": Status.PUBLISHED,
    })  # fmt: skip
    assert client.post(parent_url, data).status_code == 302
    prompt.refresh_from_db()
    assert prompt.position == 5
    draft = PendingChange.objects.for_object(prompt)
    assert (draft.fields["text"], draft.fields["position"]) == ("Ask gently.", 5)


def test_draft_of_a_live_parent_refuses_inline_changes_and_keeps_input(client, editor):
    point = PracticePointFactory()
    prompt = PromptFactory(practice_point=point, text="Ask.")
    client.force_login(editor)
    url = admin_url(point)
    data = change_form_data(client, url, title="Retitled", _save_draft="1")
    data.update({
        "prompts-TOTAL_FORMS": 1, "prompts-INITIAL_FORMS": 1,
        "prompts-0-id": prompt.pk, "prompts-0-practice_point": point.pk,
        "prompts-0-position": prompt.position, "prompts-0-slug": prompt.slug,
        "prompts-0-text": "Ask kindly.", "prompts-0-status": Status.PUBLISHED,
    })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "These rows are not part of a draft" in response.content.decode()
    assert "Ask kindly." in response.content.decode()
    prompt.refresh_from_db()
    point.refresh_from_db()
    assert (prompt.text, point.title) != ("Ask kindly.", "Retitled")
    assert PendingChange.objects.for_object(point) is None


@pytest.mark.slow  # reloads the whole content
def test_loading_the_content_again_keeps_the_draft(client, contributor, point):
    url = admin_url(point)
    client.force_login(contributor)
    save_draft(client, url, summary=NEW_SUMMARY, change_note="Gentler")
    call_command("load_content", verbosity=0)
    draft = PendingChange.objects.for_object(point)
    assert draft is not None and draft.fields["summary"] == NEW_SUMMARY
    assert change_form_data(client, url)["summary"] == NEW_SUMMARY


def test_glossary_term_draft_then_publish_with_a_note_in_whats_changed(
    client, editor, no_content
):
    term = GlossaryTermFactory(term="PTSD", definition="A condition.")
    url = admin_url(term)
    glossary = reverse("guidance:glossary")
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert {"Save draft", "Publish"} <= buttons(page) and "change_note" in page

    save_draft(client, url, definition="A reworded definition.")
    client.logout()
    html = reader_text(client, glossary)
    assert "A condition." in html and "A reworded definition." not in html

    client.force_login(editor)
    data = change_form_data(
        client, url, change_note="Clearer definition of PTSD", _publish="Publish"
    )
    assert client.post(url, data).status_code == 302
    client.logout()
    assert "A reworded definition." in reader_text(client, glossary)
    changes = parse(client.get(reverse("whats_changed")).content)
    assert "Clearer definition of PTSD" in changes.find("main").text
    assert term.get_absolute_url() in {a["href"] for a in changes.find_all("a")}


def test_glossary_term_draft_has_a_preview(client, editor, no_content):
    term = GlossaryTermFactory(term="PTSD", definition="A condition.")
    url = admin_url(term)
    client.force_login(editor)
    save_draft(client, url, definition="A reworded definition.")
    preview_url = reverse(
        "editorial:preview", args=["guidance", "glossaryterm", term.pk]
    )
    assert preview_url in client.get(url).content.decode()
    response = client.get(preview_url)
    assert response.status_code == 200
    assert "A reworded definition." in parse(response.content).find("main").text
    term.refresh_from_db()
    assert term.definition == "A condition."


def test_a_revert_keeps_the_item_published(client, editor, point):
    url = admin_url(point)
    client.force_login(editor)
    client.post(url, change_form_data(client, url, title="Renamed", _publish="1"))
    # The fixtures' version, loaded before the item was ever published by hand.
    first = point.history.earliest("history_id")
    first.status = Status.DRAFT
    first.save()
    revert = reverse(
        "admin:practice_points_practicepoint_simple_history",
        args=[point.pk, first.history_id],
    )
    # Publish on the revert form makes the old version live; it stays published.
    published = change_form_data(client, revert, _publish="Publish this version")
    assert client.post(revert, published).status_code == 302
    point.refresh_from_db()
    assert point.title == first.title and point.is_published


def test_contributor_drafts_glossary_terms(client, contributor, no_content):
    term = GlossaryTermFactory(term="DV", definition="Domestic violence.")
    client.force_login(contributor)
    response = save_draft(client, admin_url(term), definition="Domestic abuse.")
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.definition == "Domestic violence."
    assert PendingChange.objects.for_object(term).fields["definition"] == (
        "Domestic abuse."
    )


APPS = ["editorial", "guidance", "practice_points", "snapshot", "search"]
APPS += ["handouts", "feedback", "upkeep", "config", "bench"]
# A status as a value; a dict key such as the "published" date is not one.
BARE_STATUS = re.compile(r"""(?<![\w.])["'](draft|published)["'](?!\s*:)""")
# Choices say their values once: Status.DRAFT = "draft", "Draft".
CHOICE = re.compile(r"^\s*[A-Z_]+ = ")


def test_no_module_spells_a_status_as_a_bare_string():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for app in APPS
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if BARE_STATUS.search(line) and not CHOICE.match(line)
    ]
    assert found == []


PUBLISHABLE = [m for m in content_models() if issubclass(m, Publishable)]


@pytest.mark.parametrize("model", PUBLISHABLE, ids=lambda m: m._meta.model_name)
def test_every_kind_of_item_can_be_unpublished_after_asking(
    admin_client, content, model
):
    item = model.objects.published().first()
    response = admin_client.get(admin_url(item, "unpublish"))
    assert response.status_code == 200
    assert parse(response.content).find("input", value="Yes, unpublish") is not None


def test_a_row_an_editor_adds_to_a_live_item_goes_live_with_it(client, editor, point):
    url = admin_url(point)
    client.force_login(editor)
    response = client.get(url)
    prompts = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "prompts"
    )
    # The row "Add another" copies starts as Published inside a live item.
    new_row = prompts.empty_form
    assert new_row["status"].value() == Status.PUBLISHED
    data = form_with_rows(client, url)
    total = int(data["prompts-TOTAL_FORMS"])
    data.update(
        {
            "prompts-TOTAL_FORMS": total + 1,
            f"prompts-{total}-position": 99,
            f"prompts-{total}-slug": "ask-again-later",
            f"prompts-{total}-text": "Could you ask again at a later visit?",
            f"prompts-{total}-status": new_row["status"].value(),
        }
    )
    assert client.post(url, data).status_code == 302
    assert "Could you ask again at a later visit?" in reader_text(
        client, point.get_absolute_url()
    )


def test_rows_of_an_unpublished_item_start_as_drafts(client, editor, no_content):
    draft = PracticePointFactory(status=Status.DRAFT)
    client.force_login(editor)
    response = client.get(admin_url(draft))
    prompts = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "prompts"
    )
    assert prompts.empty_form["status"].value() == Status.DRAFT
