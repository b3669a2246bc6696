"""Quick exit in a real browser: the button, Shift three times, and without JS.

The neutral page is never really fetched: the browser's request for it is
answered locally, and the test asserts that the browser went there.
"""

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.same_on_every_engine]

NEUTRAL_PAGE = "<!DOCTYPE html><title>Weather</title><h1>Weather</h1>"


@pytest.fixture
def exits(context):
    """Answer requests for the neutral page locally; list the URLs asked for."""
    asked = []

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    context.route(settings.QUICK_EXIT_URL + "**", answer)
    return asked


def read_two_pages(page, site):
    page.goto(site + "/glossary/")
    page.goto(site + "/practice-points/long-term-impact/")


def test_leave_this_site_button_replaces_the_page_in_history(page, site, exits):
    read_two_pages(page, site)
    page.get_by_role("link", name="Leave this site").click()
    page.wait_for_url(settings.QUICK_EXIT_URL)
    assert exits == [settings.QUICK_EXIT_URL]
    # Back skips the page the reader left from: location.replace removed it.
    page.go_back()
    assert page.url == site + "/glossary/"


def test_pressing_shift_three_times_leaves_the_site(page, site, exits):
    read_two_pages(page, site)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(settings.QUICK_EXIT_URL)
    assert exits == [settings.QUICK_EXIT_URL]
    page.go_back()
    assert page.url == site + "/glossary/"


def test_typing_between_shift_presses_does_not_leave(page, site, exits):
    page.goto(site + "/glossary/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    # Leaving marks the page at once, in the key's own handler, before the
    # browser asks for the neutral page: unmarked, it stayed (no fixed wait).
    assert page.evaluate(
        "!document.documentElement.classList.contains('quick-exit-leaving')"
    )
    assert exits == []
    assert page.url == site + "/glossary/"


def test_quick_exit_shows_its_shortcut_and_safety_page(page, site):
    page.goto(site + "/")
    assert page.get_by_text("Or press Shift three times.").is_visible()
    page.get_by_role("link", name="Using this site safely").first.click()
    assert page.locator("h1").inner_text() == "Using this site safely"
    assert "cannot delete your browsing history" in page.content()


def test_leave_this_site_is_a_plain_link_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    context.route(
        settings.QUICK_EXIT_URL + "**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body=NEUTRAL_PAGE
        ),
    )
    page = context.new_page()
    page.goto(site + "/practice-points/")
    # The shortcut needs JavaScript, so its hint stays hidden.
    assert not page.get_by_text("Or press Shift three times.").is_visible()
    page.get_by_role("link", name="Leave this site").click()
    page.wait_for_url(settings.QUICK_EXIT_URL)
    assert page.locator("h1").inner_text() == "Weather"
    context.close()


def test_call_999_is_on_the_first_screen_of_a_small_phone(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site + "/using-this-site-safely/")
    heading = page.locator("main h1").bounding_box()
    danger = page.get_by_text("If you are in immediate danger, call 999.")
    box = danger.bounding_box()
    # Straight under the heading and wholly in view without scrolling.
    assert heading["y"] < box["y"], (heading, box)
    assert box["y"] + box["height"] <= 740, f"999 at y = {box['y']:.0f} px"
    context.close()
