"""Reading on a phone: quick exit in reach, a compact header, visible focus,
print and back to top (measured in Chromium, since axe tests none of these)."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, open_at
from tests.browser.pages import by_engine
from tests.conftest import BRIEFING

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
BRIEFING_PAGE = f"/briefings/{BRIEFING}/"

# WCAG's relative luminance and contrast ratio, for colours as "rgb(r, g, b)".
CONTRAST = """
(() => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = c => {
    const [r, g, b] = rgb(c).slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const opaque = c => c && c !== "transparent" && (rgb(c)[3] ?? 1) > 0;
  const backdrop = el => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (opaque(colour)) return colour;
    }
    return "rgb(255, 255, 255)";
  };
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const around = backdrop(el);
  const fill = opaque(style.backgroundColor) ? style.backgroundColor : around;
  const ring = style.boxShadow.match(/rgba?\\([^)]*\\)/);
  const indicator = [
    style.outlineStyle !== "none" && +style.outlineWidth.replace("px", "") >= 2
      ? ratio(style.outlineColor, around) : 0,
    ring ? ratio(ring[0], around) : 0,
    ratio(fill, around),
  ];
  return {
    name: (el.innerText || el.value || el.name || el.tagName).trim().slice(0, 40),
    text: ratio(style.color, fill),
    indicator: Math.max(...indicator),
  };
})()
"""


@pytest.mark.same_on_every_engine
def test_quick_exit_is_in_reach_at_the_bottom_of_the_longest_page(browser, site):
    page = open_at(browser, {"width": 320, "height": 640}, BRIEFING_PAGE, site)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 10_000  # really at the bottom
    button = page.locator("[data-quick-exit-button]")
    box = button.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 640
    # Nothing covers it: the button is what a tap on its centre reaches.
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('[data-quick-exit-button]') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hit
    # Small: it takes little of the screen.
    bar = page.locator("[data-quick-exit]").bounding_box()
    assert bar["height"] <= 0.1 * 640, bar


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, marks=by_engine(path))
        for path in [
            "/",
            BRIEFING_PAGE,
            "/practice-points/ask-the-question/",
            "/snapshot/",
            "/search/?q=food",
            "/handouts/",
        ]
    ],
)
def test_the_heading_starts_in_the_top_third_of_a_phone(browser, site, path):
    page = open_at(browser, SMALL_PHONE, path, site)
    top = page.locator("h1").bounding_box()["y"]
    assert top <= 0.35 * SMALL_PHONE["height"], f"{path}: h1 at {top:.0f} px"


def test_the_first_search_result_is_visible_without_scrolling(browser, site):
    page = open_at(browser, SMALL_PHONE, "/search/?q=food", site)
    title = page.locator(".search-result__title").first.bounding_box()
    assert title["y"] + title["height"] <= SMALL_PHONE["height"], title


@pytest.mark.same_on_every_engine
@pytest.mark.parametrize("javascript", [True, False])
def test_the_menu_folds_on_a_phone_and_opens_without_javascript(
    browser, site, javascript
):
    page = open_at(browser, SMALL_PHONE, "/", site, javascript)
    links = page.get_by_role("navigation", name="Menu")
    assert not links.is_visible()
    assert not page.get_by_role("navigation", name="Main").is_visible()
    page.get_by_text("Menu", exact=True).click()
    links.get_by_role("link", name="Resources").click()
    assert page.locator("h1").inner_text() == "Further resources"
    page = open_at(browser, DESKTOP, "/", site, javascript)
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_text("Menu", exact=True).is_visible()


@pytest.mark.same_on_every_engine
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", ["/", "/practice-points/ask-the-question/"])
def test_focus_is_visible_on_every_control(browser, site, viewport, path):
    page = open_at(browser, viewport, path, site)
    if viewport is PHONE:
        page.get_by_text("Menu", exact=True).click()  # its links can take focus
        page.evaluate("document.activeElement.blur()")
    seen, weak = [], []
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        measured = page.evaluate(CONTRAST)
        seen.append(measured["name"])
        if measured["text"] < 4.5 or measured["indicator"] < 3:
            weak.append(measured)
    assert len(seen) > 10
    assert weak == []


@pytest.mark.same_on_every_engine
def test_print_button_prints_with_javascript_and_is_hidden_without(browser, site):
    page = open_at(browser, DESKTOP, "/practice-points/ask-the-question/", site)
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print this page").click()
    assert page.evaluate("window.printed") is True
    page = open_at(
        browser, DESKTOP, "/practice-points/ask-the-question/", site, javascript=False
    )
    assert not page.get_by_role("button", name="Print this page").is_visible()
    # Without JavaScript the PDF beside the page does the job.
    assert page.get_by_role("link", name="Download PDF").is_visible()


@pytest.mark.same_on_every_engine
def test_back_to_top_returns_to_the_start_of_a_long_page(browser, site):
    page = open_at(browser, PHONE, BRIEFING_PAGE, site)
    page.get_by_role("link", name="Back to top").click()
    assert page.evaluate("window.scrollY") < 200
    assert page.evaluate("document.activeElement.id") == "main-content"


@pytest.mark.same_on_every_engine
def test_chart_text_is_at_least_12px_and_tables_keep_their_caption(browser, site):
    page = open_at(browser, {"width": 320, "height": 640}, "/snapshot/", site)
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.chart__svg')]
          .filter(svg => svg.getBoundingClientRect().width > 0)
          .flatMap(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(text =>
              parseFloat(getComputedStyle(text).fontSize) * scale);
          })"""
    )
    assert sizes and min(sizes) >= 12, min(sizes)
    captions = page.evaluate(
        """() => [...document.querySelectorAll('.chart__table caption')]
          .map(c => c.getBoundingClientRect()).map(r => [r.left, r.right])"""
    )
    assert captions and all(left >= 0 and right <= 320 for left, right in captions)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.same_on_every_engine
def test_a_discreet_handout_fits_a_small_phone(browser, site):
    path = (
        "/handouts/handout/?discreet=1&item=practice-point:ask-the-question"
        "&item=figure:domestic-abuse&item=resource:tara"
    )
    page = open_at(browser, {"width": 320, "height": 640}, path, site)
    assert "discreet" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
