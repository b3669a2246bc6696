"""An editor deletes a practice point in Chromium, typing its title to confirm,
then brings it back, prompts, list items and audiences included, in one click."""

import re

import pytest
from playwright.sync_api import expect

from practice_points.models import PracticePoint
from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser

SLUG = "ask-the-question"


def test_an_editor_deletes_and_recovers_a_practice_point(
    page, site, transactional_db, editor, axe_source
):
    point = PracticePoint.objects.get(slug=SLUG)
    prompt = point.prompts.first().text
    audiences = sorted(point.audiences.values_list("name", flat=True))
    reader_url = site + point.get_absolute_url()
    page.goto(reader_url)
    expect(page.locator("main")).to_contain_text(prompt)

    page.goto(site + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "not-used-123")
    page.click("input[type=submit]")
    page.goto(site + f"/admin/practice_points/practicepoint/{point.pk}/delete/")
    main = page.locator("main")
    expect(main).to_contain_text("Prompts: ")
    assert run_axe(page, axe_source) == []
    page.get_by_label(re.compile("To confirm, type the title")).fill("yes")
    page.get_by_role("button", name="Delete all of this").click()
    expect(page.locator(".messagelist")).to_contain_text("Nothing was deleted")
    page.get_by_label(re.compile("To confirm, type the title")).fill(point.title)
    page.get_by_role("button", name="Delete all of this").click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")
    assert page.request.get(reader_url).status == 404

    page.goto(site + "/admin/practice_points/practicepoint/deleted/")
    assert run_axe(page, axe_source) == []
    row = page.locator("tr", has_text=point.title)
    row.get_by_role("button", name="Recover").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Recovered practice point “{point.title}” with"
    )
    page.goto(reader_url)
    expect(page.locator("main")).to_contain_text(prompt)
    recovered = PracticePoint.objects.get(slug=SLUG)
    assert sorted(recovered.audiences.values_list("name", flat=True)) == audiences
