"""Issue 28's "readers on a phone", measured in Chromium at 320, 360 and 1280 px:
search results above the fold, section pages, the chart, the menu button,
"Contents" links, one "Cite this", the feed pages, and valid HTML on each page
changed (axe checks them with JavaScript on and off in test_accessibility.py)."""

import pytest

from tests.browser.conftest import DESKTOP, open_at
from tests.browser.pages import CHANGED, FOLLOW, SECTION
from tests.conftest import BRIEFING
from tests.test_valid_html import validate  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

PHONE_320 = {"width": 320, "height": 640}
PHONE_360 = {"width": 360, "height": 740}
FEED = f"/whats-changed/feed/briefings/{BRIEFING}/"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(
    "words",
    [
        "grooming",
        "how do I ask about selling sex",
        "where can I refer someone in Glasgow",
        "cuckooing",
    ],
)
def test_the_first_result_starts_in_the_top_450_px_at_360(
    browser, site, words, javascript
):
    path = "/search/?q=" + words.replace(" ", "+")
    page = open_at(browser, PHONE_360, path, site, javascript)
    top = page.locator(".search-result").first.bounding_box()["y"]
    assert top <= 450, f"{words!r}: first result at {top:.0f} px"
    # One search box, the header's, holding the words.
    boxes = page.locator("input[type=search]")
    assert boxes.count() == 1 and boxes.input_value() == words
    assert not page.get_by_label("Kind of item").is_visible()  # folded


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_filters_fold_open_and_keep_to_new_words(browser, site, javascript):
    page = open_at(browser, PHONE_360, "/search/?q=grooming", site, javascript)
    page.get_by_text("Filter results").click()
    page.get_by_label("Written for").select_option("substance-misuse-professionals")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**audience=substance-misuse-professionals**")
    # A filter is set: the filters show, open.
    assert page.get_by_label("Written for").is_visible()
    # New words in the header's box keep the filter.
    page.locator("#site-search-q").fill("trauma")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url("**q=trauma**")
    assert "audience=substance-misuse-professionals" in page.url
    assert page.get_by_label("Written for").input_value() == (
        "substance-misuse-professionals"
    )


@pytest.mark.same_on_every_engine
def test_a_section_page_at_320_shows_its_heading_first(browser, site):
    page = open_at(browser, PHONE_320, SECTION, site)
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    assert crumbs.get_by_role("link").last.inner_text() == (
        "Selling or exchanging sex or images"
    )
    # Two lines at most (it took four with the briefing's full title).
    lines = page.evaluate(
        """() => new Set([...document.querySelectorAll('.breadcrumbs a')]
             .flatMap(a => [...a.getClientRects()].map(r => Math.round(r.top)))).size"""
    )
    assert lines <= 2
    heading = page.locator("h1").bounding_box()
    question = page.locator(".section-part").bounding_box()
    assert heading["y"] + heading["height"] <= question["y"]
    assert heading["y"] <= 300, f"h1 at {heading['y']:.0f} px"


CHART = """() => [...document.querySelectorAll('svg.chart__svg')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const edge = svg.getBoundingClientRect();
    const labels = [...svg.querySelectorAll('.chart__label')]
      .map(text => text.getBoundingClientRect());
    const crossing = [...svg.querySelectorAll('.chart__grid line')]
      .map(line => line.getBoundingClientRect())
      .filter(line => labels.some(t => line.left <= t.right && line.right >= t.left
                                    && line.top < t.bottom && line.bottom > t.top));
    const past = [...svg.querySelectorAll('text')]
      .map(text => text.getBoundingClientRect().right - edge.right);
    return {past: Math.max(...past), crossing: crossing.length};
  })"""


@pytest.mark.same_on_every_engine
@pytest.mark.parametrize(
    "viewport", [PHONE_320, PHONE_360, DESKTOP], ids=lambda v: str(v["width"])
)
def test_the_chart_fits_and_its_gridlines_miss_the_labels(browser, site, viewport):
    page = open_at(browser, viewport, "/snapshot/", site)
    charts = page.evaluate(CHART)
    assert charts
    for chart in charts:
        assert chart["past"] <= 0, chart
        assert chart["crossing"] == 0, chart
    assert page.get_by_text("121 of 150 (81%)").first.is_visible()


