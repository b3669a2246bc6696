"""The library of briefings in a real browser: filters by keyboard, with and
without JavaScript, and axe on the library pages."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, describe, run_axe
from tests.factories import second_briefing

pytestmark = pytest.mark.browser

HOUSING = "Women in temporary accommodation: a briefing for housing officers"


@pytest.fixture
def library(site, transactional_db):
    second_briefing()
    return site


def titles(page):
    return page.locator(".library-item__title").all_inner_texts()


def test_a_reader_filters_the_library_by_audience_and_topic(page, library):
    page.goto(library + "/")
    assert page.locator("h2#briefings-heading").inner_text() == "Briefings"
    assert len(titles(page)) == 2
    assert HOUSING in titles(page)

    # By keyboard: choose the readers, then submit the form.
    page.get_by_label("Written for").select_option(label="Housing officers")
    page.get_by_role("button", name="Show").press("Enter")
    page.wait_for_url("**/?audience=housing-officers*")
    assert titles(page) == [HOUSING]
    assert page.get_by_label("Written for").input_value() == "housing-officers"

    page.get_by_role("link", name="Show all").click()
    page.wait_for_url(library + "/")
    page.get_by_label("Topic").select_option("Housing")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**topic=Housing*")
    assert titles(page) == [HOUSING]

    page.get_by_role("link", name=HOUSING, exact=True).click()
    page.wait_for_url("**/briefings/housing/")
    assert page.locator("h1").inner_text() == HOUSING
    assert "By ." not in page.locator("main").inner_text()
    assert not page.context.cookies()


def test_the_library_filters_work_without_javascript(no_script, library):
    page = no_script.new_page()
    page.goto(library + "/practice-points/")
    page.get_by_label("Briefing", exact=True).select_option(label=HOUSING)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/practice-points/?briefing=housing*")
    groups = page.locator(".briefing-group h2").all_inner_texts()
    assert groups == [HOUSING]
    assert "Practice points for housing officers working with women" in (
        page.locator(".briefing-group .lead").inner_text()
    )


SHIPPED_POINT = 'input[name="item"][value="practice-point:ask-the-question"]'
HOUSING_POINT = 'input[name="item"][value="practice-point:ask-about-the-tenancy"]'


def chosen_count(page):
    return page.locator("#chosen-count").inner_text()


def test_a_trainer_builds_one_handout_from_two_briefings(page, library):
    page.goto(library + "/handouts/")
    assert page.locator(HOUSING_POINT).count() == 0
    page.locator(SHIPPED_POINT).check()
    assert chosen_count(page) == "1 item chosen"

    # By keyboard: the other briefing's items, with the tick just made kept.
    page.get_by_label("Show the items of").select_option(label=HOUSING)
    page.get_by_role("button", name="Show its items").press("Enter")
    page.wait_for_url("**/handouts/?*briefing=housing*")
    assert page.locator(SHIPPED_POINT).is_checked()
    assert not page.locator(SHIPPED_POINT).is_visible()
    page.locator(HOUSING_POINT).check()
    assert chosen_count(page) == "2 items chosen"
    assert "Practice points: 2" in page.locator("#chosen-count + ul").inner_text()

    # Narrowing the list as you type never shows the other briefing's items.
    page.get_by_label("Show items containing…").fill("ask")
    assert page.locator(HOUSING_POINT).is_visible()
    assert not page.locator(SHIPPED_POINT).is_visible()

    page.get_by_role("button", name="Build handout").first.click()
    page.wait_for_url("**/handouts/h/**")
    handout = page.locator("main").inner_text()
    assert "Ask the question" in handout
    assert "Is anyone staying at the flat?" in handout


def test_a_handout_from_two_briefings_without_javascript(no_script, library):
    page = no_script.new_page()
    page.goto(library + "/handouts/?item=practice-point:ask-the-question")
    page.get_by_label("Show the items of").select_option(label=HOUSING)
    page.get_by_role("button", name="Show its items").click()
    page.wait_for_url("**/handouts/?*briefing=housing*")
    page.locator(HOUSING_POINT).check()
    page.get_by_role("button", name="Update the count").first.click()
    page.wait_for_url("**/handouts/?*briefing=housing*")
    assert chosen_count(page) == "2 items chosen"
    assert page.get_by_label("Show the items of").input_value() == "housing"


# The library's pages, with a second briefing beside the shipped one.
LIBRARY_PAGES = [
    "/",
    "/?audience=housing-officers",
    "/practice-points/",
    "/practice-points/?briefing=housing",
    "/briefings/housing/",
    "/whats-changed/?briefing=housing",
    "/search/?q=tenancy",
    "/handouts/",
    "/handouts/?briefing=housing&item=practice-point:ask-the-question",
]


def test_library_pages_have_no_axe_violations_and_fit_a_phone(
    page, library, axe_source
):
    # One test for all of them: each test of library's rows empties and
    # reloads every table after it (transactional_db), about 2 s of CPU.
    found, sideways = {}, []
    for path in LIBRARY_PAGES:
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            assert page.goto(library + path).status == 200, path
            violations = run_axe(page, axe_source)
            if violations:
                found[f"{path} at {viewport['width']}px"] = violations
            # A choice of briefings is as wide as the longest title unless
            # the page keeps it to the screen.
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:
                sideways.append(f"{path}: {width}px at {viewport['width']}px")
    assert found == {}, describe(found)
    assert sideways == []
