"""Readers answer "Is this page useful?" with JavaScript off and on, untracked.

The question is one line; the optional box comes only after an answer (in
place with JavaScript, on a small page without).
"""

import pytest
from django.utils import timezone

from feedback.models import Feedback
from tests.browser.conftest import (
    describe,
    open_at,
    run_axe,
    run_axe_without_script,
)
from tests.conftest import BRIEFING

pytestmark = pytest.mark.browser

PAGE = "/practice-points/long-term-impact/"
# The home page at 320 px on main before the question became one line
# (commit 2305e83); issue 28 asks for at least 10% less.
HOME_AT_320_BEFORE = 6718


def stored():
    return list(Feedback.objects.values("path", "useful", "day", "comment"))


def region(page):
    return page.get_by_role("region", name="Help us improve this guidance")


def test_answer_without_javascript(no_script, site, new_rows_removed, axe_source):
    page = no_script.new_page()
    page.goto(site + PAGE)
    assert not page.get_by_label("What were you looking for? (optional)").is_visible()
    region(page).get_by_role("button", name="No").click()
    assert page.locator("h1").inner_text() == "Thank you for your answer"
    assert [row["useful"] for row in stored()] == [False]
    violations = run_axe_without_script(page, axe_source)
    assert violations == [], describe(violations)
    page.get_by_label("What were you looking for? (optional)").fill(
        "Housing advice for\nwomen leaving prison"
    )
    page.get_by_role("button", name="Send").click()
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


def test_a_too_long_comment_without_javascript_is_explained(
    no_script, site, new_rows_removed, axe_source
):
    page = no_script.new_page()
    page.goto(site + PAGE)
    region(page).get_by_role("button", name="Yes").click()
    # maxlength stops typing; a pasted or scripted text can still be too long.
    page.locator("#feedback-comment").evaluate(
        "box => { box.removeAttribute('maxlength'); box.value = 'x'.repeat(501); }"
    )
    page.get_by_role("button", name="Send").click()
    summary = page.get_by_role("alert")
    summary.get_by_role("link", name="Write 500 characters or fewer").click()
    assert page.url.endswith("#feedback-comment")
    violations = run_axe_without_script(page, axe_source)
    assert violations == [], describe(violations)
    page.get_by_label("What were you looking for? (optional)").fill("Training")
    page.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "Thank you"
    assert [(r["useful"], r["comment"]) for r in stored()] == [(True, "Training")]
    assert no_script.cookies() == []


def test_answer_with_javascript_opens_the_box_in_place(
    page, context, site, new_rows_removed, axe_source
):
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.goto(site + PAGE)
    box = page.get_by_label("What were you looking for? (optional)")
    assert not box.is_visible()
    region(page).get_by_role("button", name="Yes").click()
    box.wait_for()
    assert page.evaluate("document.activeElement.id") == "feedback-comment"
    assert region(page).get_by_role("status").inner_text() == (
        "Thank you for your answer."
    )
    assert region(page).get_by_role("button", name="Yes").count() == 0
    assert [row["useful"] for row in stored()] == [True]
    violations = run_axe(page, axe_source)
    assert violations == [], describe(violations)

    box.fill("Training")
    page.get_by_role("button", name="Send").click()
    thanks = page.locator(".feedback__thanks")
    thanks.wait_for()
    assert thanks.inner_text().startswith("Thank you. Your answer helps")
    assert page.url == site + PAGE
    violations = run_axe(page, axe_source)
    assert violations == [], describe(violations)
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


def test_the_question_is_reached_by_keyboard(page, site, new_rows_removed):
    page.goto(site + f"/briefings/{BRIEFING}/")
    page.get_by_role("button", name="Yes").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "no"
    page.keyboard.press("Enter")
    page.get_by_label("What were you looking for? (optional)").wait_for()
    assert page.evaluate("document.activeElement.id") == "feedback-comment"
    assert [row["useful"] for row in stored()] == [False]


@pytest.mark.same_on_every_engine
@pytest.mark.parametrize("width", [320, 360, 1280])
@pytest.mark.parametrize("script", [True, False])
def test_the_question_is_one_line(browser, site, width, script):
    page = open_at(browser, {"width": width, "height": 740}, PAGE, site, script)
    section = page.locator("[data-feedback]").bounding_box()
    assert section["height"] <= 60
    tops = page.evaluate(
        "[...document.querySelectorAll('[data-feedback] legend, "
        "[data-feedback] button[name=useful]')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert max(tops) - min(tops) <= 8, tops


@pytest.mark.same_on_every_engine
def test_the_home_page_is_a_tenth_shorter_at_320(browser, site):
    page = open_at(browser, {"width": 320, "height": 740}, "/", site)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= HOME_AT_320_BEFORE * 0.9, height
