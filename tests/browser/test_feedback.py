"""Readers answer "Was this page useful?" with JavaScript off and on, untracked."""

import pytest
from django.utils import timezone

from feedback.models import Feedback
from tests.browser.conftest import describe, run_axe
from tests.conftest import BRIEFING

pytestmark = pytest.mark.browser

PAGE = "/practice-points/long-term-impact/"


def stored():
    return list(Feedback.objects.values("path", "useful", "day", "comment"))


def test_answer_without_javascript(no_script, site, transactional_db, axe_source):
    page = no_script.new_page()
    page.goto(site + PAGE)
    form = page.get_by_role("region", name="Help us improve this guidance")
    form.get_by_role("radio", name="No").check()
    form.get_by_label("What were you looking for? (optional)").fill(
        "Housing advice for\nwomen leaving prison"
    )
    form.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "Thank you"
    page.get_by_role("link", name="Back to the page you were reading").click()
    assert page.url == site + PAGE
    assert no_script.cookies() == []
    assert stored() == [
        {
            "path": PAGE,
            "useful": False,
            "day": timezone.localdate(),
            "comment": "Housing advice for\nwomen leaving prison",
        }
    ]


def test_mistakes_without_javascript_are_explained(
    no_script, site, transactional_db, axe_source
):
    page = no_script.new_page()
    page.goto(site + PAGE)
    page.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "Was this page useful?"
    summary = page.get_by_role("alert")
    summary.get_by_role("link", name="Choose yes or no").click()
    assert page.url.endswith("#feedback-useful")
    fieldset = page.get_by_role("group", name="Was this page useful?")
    assert fieldset.get_attribute("aria-describedby") == "feedback-useful-error"
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "Thank you"
    assert [row["useful"] for row in stored()] == [True]
    assert no_script.cookies() == []


def test_answer_with_javascript_stays_on_the_page(
    page, context, site, transactional_db, axe_source
):
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.goto(site + PAGE)
    page.get_by_role("button", name="Send").click()
    error = page.locator("#feedback-useful-error")
    error.wait_for()
    assert error.inner_text() == "Choose yes or no"
    fieldset = page.get_by_role("group", name="Was this page useful?")
    assert fieldset.get_attribute("aria-describedby") == "feedback-useful-error"
    assert page.evaluate("document.activeElement.id") == "feedback-useful"
    assert run_axe(page, axe_source) == [], describe(run_axe(page, axe_source))

    page.get_by_role("radio", name="Yes").check()
    page.get_by_label("What were you looking for? (optional)").fill("Training")
    page.get_by_role("button", name="Send").click()
    thanks = page.get_by_role("status").filter(has_text="Thank you")
    thanks.wait_for()
    assert page.url == site + PAGE
    assert page.locator("#feedback-useful-error").count() == 0
    assert run_axe(page, axe_source) == [], describe(run_axe(page, axe_source))
    assert [p.url for p in posts] == [site + "/feedback/"] * 2
    assert context.cookies() == []
    assert stored() == [
        {
            "path": PAGE,
            "useful": True,
            "day": timezone.localdate(),
            "comment": "Training",
        }
    ]


def test_the_briefing_page_form_is_reached_by_keyboard(page, site):
    page.goto(site + f"/briefings/{BRIEFING}/")
    page.get_by_role("radio", name="Yes").focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", name="No").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "feedback-comment"
