"""Discreet handouts in Chromium: the builder's warning about items written for
practitioners, and the plain page a discreet handout's QR code opens (axe on
both; the plain page's quiet way out works like the site's quick exit)."""

import pytest
from django.conf import settings

from tests.browser.conftest import PHONE, run_axe
from tests.browser.test_quick_exit import NEUTRAL_PAGE

pytestmark = [pytest.mark.browser, pytest.mark.same_on_every_engine]

NEUTRAL_ITEMS = ["resource:you-my-sister", "organisation:routes-out"]


def test_the_builder_warns_of_practitioner_items_on_a_discreet_handout(
    page, site, axe_source
):
    page.goto(site + "/handouts/")
    page.get_by_label("Discreet handout", exact=True).check()
    page.locator('input[name="item"][value="practice-point:ask-the-question"]').check()
    page.get_by_role("button", name="Build handout").first.click()
    page.wait_for_url("**/handouts/h/**")
    warning = page.locator(".discreet-warning")
    assert warning.is_visible()
    assert "written for you rather than for her" in warning.inner_text()
    assert run_axe(page, axe_source) == []
    # Back in the builder the warning sits by the discreet choice, and the QR
    # code is off until asked for.
    page.get_by_role("link", name="Change this handout").click()
    assert page.locator(".discreet-warning").is_visible()
    assert not page.get_by_label("Print a QR code on the discreet handout").is_checked()
    assert run_axe(page, axe_source) == []


def test_the_plain_page_is_the_text_alone_with_a_quiet_way_out(
    browser, site, axe_source
):
    context = browser.new_context(viewport=PHONE)
    asked = []

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    context.route(settings.QUICK_EXIT_URL + "**", answer)
    page = context.new_page()
    query = "discreet=1&qr=1&" + "&".join(f"item={i}" for i in NEUTRAL_ITEMS)
    page.goto(f"{site}/handouts/handout/?{query}")
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{site}/t/{code}/")
    assert page.title() == "Information and support"
    text = page.locator("body").inner_text()
    assert "You my Sister" in text and "Routes Out" in text
    for name in ["Encompass", "Guidance", "Leave this site", "Menu"]:
        assert name not in text, name
    assert page.locator("nav, header.site-header, footer").count() == 0
    assert run_axe(page, axe_source) == []
    # Keyboard first: skip link, then the way out.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    leave = page.get_by_role("link", name="Leave this page")
    assert leave.evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url(settings.QUICK_EXIT_URL)
    assert asked == [settings.QUICK_EXIT_URL]
    context.close()
