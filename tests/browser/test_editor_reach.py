"""Editors' admin pages from issue 28, in Chromium at 320 and 1280 px with axe:
Save draft and Publish at the top of a long form (Enter saves a draft, never
publishes), best bets picked from a list or pasted from the address bar, and
the home page's list of what readers find empty.

With SCREENSHOTS=1, screenshots go to SHOTS (outside the repository) for the
reviewer."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from practice_points.models import PracticePoint
from search.models import BestBet
from tests.browser.conftest import (
    WIDTHS,
    assert_admin_accessible,
    sign_in_directly,
)

pytestmark = pytest.mark.browser

SLUG = "long-term-impact"


@pytest.fixture
def signed_in(browser, site, transactional_db, django_user_model):
    """A signed-in editor's browser context (one per width)."""
    user = django_user_model.objects.create_user(
        "reach", "reach@example.org", password="not-used-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editor"))
    contexts = []

    def open_at(viewport):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        sign_in_directly(context, site, user)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("viewport", "width"), WIDTHS, ids=["320", "1280"])
def test_save_draft_and_publish_are_in_reach_at_the_top_of_a_long_form(
    signed_in, site, axe_source, shots, viewport, width
):
    page = signed_in(viewport)
    point = PracticePoint.objects.get(slug=SLUG)
    page.goto(
        site + reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    )
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 3 * viewport["height"]  # a long form
    save = page.get_by_role("button", name="Save draft").first
    publish = page.get_by_role("button", name="Publish", exact=True).first
    first_field = page.locator("#id_title")
    for button in (save, publish):
        box = button.bounding_box()
        # Above the first field, within two screens of the top on a phone.
        assert box["y"] < first_field.bounding_box()["y"]
        assert box["y"] < 2 * viewport["height"]
    shots(page, f"admin-change-form-top-{width}.png")
    assert_admin_accessible(page, axe_source)
    # Keyboard: Enter in a field presses the first button, Save draft: the
    # edit waits as a draft and the live page keeps its title.
    first_field.fill(point.title + " (checked)")
    first_field.press("Enter")
    expect(page.locator("ul.messagelist")).to_contain_text("Draft saved")
    point.refresh_from_db()
    assert not point.title.endswith("(checked)")


@pytest.mark.parametrize(("viewport", "width"), WIDTHS, ids=["320", "1280"])
def test_a_best_bet_is_picked_from_a_list_or_pasted_from_the_address_bar(
    signed_in, site, axe_source, shots, viewport, width
):
    page = signed_in(viewport)
    page.goto(site + reverse("admin:search_bestbet_add"))
    page.get_by_label("Searches").fill(f"qwerty {width}")
    page.get_by_label("Add an item").select_option(label="Ask the question")
    # The address as the browser's address bar gives it, with host and port.
    page.get_by_label("Items shown first").fill(site + "/local-support/tara/")
    shots(page, f"admin-best-bet-add-{width}.png", full_page=True)
    assert_admin_accessible(page, axe_source)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("ul.messagelist")).to_contain_text("was added successfully")
    bet = BestBet.objects.get(queries=f"qwerty {width}")
    assert bet.url_list == [
        "/local-support/tara/",
        "/practice-points/ask-the-question/",
    ]
    # A foreign address gets a clear message on the form, not an error page.
    page.goto(site + reverse("admin:search_bestbet_add"))
    page.get_by_label("Searches").fill("qwerty foreign")
    page.get_by_label("Items shown first").fill("https://www.gov.uk/some/page/")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text(
        "not addresses of pages on this site"
    )
    assert_admin_accessible(page, axe_source)


@pytest.mark.parametrize(("viewport", "width"), WIDTHS, ids=["320", "1280"])
def test_the_admin_home_lists_what_readers_find_empty_with_a_link_to_each(
    signed_in, site, axe_source, shots, viewport, width
):
    page = signed_in(viewport)
    page.goto(site + reverse("admin:index"))
    gaps = page.locator("#reader-gaps")
    expect(gaps.get_by_role("heading")).to_have_text("Missing on readers’ pages")
    summaries = gaps.locator("summary").all_inner_texts()
    assert [s.split(":")[0] for s in summaries] == [
        "No publication date",
        "No review dates",
        "No contact details",
    ]
    gaps.locator("summary").nth(2).click()  # opened by keyboard or pointer alike
    shots(page, f"admin-home-{width}.png", full_page=True)
    assert_admin_accessible(page, axe_source)
    gaps.get_by_role("link").first.click()
    expect(page.locator("#id_first_published")).to_be_visible()
    assert page.url.endswith("#id_first_published")
    # The change form's scripts and styles still loading would reach the
    # server after this test's teardown has put the database back.
    page.wait_for_load_state("load")
