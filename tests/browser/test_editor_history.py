"""An editor, without JavaScript, previews an unsaved edit, saves it and reads
the history's word diff in Chromium."""

import pytest
from django.urls import reverse

from practice_points.models import PracticePoint
from tests.browser.conftest import describe, run_axe

pytestmark = pytest.mark.browser

ADDED = "Ask again later if the answer is no: trust takes time."
POINT = "/practice-points/ask-the-question/"


def test_editor_previews_an_unsaved_edit_then_reads_it_in_the_history(
    no_script, browser, site, transactional_db, admin_user, axe_source
):
    point = PracticePoint.objects.get(slug="ask-the-question")
    page = no_script.new_page()
    page.goto(site + "/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    edit_url = reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    page.goto(site + edit_url)
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n\n" + ADDED)

    # The preview opens in a new tab; the form keeps the edit.
    with no_script.expect_page() as opened:
        page.get_by_role("button", name="Preview unsaved changes").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.get_by_text(ADDED).is_visible()
    assert preview.locator(".preview-banner").is_visible()
    preview.close()
    assert ADDED in page.locator("#id_body").input_value()

    # Nothing was saved: a reader sees the published text.
    reader = browser.new_context()
    reader_page = reader.new_page()
    reader_page.goto(site + POINT)
    assert ADDED not in reader_page.content()

    # Saved with a note, the history shows the added sentence, marked, whole.
    page.fill("#id_change_note", "Added advice on asking again")
    page.locator("input[name=_publish]").first.click()
    page.goto(site + edit_url.replace("/change/", "/history/"))
    newest = page.locator("#change-history tbody tr").first
    added = newest.locator("ins").filter(has_text=ADDED)
    assert added.text_content() == f"added: {ADDED}"
    assert added.is_visible()
    assert added.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"
    assert newest.locator("td").nth(3).inner_text() == "admin"
    reader_page.goto(site + POINT)
    assert reader_page.get_by_text(ADDED).is_visible()
    reader.close()

    # The preview page is a reader page: it passes axe like the others (axe
    # needs JavaScript, so this one browser has it, with the editor's login).
    scripted = browser.new_context()
    scripted.add_cookies(no_script.cookies())
    page = scripted.new_page()
    page.goto(
        site
        + reverse(
            "editorial:preview", args=["practice_points", "practicepoint", point.pk]
        )
    )
    assert page.locator(".preview-banner").is_visible()
    violations = run_axe(page, axe_source)
    scripted.close()
    assert violations == [], describe(violations)
