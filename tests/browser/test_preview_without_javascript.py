"""An editor without JavaScript previews an unsaved edit in Chromium.

The whole editor story, with JavaScript, is tests/browser/test_editor_story.py;
this checks that the preview needs no script of its own.
"""

import pytest
from django.urls import reverse

from practice_points.models import PracticePoint
from tests.browser.conftest import describe, run_axe, sign_in_directly

pytestmark = pytest.mark.browser

ADDED = "Ask again later if the answer is no: trust takes time."
POINT = "/practice-points/ask-the-question/"


def test_editor_without_javascript_previews_an_unsaved_edit(
    no_script, browser, site, transactional_db, admin_user, axe_source
):
    point = PracticePoint.objects.get(slug="ask-the-question")
    sign_in_directly(no_script, site, admin_user)
    page = no_script.new_page()
    page.goto(
        site + reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    )
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n\n" + ADDED)

    # The preview opens in a new tab; the form keeps the edit.
    with no_script.expect_page() as opened:
        page.get_by_role("button", name="Preview unsaved changes").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.get_by_text(ADDED).is_visible()
    assert preview.locator(".preview-banner").is_visible()
    preview.close()
    assert ADDED in page.locator("#id_body").input_value()

    # Nothing was saved: a reader sees the published text.
    reader = browser.new_context()
    reader_page = reader.new_page()
    reader_page.goto(site + POINT)
    assert reader_page.get_by_text("If you think someone may be").first.is_visible()
    assert ADDED not in reader_page.content()
    reader.close()

    # The preview page is a reader page: it passes axe like the others (axe
    # needs JavaScript, so this one browser has it, with the editor's login).
    scripted = browser.new_context()
    scripted.add_cookies(no_script.cookies())
    page = scripted.new_page()
    page.goto(
        site
        + reverse(
            "editorial:preview", args=["practice_points", "practicepoint", point.pk]
        )
    )
    assert page.locator(".preview-banner").is_visible()
    violations = run_axe(page, axe_source)
    scripted.close()
    assert violations == [], describe(violations)
