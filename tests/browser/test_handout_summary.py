"""The handout builder's count and summary, Enter in the title, and the handout's
Print button, in Chromium with JavaScript on and off, at 320 and 1280 px.

With SCREENSHOTS=1, screenshots go to SHOTS (outside the repository) for the
reviewer."""

import re

import pytest

from tests.browser.conftest import (
    WIDTHS,
    describe,
    run_axe,
    run_axe_without_script,
)

pytestmark = [pytest.mark.browser, pytest.mark.same_on_every_engine]

HANDOUT = re.compile(r"/handouts/h/\w+/$")


def box(page, item_id):
    return page.locator(f'input[name="item"][value="{item_id}"]')


def summary(page):
    return page.locator("[data-chosen-summary]").first.locator("li").all_inner_texts()


@pytest.mark.parametrize(("viewport", "width"), WIDTHS, ids=["320", "1280"])
def test_the_summary_follows_the_ticks_and_enter_in_the_title_builds(
    browser, site, new_rows_removed, axe_source, shots, viewport, width
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(site + "/handouts/")
    # The round trip is for pages without script: here the count is live.
    assert not page.get_by_role("button", name="Update the count").first.is_visible()
    box(page, "figure:domestic-abuse").click()
    box(page, "quote:wendy-box").click()
    assert page.locator("#chosen-count").inner_text() == "2 items chosen"
    assert summary(page) == ["Snapshot figures: 1", "In their words: 1"]
    shots(page.locator(".handout-actions").first, f"builder-summary-js-{width}.png")
    assert run_axe(page, axe_source) == [], describe(run_axe(page, axe_source))
    # Words typed in the filter narrow the list; Enter in the title still builds.
    page.locator("#handout-q").fill("box")
    page.locator("#handout-title").fill("Tuesday session")
    page.locator("#handout-title").press("Enter")
    page.wait_for_url(HANDOUT)
    headings = page.locator("article.handout h2").all_inner_texts()
    assert headings == ["Encompass Snapshot figures", "In their words"]
    quotes = page.locator("section.handout-quotes")
    assert "put it all away in a box" in quotes.inner_text()
    assert page.locator("h1").inner_text() == "Tuesday session"
    printing = page.get_by_role("button", name="Print this page")
    assert printing.is_visible()
    shots(page, f"handout-page-js-{width}.png", full_page=True)
    assert run_axe(page, axe_source) == [], describe(run_axe(page, axe_source))
    context.close()


@pytest.mark.parametrize(("viewport", "width"), WIDTHS, ids=["320", "1280"])
def test_without_javascript_the_server_counts_and_enter_in_the_title_builds(
    browser, site, new_rows_removed, axe_source, shots, viewport, width
):
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/handouts/")
    box(page, "resource:tara").click()
    box(page, "practice-point:ask-the-question").click()
    page.locator("#handout-title").fill("Team meeting")
    update = page.get_by_role("button", name="Update the count").first
    assert update.is_visible()
    update.click()
    page.wait_for_url(re.compile(r"/handouts/\?"))
    assert page.locator("#chosen-count").inner_text() == "2 items chosen"
    assert summary(page) == ["Practice points: 1", "Further resources: 1"]
    assert page.locator("#handout-title").input_value() == "Team meeting"
    shots(page.locator(".handout-actions").first, f"builder-summary-nojs-{width}.png")
    violations = run_axe_without_script(page, axe_source)
    assert violations == [], describe(violations)
    page.locator("#handout-title").press("Enter")
    page.wait_for_url(HANDOUT)
    assert page.locator("h1").inner_text() == "Team meeting"
    # No Print button without script: the hint says how to print instead.
    assert page.get_by_role("button", name="Print this page").count() == 0
    assert "Ctrl+P" in page.locator(".handout-tools .hint").inner_text()
    shots(page, f"handout-page-nojs-{width}.png", full_page=True)
    violations = run_axe_without_script(page, axe_source)
    assert violations == [], describe(violations)
    context.close()
