"""Page tools on a phone: each link on its own, no separator left dangling."""

import pytest

from tests.browser.conftest import DESKTOP, open_at

pytestmark = [pytest.mark.browser, pytest.mark.same_on_every_engine]

HANDOUT = (
    "/handouts/handout/?item=practice-point:ask-the-question"
    "&item=figure:domestic-abuse&item=resource:tara"
)


@pytest.mark.parametrize("width", [320, 360])
def test_handout_links_leave_no_dangling_dot(browser, site, width):
    page = open_at(browser, {"width": width, "height": 640}, HANDOUT, site)
    links = page.locator(".handout-tools__links")
    assert "·" not in links.inner_text()
    names = [a.inner_text() for a in links.locator("a").all()]
    assert names == ["Download PDF", "Change this handout", "Start a new one"]


def test_download_pdf_and_print_are_apart_and_listed(browser, site):
    path = "/snapshot/encompass-snapshot-2021/"
    page = open_at(browser, {"width": 360, "height": 740}, path, site)
    tools = page.get_by_role("list").filter(has_text="Download PDF")
    assert tools.get_by_role("listitem").count() == 2
    pdf = page.get_by_role("link", name="Download PDF").bounding_box()
    printing = page.get_by_role("button", name="Print this page").bounding_box()
    # Visibly apart: a gap of at least 16 px, on one line or the next.
    assert printing["x"] >= pdf["x"] + pdf["width"] + 16 or printing["y"] > pdf["y"]


def test_print_item_stays_out_without_javascript(browser, site):
    path = "/practice-points/long-term-impact/"
    page = open_at(browser, DESKTOP, path, site, javascript=False)
    tools = page.get_by_role("list").filter(has_text="Download PDF")
    # The hidden item is not announced as an empty list item.
    assert tools.get_by_role("listitem").count() == 1
