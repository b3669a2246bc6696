"""Page tools on a phone: each link on its own, no separator left dangling."""

import pytest

pytestmark = pytest.mark.browser

HANDOUT = (
    "/handouts/handout/?item=practice-point:ask-the-question"
    "&item=figure:domestic-abuse&item=resource:tara"
)


@pytest.mark.parametrize("width", [320, 360])
def test_handout_links_leave_no_dangling_dot(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 640})
    page = context.new_page()
    page.goto(site + HANDOUT)
    links = page.locator(".handout-tools__links")
    assert "·" not in links.inner_text()
    names = [a.inner_text() for a in links.locator("a").all()]
    assert names == ["Download PDF", "Change this handout", "Start a new one"]
    context.close()


def test_download_pdf_and_print_are_apart_and_listed(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site + "/snapshot/encompass-snapshot-2021/")
    tools = page.get_by_role("list").filter(has_text="Download PDF")
    assert tools.get_by_role("listitem").count() == 2
    pdf = page.get_by_role("link", name="Download PDF").bounding_box()
    printing = page.get_by_role("button", name="Print this page").bounding_box()
    # Visibly apart: a gap of at least 16 px, on one line or the next.
    assert printing["x"] >= pdf["x"] + pdf["width"] + 16 or printing["y"] > pdf["y"]
    context.close()


def test_print_item_stays_out_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/practice-points/long-term-impact/")
    tools = page.get_by_role("list").filter(has_text="Download PDF")
    # The hidden item is not announced as an empty list item.
    assert tools.get_by_role("listitem").count() == 1
    context.close()
