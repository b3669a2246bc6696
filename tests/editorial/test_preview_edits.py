"""Preview of the edits in a change form, before they are saved."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from guidance.models import Audience
from handouts.models import HandoutPreset
from practice_points.models import PracticePoint, Prompt
from tests.conftest import change_form_data
from tests.factories import PracticePointFactory
from tests.pages import admin_url, parse

POINT = "/practice-points/ask-the-question/"
NEW_WORDS = "A sentence only the preview has seen."


def with_inline_rows(client, url, data):
    """``data`` plus every inline row as the change form shows it."""
    response = client.get(url)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
        data[f"{formset.prefix}-INITIAL_FORMS"] = len(formset.initial_forms)
        for form in formset.initial_forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is not None:
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


def cached_entries():
    return {alias: len(caches[alias]._cache) for alias in ("local", "default")}


def test_change_form_offers_a_preview_of_unsaved_changes(admin_client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    form = parse(admin_client.get(admin_url(point)).content).find(
        "form", id="practicepoint_form"
    )
    button = form.find("input", value="Preview unsaved changes")
    assert button["formaction"] == admin_url(point, "preview_edit")
    assert button["formtarget"] == "_blank"


def test_preview_shows_unsaved_edits_and_saves_nothing(client, admin_user, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    old_body = point.body
    # A reader's visit fills the page cache with the published text.
    assert NEW_WORDS not in client.get(POINT).content.decode()
    history = point.history.count()

    staff = type(client)()
    staff.force_login(admin_user)
    url = admin_url(point)
    data = change_form_data(staff, url, body=f"{old_body}\n\n{NEW_WORDS}")
    before = cached_entries()
    response = staff.post(admin_url(point, "preview_edit"), data)

    assert response.status_code == 200
    assert NEW_WORDS in response.content.decode()
    assert parse(response.content).find("div", class_="preview-banner")
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    # Nothing saved, nothing recorded, nothing kept in the reader cache.
    point.refresh_from_db()
    assert point.body == old_body
    assert point.history.count() == history
    assert cached_entries() == before
    assert NEW_WORDS not in client.get(POINT).content.decode()
    # The next real change is shown as saved, not as the preview had it.
    staff.post(
        url,
        change_form_data(
            staff, url, title="Ask the question, kindly", _publish="Publish"
        ),
    )
    page = client.get(POINT).content.decode()
    assert "Ask the question, kindly" in page and NEW_WORDS not in page


def test_preview_shows_edited_inline_rows_and_many_to_many(admin_client, no_content):
    point = PracticePointFactory(title="Point", status="published")
    prompt = Prompt.objects.create(
        practice_point=point,
        slug="first",
        text="Old prompt.",
        position=1,
        status="published",
    )
    audience = Audience.objects.create(slug="nurses", name="Nurses")
    url = admin_url(point)
    data = with_inline_rows(admin_client, url, change_form_data(admin_client, url))
    data["prompts-0-text"] = "Edited prompt, not yet saved."
    data["audiences"] = [audience.pk]

    response = admin_client.post(admin_url(point, "preview_edit"), data)
    assert response.status_code == 200
    assert "Edited prompt, not yet saved." in response.content.decode()
    assert (
        parse(response.content).find("p", class_="audiences").text
        == "Written for nurses"
    )
    prompt.refresh_from_db()
    assert prompt.text == "Old prompt."
    assert [a.name for a in point.audiences.all()] == ["Everyone"]


def test_preview_of_a_new_item_saves_nothing(admin_client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    add = reverse("admin:practice_points_practicepoint_add")
    data = change_form_data(admin_client, admin_url(point), slug="brand-new")
    data.update(title="A brand new point", body=NEW_WORDS)
    form = parse(admin_client.get(add).content).find("form", id="practicepoint_form")
    preview = form.find("input", value="Preview unsaved changes")["formaction"]

    response = admin_client.post(preview, data)
    assert response.status_code == 200
    assert NEW_WORDS in response.content.decode()
    assert not PracticePoint.objects.filter(slug="brand-new").exists()


def test_preview_markdown_is_sanitised(admin_client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    url = admin_url(point)
    body = '<script>alert("x")</script>\n\n[link](javascript:alert(1)) Safe words.'
    response = admin_client.post(
        admin_url(point, "preview_edit"), change_form_data(admin_client, url, body=body)
    )
    html = response.content.decode()
    assert "Safe words." in html
    assert '<script>alert("x")' not in html and "javascript:alert" not in html


def test_invalid_preview_says_what_is_wrong(admin_client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    url = admin_url(point)
    data = change_form_data(admin_client, url, title="", position="first")
    response = admin_client.post(admin_url(point, "preview_edit"), data)

    assert response.status_code == 400
    problems = [
        li.text
        for li in parse(response.content).find("ul", class_="errorlist").find_all("li")
    ]
    assert "Title: This field is required." in problems
    assert "Order: Enter a whole number." in problems
    point.refresh_from_db()
    assert point.title != ""


def test_preview_ignores_a_colleagues_newer_save(client, admin_user, editor, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    url = admin_url(point)
    client.force_login(editor)
    mine = change_form_data(client, url, body=NEW_WORDS)
    client.force_login(admin_user)
    client.post(url, change_form_data(client, url, title="Retitled"))
    client.force_login(editor)
    # Saving would be refused as a conflict; previewing overwrites nothing.
    response = client.post(admin_url(point, "preview_edit"), mine)
    assert response.status_code == 200 and NEW_WORDS in response.content.decode()


def test_preview_of_edits_is_post_only(admin_client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    assert admin_client.get(admin_url(point, "preview_edit")).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/admin/practice_points/practicepoint/abc/preview/",
        "/admin/practice_points/practicepoint/999999/preview/",
    ],
)
def test_preview_of_edits_with_a_bad_id_is_not_found(admin_client, content, path):
    assert admin_client.post(path, {}).status_code == 404


@pytest.mark.parametrize(
    "args",
    [
        ["practice_points", "practicepoint", "abc"],
        ["practice_points", "practicepoint", "999999"],
        ["practice_points", "nosuchmodel", "1"],
        ["nosuchapp", "practicepoint", "1"],
        ["handouts", "savedhandout", "1"],
        ["editorial", "contentversion", "1"],
    ],
)
def test_preview_with_a_bad_address_is_not_found(admin_client, content, args):
    response = admin_client.get(reverse("editorial:preview", args=args))
    assert response.status_code == 404


def preview_not_available(admin_client, item):
    """The preview of an item with no page: a 404 that says so in its heading."""
    opts = item._meta
    response = admin_client.get(
        reverse("editorial:preview", args=[opts.app_label, opts.model_name, item.pk])
    )
    assert response.status_code == 404
    assert parse(response.content).find("h1").text == "Preview not available"
    return response


def test_preview_of_an_item_with_no_page_says_so(admin_client, content):
    response = preview_not_available(admin_client, Audience.objects.first())
    assert "has no page of its own" in response.content.decode()


def test_preview_of_a_model_without_history_is_not_an_error(admin_client, content):
    preset = HandoutPreset.objects.create(slug="new-preset", name="New preset")
    # The handout page is built from its address, not from a saved preset.
    preview_not_available(admin_client, preset)
