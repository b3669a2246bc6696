"""Everything a reader needs works with JavaScript switched off."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import reading_tab
from tests.conftest import BRIEFING

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, site):
    # The tab without JavaScript that reading tests share (reading_tab).
    return reading_tab(browser, javascript=False)


def test_reader_can_go_everywhere_by_links_without_javascript(page, site):
    page.goto(site + "/")
    assert not page.get_by_text("Or press Shift three times.").is_visible()
    for name, heading in [
        ("Practice points", "Practice points"),
        ("In their words", "In their words"),
        ("Resources", "Further resources"),
        ("Research", "Research"),
        ("Snapshot figures", None),
    ]:
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name=name, exact=True
        ).click()
        if heading:
            assert page.locator("h1").inner_text() == heading
        assert page.locator("h1").count() == 1
    page.get_by_role("link", name="Glossary").click()
    assert page.locator("h1").inner_text() == "Glossary"
    page.goto(site + f"/briefings/{BRIEFING}/")
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name="Northern Rock Foundation research"
    ).click()
    assert page.url.endswith("#section-northern-rock-foundation")
    page.goto(site + f"/briefings/{BRIEFING}/northern-rock-foundation/")
    page.get_by_role("link", name="survival sex").first.click()
    assert page.url == site + "/glossary/#survival-sex"
    assert page.locator("#survival-sex").is_visible()


def test_skip_link_works_without_javascript(page, site):
    page.goto(site + "/resources/")
    page.bring_to_front()  # keys go to this page, however busy the machine
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main-content$"))
    expect(page.locator("#main-content")).to_be_focused()


def test_pages_print_without_javascript(page, site, screenshots):
    page.goto(site + "/practice-points/ask-the-question/")
    page.emulate_media(media="print")
    for hidden in (".quick-exit", ".site-header", ".skip-link", ".pager"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("main h1").is_visible()
    assert page.get_by_text("Printed from").is_visible()
    screenshots(page, "practice-point-print.png", full_page=True)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")


def test_search_works_without_javascript(page, site):
    page.goto(site + "/practice-points/")
    page.fill("#site-search-q", "food")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/?q=food" in page.url
    hit = page.locator("main ol li").filter(has_text="exchange may not be for money")
    assert hit.count() == 1
    assert hit.locator("mark").count() >= 1


def test_handout_builder_works_without_javascript(page, site):
    page.goto(site + "/handouts/")
    page.locator('input[name="item"][value="practice-point:ask-the-question"]').check()
    page.fill("#handout-title", "Tuesday session")
    page.get_by_role("button", name="Build handout").first.click()
    assert re.search(r"/handouts/h/\w+/$", page.url)
    assert page.locator("h1").inner_text() == "Tuesday session"
    assert page.get_by_text("Has anyone offered you money").first.is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