@pytest.mark.same_on_every_engine
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", [PHONE_320, PHONE_360], ids=["320", "360"])
def test_the_menu_button_stays_put_when_it_opens(browser, site, viewport, javascript):
    page = open_at(browser, viewport, "/", site, javascript)
    button = page.locator(".site-menu__toggle")
    closed = button.bounding_box()
    name = page.locator(".site-name").bounding_box()
    # Beside the site name, on its row.
    assert (
        abs(closed["y"] + closed["height"] / 2 - (name["y"] + name["height"] / 2)) < 8
    )
    button.click()
    assert page.get_by_role("navigation", name="Menu").is_visible()
    assert button.bounding_box() == closed
    button.click()  # the same thumb closes it
    assert not page.get_by_role("navigation", name="Menu").is_visible()


@pytest.mark.same_on_every_engine
def test_contents_after_a_section_goes_back_to_the_contents(browser, site):
    page = open_at(browser, PHONE_360, f"/briefings/{BRIEFING}/", site)
    links = page.locator(".briefing-section .to-contents a")
    assert links.count() >= 5
    links.nth(3).click()
    heading = page.locator("#contents-heading").bounding_box()
    assert 0 <= heading["y"] < PHONE_360["height"]


@pytest.mark.same_on_every_engine
@pytest.mark.parametrize(
    ("path", "references"),
    [(f"/briefings/{BRIEFING}/", 19), ("/snapshot/", 26), (SECTION, 2)],
)
def test_one_cite_this_a_page(browser, site, path, references):
    page = open_at(browser, PHONE_360, path, site)
    assert page.locator("details.cite").count() == 1
    page.locator("details.cite summary").click()
    assert page.locator(".cite__item").count() == references
    assert page.locator(".cite__item .cite__label").first.is_visible()


@pytest.mark.same_on_every_engine
def test_a_feed_page_gives_its_address_to_copy(browser, site):
    # A context of its own: the shared tab must not keep the clipboard grant.
    context = browser.new_context(viewport=PHONE_360)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    assert page.goto(site + "/whats-changed/").status == 200
    page.get_by_role("link", name="Follow changes to").first.click()
    page.wait_for_url("**" + FOLLOW)
    assert page.locator("[data-quick-exit-button]").is_visible()
    page.get_by_role("button", name="Copy address").click()
    page.wait_for_function(
        "async address => (await navigator.clipboard.readText()) === address",
        arg=site + FEED,
    )
    context.close()


@pytest.mark.same_on_every_engine
def test_whats_changed_date_form_at_320(browser, site):
    page = open_at(browser, PHONE_320, "/whats-changed/", site)
    assert page.get_by_label("Show changes since").get_attribute("type") == "date"
    show = page.get_by_role("button", name="Show", exact=True)
    style = show.evaluate("b => getComputedStyle(b).backgroundColor")
    assert style not in ("rgb(239, 239, 239)", "rgb(240, 240, 240)")  # not the default


def test_changed_pages_are_valid_html_with_and_without_javascript(
    browser,
    site,
    validate,  # noqa: F811 (the fixture imported above)
):
    pages = {}
    for javascript in (True, False):
        for index, path in enumerate(CHANGED):
            page = open_at(browser, PHONE_360, path, site, javascript)
            # The page as the browser holds it: with the Copy buttons scripts add.
            pages[f"{index}-{'js' if javascript else 'no-js'}"] = page.content()
    # The browser writes a boolean attribute out as defer="": how the DOM is
    # serialised, not a fault of the page.
    serialised = ("attribute-boolean-style", "attribute-empty-style")
    problems = [
        f"{CHANGED[int(name.split('-')[0])]} ({name}) {message}"
        for name, messages in validate(pages).items()
        for message in messages
        if not any(rule in message for rule in serialised)
    ]
    assert not problems, "\n".join(problems)
