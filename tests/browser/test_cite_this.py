"""'Cite this' in a real browser: opened by keyboard, copied with and without JS."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe, reading_tab, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.same_on_every_engine]

POINT = "/practice-points/long-term-impact/"


def open_cite_this(page, site):
    page.goto(site + POINT)
    # One "Cite this" a page; the page's own reference leads its list.
    assert page.locator("details.cite").count() == 1
    details = page.locator("details.cite")
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    first = details.locator(".cite__item").first
    assert first.locator(".cite__label").inner_text() == "Long term impact"
    return first


def test_copy_puts_the_reference_on_the_clipboard(page, site, axe_source):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    details = open_cite_this(page, site)
    reference = details.locator(".cite__reference").inner_text()
    assert reference.startswith("Encompass Network (n.d.) ‘Long term impact’, in ")
    assert f"Available at: {site}{POINT} (Accessed: " in reference

    copy = details.get_by_role("button", name="Copy reference")
    copy.focus()
    page.keyboard.press("Enter")
    # Copying is asynchronous: wait for the page to say it is done.
    expect(details.get_by_role("status").first).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == reference

    details.get_by_role("button", name="Copy link").click()
    page.wait_for_function(
        "async link => (await navigator.clipboard.readText()) === link",
        arg=site + POINT,
    )
    assert run_axe(page, axe_source) == [], describe(run_axe(page, axe_source))


def test_without_javascript_the_reference_is_text_to_select(browser, site):
    page = reading_tab(browser, javascript=False)
    details = open_cite_this(page, site)
    reference = details.locator(".cite__reference")
    assert reference.is_visible()
    assert details.get_by_role("button").count() == 0
    # A click selects the whole reference (user-select: all), ready to copy.
    reference.click()
    selected = page.evaluate("window.getSelection().toString()")
    assert selected.strip() == reference.inner_text().strip()
