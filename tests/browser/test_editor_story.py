"""The editor story of issue 12, in one go, in Chromium with JavaScript at 1280 px.

An editor edits a live practice point, previews the unsaved edit, saves a
draft while readers keep the old text, publishes, reads the word diff,
unpublishes (after a confirmation naming the linking pages) and publishes
again, then deletes a practice point and recovers it, prompts and audiences
included, in one click. A second browser context with no login is the reader.
axe checks the change form, the unpublish and delete confirmations and the
"Deleted items" list. (Preview without JavaScript:
test_preview_without_javascript.py; the contributor's side and wrong typed
confirmations: tests/editorial.)
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from practice_points.models import PracticePoint
from tests.browser.conftest import (
    DESKTOP,
    assert_admin_accessible,
    describe,
    run_axe,
    sign_in,
)

pytestmark = pytest.mark.browser

SLUG = "ask-the-question"
ADDED = "Ask again at a later visit: trust can take time to build."


def test_an_editor_edits_previews_drafts_publishes_unpublishes_and_recovers(
    page, browser, site, transactional_db, editor, axe_source, screenshots
):
    point = PracticePoint.objects.get(slug=SLUG)
    opening = point.body.split()[:6]
    prompt = point.prompts.first().text
    audiences = sorted(point.audiences.values_list("name", flat=True))
    assert audiences, "the story needs a practice point with audiences"
    change_url = site + reverse(
        "admin:practice_points_practicepoint_change", args=[point.pk]
    )
    reader_url = site + point.get_absolute_url()
    reader_context = browser.new_context(viewport=DESKTOP)  # no login: a reader
    reader = reader_context.new_page()

    def reader_sees():
        response = reader.goto(reader_url)
        assert response.status == 200
        return reader.locator("main")

    def shot(name):
        screenshots(page, f"editor-story-{name}.png", full_page=True)

    def selected_audiences():
        # filter_horizontal: with JavaScript the chosen ones sit in a second list.
        return sorted(page.locator("#id_audiences_to option").all_inner_texts())

    # 1. Sign in once; open the live point; add a sentence to its body.
    page.set_viewport_size(DESKTOP)
    sign_in(page, site, "editor")
    page.goto(change_url)
    assert selected_audiences() == audiences
    assert_admin_accessible(page, axe_source)
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n\n" + ADDED)
    shot("1-change-form")

    # 2. The preview of the unsaved edit opens in a new tab; readers see no change.
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview unsaved changes").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_be_visible()
    expect(preview.locator("main")).to_contain_text(ADDED)
    preview.set_viewport_size(DESKTOP)
    screenshots(preview, "editor-story-2-preview.png")
    preview.close()
    expect(body).to_have_value(re.compile(re.escape(ADDED)))
    expect(reader_sees()).not_to_contain_text(ADDED)

    # 3. Save draft: the editor is told readers keep the published version.
    page.fill("#id_change_note", "Suggest asking again later")
    page.get_by_role("button", name="Save draft").first.click()
    expect(page.locator("ul.messagelist")).to_contain_text(
        "Draft saved. Readers still see the published version."
    )
    expect(page.locator("#id_body")).to_have_value(re.compile(re.escape(ADDED)))
    shot("3-draft-saved")
    main = reader_sees()
    expect(main).to_contain_text(" ".join(opening))
    expect(main).not_to_contain_text(ADDED)

    # 4. Publish: readers see the sentence.
    page.get_by_role("button", name="Publish").first.click()
    expect(page.locator("ul.messagelist")).to_contain_text("Published.")
    expect(reader_sees()).to_contain_text(ADDED)

    # 5. History: the newest entry marks the whole added sentence as inserted.
    # (Publishing went back to the list; the editor opens the point again.)
    page.get_by_role("link", name=point.title, exact=True).click()
    page.get_by_role("link", name="History").first.click()
    newest = page.locator("#change-history tbody tr").first
    inserted = newest.locator("ins").filter(has_text=ADDED)
    expect(inserted).to_be_visible()
    # Whole, and marked by more than colour (a screen reader hears "added:").
    assert inserted.text_content() == f"added: {ADDED}"
    assert inserted.evaluate("e => getComputedStyle(e).textDecorationLine") == (
        "underline"
    )
    expect(newest.locator("td").nth(3)).to_have_text("editor")
    shot("5-history")

    # 6. Unpublish, after a confirmation naming the pages that link to it.
    page.goto(change_url)
    page.get_by_role("link", name="Unpublish…").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Pages that show or link to it")
    expect(main.locator(f'a[href="{point.get_absolute_url()}"]')).to_be_visible()
    expect(
        main.locator(f'a[href="{point.briefing.get_absolute_url()}"]')
    ).to_be_visible()
    violations = run_axe(page, axe_source)
    assert violations == [], describe(violations)
    shot("6-unpublish-confirmation")
    page.get_by_role("button", name="Yes, unpublish").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Unpublished.")
    assert reader.goto(reader_url).status == 404
    # The form is a draft's now; publishing it again makes it live.
    page.goto(change_url)
    page.get_by_role("button", name="Publish").first.click()
    expect(page.locator("ul.messagelist")).to_contain_text("Published.")
    main = reader_sees()
    expect(main).to_contain_text(ADDED)
    expect(main).to_contain_text(prompt)

    # 7. Delete it (typing its title), then recover it in one click.
    page.goto(change_url)
    page.get_by_role("link", name="Delete").first.click()
    listed = page.locator("#deleted-objects")
    expect(listed).to_contain_text(prompt)
    for audience in audiences:
        expect(listed).to_contain_text(f"Link to audience: {audience}")
    violations = run_axe(page, axe_source)
    assert violations == [], describe(violations)
    page.get_by_label(re.compile("To confirm, type the title")).fill(point.title)
    shot("7-delete-confirmation")
    page.get_by_role("button", name="Delete all of this").click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")
    assert reader.goto(reader_url).status == 404

    page.get_by_role("link", name="Deleted items").first.click()
    row = page.locator("tr", has_text=point.title)
    shot("7-deleted-items")
    violations = run_axe(page, axe_source)
    assert violations == [], describe(violations)
    row.get_by_role("button", name="Recover").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Recovered practice point “{point.title}” with"
    )
    main = reader_sees()
    expect(main).to_contain_text(prompt)
    expect(main).to_contain_text(ADDED)
    recovered = PracticePoint.objects.get(slug=SLUG)
    page.goto(
        site
        + reverse("admin:practice_points_practicepoint_change", args=[recovered.pk])
    )
    assert selected_audiences() == audiences
    shot("7-recovered")
    reader_context.close()
