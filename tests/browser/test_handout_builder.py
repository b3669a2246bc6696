"""The handout builder in Chromium: a 5-item handout with a note and a custom
order in a handful of actions, on a desktop and on a small phone, and its list
filter with and without JavaScript."""

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

MOST_ACTIONS = 8
FIVE = [
    "practice-point:ask-the-question",
    "figure:domestic-abuse",
    "quote:wendy-box",
    "resource:tara",
    "research:inside-outside",
]
NOTE = "Bring the case studies. Room 2."


class Trainer:
    """A trainer's clicks and typing on a page, each counted as one action."""

    def __init__(self, page):
        self.page = page
        self.actions = 0

    def tick(self, item_id):
        self.click(self.page.locator(f'input[name="item"][value="{item_id}"]'))

    def type(self, locator, text):
        self.actions += 1
        locator.fill(text)

    def click(self, locator):
        self.actions += 1
        locator.click()


def box(page, item_id):
    return page.locator(f'input[name="item"][value="{item_id}"]')


def chosen(page):
    return page.locator("#chosen-count").inner_text()


def build_five_item_handout(browser, site, viewport, screenshots, name):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(site + "/handouts/")
    assert chosen(page) == "0 items chosen"
    page.locator(".handout-form").scroll_into_view_if_needed()
    screenshots(page, f"handout-builder-top-{name}.png")
    trainer = Trainer(page)
    for item_id in FIVE:
        trainer.tick(item_id)
    assert chosen(page) == "5 items chosen"  # kept up to date as boxes are ticked
    trainer.type(page.locator("#handout-notes"), NOTE)
    # The resource goes first: its position number says so.
    trainer.type(page.get_by_label("Position on the handout: Tara", exact=True), "1")
    screenshots(page, f"handout-builder-chosen-{name}.png")
    trainer.click(page.get_by_role("button", name="Build handout").first)
    page.wait_for_url(re.compile(r"/handouts/h/\w+/$"))
    screenshots(page, f"handout-built-{name}.png", full_page=True)
    return context, page, trainer.actions


def assert_the_handout_holds_the_five_in_order(page):
    handout = page.locator("article.handout")
    text = handout.inner_text()
    assert NOTE in text
    headings = handout.locator("h2").all_inner_texts()
    assert headings[0] == "Notes"
    assert headings[1] == "Where to go next"  # position 1
    for heading in ["Ask the question", "Encompass Snapshot figures", "Research"]:
        assert heading in headings
    assert "put it all away in a box" in text
    assert "Tara" in text


@pytest.mark.parametrize(
    ("viewport", "name"), [(DESKTOP, "1280"), (PHONE, "320")], ids=["1280", "320"]
)
def test_a_five_item_handout_with_a_note_and_an_order_in_eight_actions(
    browser, site, new_rows_removed, screenshots, viewport, name
):
    context, page, actions = build_five_item_handout(
        browser, site, viewport, screenshots, name
    )
    assert actions <= MOST_ACTIONS
    assert_the_handout_holds_the_five_in_order(page)
    context.close()


def test_the_builder_fits_a_small_phone_with_every_control_in_reach(browser, site):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site + "/handouts/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"scrolls sideways: {width} px"
    controls = page.locator(
        # Not Enter's hidden button, nor the count's (script keeps it live).
        ".handout-form button:not([hidden]), .handout-form input:not([type=hidden]),"
        " .handout-form textarea"
    )
    assert controls.count() > 50
    # Each scrolled into view and measured in the page: one round trip, not
    # two for each of the many controls.
    boxes = controls.evaluate_all(
        """controls => controls.map(control => {
          control.scrollIntoView({block: 'nearest', inline: 'nearest'});
          const box = control.getBoundingClientRect();
          return {
            html: control.outerHTML.slice(0, 100),
            shown: control.getClientRects().length > 0,
            x: box.x,
            width: box.width,
          };
        })"""
    )
    for where in boxes:
        assert where["shown"] and where["x"] >= 0, where
        assert where["x"] + where["width"] <= PHONE["width"], where
    # The actions are at the top too: in reach without scrolling through the list.
    top = page.get_by_role("button", name="Build handout").first
    page.evaluate("window.scrollTo(0, 0)")
    assert top.bounding_box()["y"] < 4 * PHONE["height"]
    context.close()


def test_typing_in_the_filter_hides_other_items_and_never_unticks_them(
    page, site, new_rows_removed
):
    page.goto(site + "/handouts/")
    box(page, "quote:wendy-box").click()
    page.locator("#handout-q").fill("trauma")
    assert box(page, "practice-point:trauma-informed-approach").is_visible()
    assert not box(page, "quote:wendy-box").is_visible()
    assert box(page, "quote:wendy-box").is_checked()  # hidden, still chosen
    assert (
        page.locator("[data-filter-status]").inner_text().endswith("contain “trauma”.")
    )
    assert not page.get_by_role(
        "group", name=re.compile("^In their words")
    ).is_visible()
    box(page, "practice-point:trauma-informed-approach").click()
    assert chosen(page) == "2 items chosen"
    page.locator("#handout-q").press("Enter")  # narrows; does not send the form
    assert page.url == site + "/handouts/"
    page.locator("#handout-q").fill("")
    assert box(page, "quote:wendy-box").is_visible()
    page.get_by_role("button", name="Build handout").last.click()
    page.wait_for_url(re.compile(r"/handouts/h/\w+/$"))
    text = page.locator("article.handout").inner_text()
    assert "put it all away in a box" in text
    assert "Take a trauma informed approach" in text


def test_clear_all_unticks_every_item_at_once(page, site):
    page.goto(site + "/handouts/?item=quote:wendy-box&item=resource:tara")
    assert chosen(page) == "2 items chosen"
    page.get_by_role("button", name="Clear all").first.click()
    assert chosen(page) == "0 items chosen"
    assert page.locator('input[name="item"]:checked').count() == 0
    assert page.url.endswith("/handouts/?item=quote:wendy-box&item=resource:tara")


def test_the_filter_works_without_javascript_and_keeps_the_choices(
    no_script, site, new_rows_removed
):
    page = no_script.new_page()
    page.goto(site + "/handouts/")
    box(page, "quote:wendy-box").click()
    page.locator("#handout-notes").fill(NOTE)
    page.locator("#handout-q").fill("trauma")
    page.locator("#handout-q").press("Enter")  # the form's first button: the filter
    page.wait_for_url(re.compile(r"q=trauma"))
    assert "item=quote%3Awendy-box" in page.url
    assert not box(page, "quote:wendy-box").is_visible()
    assert box(page, "quote:wendy-box").is_checked()
    assert page.locator("#handout-notes").input_value() == NOTE
    assert chosen(page) == "1 item chosen"
    assert "contain “trauma”" in page.locator("[data-filter-status]").inner_text()
    box(page, "practice-point:trauma-informed-approach").click()
    page.get_by_role("button", name="Build handout").first.click()
    page.wait_for_url(re.compile(r"/handouts/h/\w+/$"))
    handout = page.locator("article.handout").inner_text()
    assert "put it all away in a box" in handout and NOTE in handout
    # Back in the builder, "Clear all" unticks everything by a round trip.
    page.get_by_role("link", name="Change this handout").click()
    assert chosen(page) == "2 items chosen"
    page.get_by_role("button", name="Clear all").first.click()
    assert chosen(page) == "0 items chosen"
    assert page.locator("#handout-notes").input_value() == NOTE
