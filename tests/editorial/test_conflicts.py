"""A parent's form never silently overwrites a newer edit to one of its inline rows."""

import pytest

from tests.factories import (
    FigureFactory,
    PracticeListFactory,
    PromptFactory,
    ReflectiveQuestionFactory,
    SectionFactory,
)
from tests.pages import admin_url, parse


def _posted(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [getattr(v, "pk", v) for v in value]
    return getattr(value, "pk", value)


def form_with_rows(client, url, **changes):
    """What the admin change form at ``url`` posts, inline rows included."""
    response = client.get(url)
    assert response.status_code == 200
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS"):
            data[management.add_prefix(name)] = management[name].value()
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = _posted(form[name].value())
            if value is not None:
                data[form.add_prefix(name)] = value
    # Changes to inline rows go live with the item: they are not part of a draft.
    data["_publish"] = "Publish"
    data.update(changes)
    return data


def resubmitted(response):
    """The data the refused page would post again, hidden versions moved on."""
    data = dict(response.context["adminform"].form.data.lists())
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix + "-"
        data.update(
            (k, v) for k, v in inline.formset.data.lists() if k.startswith(prefix)
        )
    return data


def row_errors(response):
    return " ".join(
        str(error)
        for inline in response.context["inline_admin_formsets"]
        for form in inline.formset.forms
        for error in form.non_field_errors()
    )


def _section():
    section = SectionFactory(title="Introduction", body="First words.")
    return section.briefing, section, "sections", "body"


def _prompt():
    prompt = PromptFactory(text="Has anyone asked?")
    return prompt.practice_point, prompt, "prompts", "text"


def _reflective_question():
    question = ReflectiveQuestionFactory(text="What do I assume?")
    return question.practice_point, question, "reflective_questions", "text"


def _figure():
    figure = FigureFactory(title="Housing", statement="{value} had no home")
    return figure.snapshot, figure, "figures", "statement"


def _list_item():
    practice_list = PracticeListFactory(items=["Food"])
    return practice_list, practice_list.items.get(), "items", "text"


CASES = {
    "section in a briefing": (_section, "Body"),
    "prompt in a practice point": (_prompt, "Text"),
    "reflective question in a practice point": (_reflective_question, "Text"),
    "figure in a snapshot": (_figure, "Statement"),
    "item in a list": (_list_item, "Text"),
}


@pytest.mark.parametrize("case", CASES)
def test_parent_save_does_not_overwrite_a_newer_child_edit(
    case, client, editor, admin_user
):
    make, label = CASES[case]
    parent, child, prefix, field = make()
    url = admin_url(parent)
    title_field = "title" if hasattr(parent, "title") else "intro"
    client.force_login(editor)
    page = parse(client.get(url).content)
    assert page.find("input", type="hidden", attrs={"name": f"{prefix}-0-edit_version"})
    mine = form_with_rows(client, url, **{title_field: "Mine", "change_note": "Mine"})

    client.force_login(admin_user)
    theirs = form_with_rows(client, url, **{f"{prefix}-0-{field}": "Their words."})
    response = client.post(url, theirs)
    assert response.status_code == 302, response.context and row_errors(response)

    client.force_login(editor)
    refused = client.post(url, mine)
    assert refused.status_code == 200
    message = row_errors(refused)
    name = child._meta.verbose_name
    assert f"admin saved {name} “" in message
    assert f"they changed {label}" in message
    child.refresh_from_db()
    parent.refresh_from_db()
    assert getattr(child, field) == "Their words."
    assert getattr(parent, title_field) != "Mine"  # nothing of the save went in
    # Nothing lost: the form still holds this editor's input, and a second,
    # deliberate save wins (theirs stays in the history).
    assert refused.context["adminform"].form["change_note"].value() == "Mine"
    again = client.post(url, resubmitted(refused))
    assert again.status_code == 302
    child.refresh_from_db()
    parent.refresh_from_db()
    assert getattr(parent, title_field) == "Mine"
    assert getattr(child, field) != "Their words."
    assert child.history.filter(**{field: "Their words."}).exists()


def test_section_edited_on_its_own_page_is_kept(client, editor, admin_user):
    briefing, section, _, _ = _section()
    url = admin_url(briefing)
    client.force_login(editor)
    mine = form_with_rows(client, url, title="Retitled")

    client.force_login(admin_user)
    own_page = admin_url(section)
    theirs = form_with_rows(client, own_page, body="Rewritten by someone else.")
    assert client.post(own_page, theirs).status_code == 302

    client.force_login(editor)
    refused = client.post(url, mine)
    assert refused.status_code == 200
    assert "admin saved section “Introduction” at" in row_errors(refused)
    assert "they changed Body." in row_errors(refused)
    section.refresh_from_db()
    assert section.body == "Rewritten by someone else."


def test_a_row_that_writes_nothing_of_theirs_back_does_not_block(
    client, editor, admin_user
):
    briefing, section, _, _ = _section()
    url = admin_url(briefing)
    client.force_login(editor)
    mine = form_with_rows(client, url, title="Retitled")
    # Their change is to a field the row does not show: saving the row keeps it.
    section.short_title = "Intro"
    section._history_user = admin_user
    section.save()
    assert client.post(url, mine).status_code == 302
    briefing.refresh_from_db()
    section.refresh_from_db()
    assert (briefing.title, section.short_title) == ("Retitled", "Intro")


def test_a_row_deleted_by_someone_else_is_named(client, editor, admin_user):
    point, prompt, _, _ = _prompt()
    url = admin_url(point)
    client.force_login(editor)
    mine = form_with_rows(client, url, title="Retitled")
    prompt._history_user = admin_user
    prompt.delete()
    refused = client.post(url, mine)
    assert refused.status_code == 200
    assert "admin deleted prompt “Has anyone asked?”" in row_errors(refused)
    point.refresh_from_db()
    assert point.title != "Retitled"


def test_read_only_rows_of_a_live_item_still_open_for_a_contributor(
    client, contributor
):
    point = PromptFactory(text="Has anyone asked?").practice_point
    client.force_login(contributor)
    response = client.get(admin_url(point))
    assert response.status_code == 200
    assert "Has anyone asked?" in parse(response.content).find("main").text
