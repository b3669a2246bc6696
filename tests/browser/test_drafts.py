"""An editor drafts, publishes and unpublishes a live page in Chromium."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from practice_points.models import PracticePoint

pytestmark = pytest.mark.browser

ADDED = "Ask again, gently, at a later visit."


def test_editor_saves_a_draft_publishes_then_unpublishes(
    page, site, transactional_db, admin_user, browser
):
    point = PracticePoint.objects.get(slug="ask-the-question")
    reader = browser.new_context().new_page()  # no admin session: a reader
    reader_url = site + point.get_absolute_url()

    page.goto(site + "/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(
        site + reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    )

    page.fill("#id_body", f"{point.body}\n\n{ADDED}")
    page.fill("#id_change_note", "Gentler opening")
    page.get_by_role("button", name="Save draft").first.click()
    expect(page.locator("ul.messagelist")).to_contain_text(
        "Draft saved. Readers still see the published version."
    )
    expect(page.locator("#id_body")).to_contain_text(ADDED)
    reader.goto(reader_url)
    expect(reader.locator("main")).to_contain_text("If you think someone may be")
    expect(reader.locator("main")).not_to_contain_text(ADDED)

    page.get_by_role("button", name="Publish").first.click()
    expect(page.locator("ul.messagelist")).to_contain_text("Published.")
    reader.goto(reader_url)
    expect(reader.locator("main")).to_contain_text(ADDED)

    page.goto(
        site + reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    )
    page.get_by_role("link", name="Unpublish…").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Pages that show or link to it")
    expect(main.locator(f'a[href="{point.get_absolute_url()}"]')).to_be_visible()
    expect(
        main.locator(f'a[href="{point.briefing.get_absolute_url()}"]')
    ).to_be_visible()
    page.get_by_role("button", name="Yes, unpublish").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Unpublished.")
    assert reader.goto(reader_url).status == 404
