"""WCAG 2.2 AA in a real browser: axe, keyboard, reflow, text size, screenshots."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, describe, run_axe
from tests.browser.pages import CHANGED, PAGE_TYPES, READER_PAGES, by_engine

pytestmark = pytest.mark.browser


@pytest.fixture
def page(reader_page):
    """Every test here only reads pages: they share one tab (reading_tab)."""
    return reader_page


def open_page(page, site, path, status):
    response = page.goto(site + path)
    assert response.status == status, path
    return response


# What folds (a "Cite this", closed search filters), opened so axe checks it too.
FOLDS = "details.cite > summary, details.search-filters:not([open]) > summary"

# One matrix for every axe run on a reader's page: each page type as it loads,
# and each page issue 28 changed (CHANGED) with what folds opened, with
# JavaScript on and off. A page in both loads once per width: axe runs as it
# loads, then again only if opening the folds changed it.
AXE_PAGES = [
    pytest.param(path, status, True, path in CHANGED, id=name, marks=by_engine(path))
    for name, path, status in PAGE_TYPES
] + [
    pytest.param(path, 200, False, True, id="changed" + path, marks=by_engine(path))
    for path in CHANGED
    if path not in {path for _, path, _ in PAGE_TYPES}
]


@pytest.mark.parametrize(("path", "status", "page_type", "changed"), AXE_PAGES)
def test_page_has_no_axe_violations_at_wcag_22_aa(
    page, site, axe_source, path, status, page_type, changed
):
    found = {}
    for javascript in (True, False) if changed else (True,):
        if not javascript:
            # The page's scripts blocked: the DOM and styles a browser without
            # JavaScript shows (no page has a <noscript> to tell them apart),
            # where axe itself can still run.
            page.route("**/*.js", lambda route: route.abort())
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            open_page(page, site, path, status)
            if not javascript:
                assert page.locator("noscript").count() == 0, path
            where = f"{path} at {viewport['width']} px, JavaScript {javascript}"
            runs = []
            if page_type and javascript:
                runs.append((where, run_axe(page, axe_source)))
            if changed:
                folds = page.locator(FOLDS).all()
                for summary in folds:
                    summary.click()
                if folds or not runs:
                    runs.append((where + ", folds open", run_axe(page, axe_source)))
            found.update((state, v) for state, v in runs if v)
    assert found == {}, describe(found)


# Focusable things in document order, as a keyboard user meets them (not the
# content of a closed <details>: Chromium gives it boxes, but Tab skips it). A
# group of radios is one stop for Tab (the chosen one, else the first).
FOCUSABLE = """() => Array.from(document.querySelectorAll(
  'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])'
)).filter(el => !el.closest('[hidden]') && el.getClientRects().length > 0
               && !el.closest('details:not([open]) > :not(summary)')
               && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => {
    if (el.type !== 'radio') return true;
    const group = Array.from(el.form.elements).filter(
      r => r.type === 'radio' && r.name === el.name);
    return el === (group.find(r => r.checked) || group[0]);
  })
  .map(el => el.outerHTML.slice(0, 120))"""

# What the focused element looks like: a focus indicator must be visible, and
# nothing else may sit on top of it (WCAG 2.4.7 and 2.4.11).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  return {
    html: el.outerHTML.slice(0, 120),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== 'none',
    onScreen: rect.bottom > 0 && rect.top < innerHeight && rect.width > 0,
    unobscured: !!top && (el === top || el.contains(top) || top.contains(el)),
  };
}"""


@pytest.mark.parametrize(("name", "path", "status"), READER_PAGES)
def test_keyboard_reaches_every_control_in_order_with_visible_focus(
    page, site, name, path, status
):
    page.set_viewport_size(DESKTOP)
    open_page(page, site, path, status)
    expected = page.evaluate(FOCUSABLE)
    reached = []
    for _ in range(len(expected) + 12):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["html"].startswith("<body"):
            break
        assert state["outline"] or state["shadow"], f"no focus style: {state}"
        assert state["onScreen"] and state["unobscured"], f"focus hidden: {state}"
        if reached and state["html"] == reached[0]:
            break  # back at the start: the page let focus go round
        if reached and state["html"] == reached[-1] and 'type="date"' in state["html"]:
            continue  # a date input's day, month and year fields are one control
        reached.append(state["html"])
    # Every control, once each, in document order, and Tab got out at the end.
    assert reached == expected


@pytest.mark.same_on_every_engine
def test_skip_link_is_first_and_moves_focus_to_the_main_content(page, site):
    open_page(page, site, "/practice-points/ask-the-question/", 200)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0  # shown on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    # The next stop is inside the main content, past the header and quick exit.
    assert page.evaluate(
        "document.getElementById('main-content').contains(document.activeElement)"
    )


HORIZONTAL_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getClientRects().length && !el.closest('.visually-hidden'))
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .map(el => el.outerHTML.slice(0, 100)).slice(0, 5);
}"""

# Text cut off by a box that hides its overflow (ignoring visually-hidden text).
CLIPPED_TEXT = """() => Array.from(document.querySelectorAll('body *'))
  .filter(el => !el.closest('.visually-hidden') && el.getClientRects().length)
  .filter(el => {
    const style = getComputedStyle(el);
    const hides = v => v === 'hidden' || v === 'clip';
    return (hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
        || (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1);
  })
  .map(el => el.outerHTML.slice(0, 100))"""


def page_scrolls_sideways(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(("name", "path", "status"), READER_PAGES)
def test_page_reflows_at_320px_and_keeps_text_at_200_percent(
    page, site, screenshots, name, path, status
):
    page.set_viewport_size(PHONE)
    open_page(page, site, path, status)
    assert not page_scrolls_sideways(page), page.evaluate(HORIZONTAL_OVERFLOW)
    screenshots(page, f"{name}-phone.png", full_page=True)

    page.set_viewport_size(DESKTOP)
    screenshots(page, f"{name}-desktop.png", full_page=True)

    # Text-only zoom to 200%, as a browser's text size setting does: every
    # size on the site is in rem or em, so the root size scales all text.
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize) >= 32")
    assert not page_scrolls_sideways(page), page.evaluate(HORIZONTAL_OVERFLOW)
    assert page.evaluate(CLIPPED_TEXT) == []
    screenshots(page, f"{name}-desktop-text-200.png", full_page=True)
