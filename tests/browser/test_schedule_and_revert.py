"""The admin pages issue 24 adds or changes, in Chromium with axe: the change
form's Schedule fields, the history listing them, the revert page (draft or
publish), the email settings and the review report filtered by owner."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from editorial.models import EmailPreference, PendingChange, ScheduledChange
from practice_points.models import PracticePoint
from tests.browser.conftest import (
    DESKTOP,
    assert_admin_accessible,
    sign_in_directly,
)

pytestmark = pytest.mark.browser
SLUG = "the-exchange-may-not-be-for-money"


def test_an_editor_schedules_an_expiry_reverts_as_a_draft_and_chooses_the_digest(
    page, site, transactional_db, django_user_model, axe_source, screenshots
):
    editor = django_user_model.objects.create_user(
        "sched", "sched@example.org", password="not-used-123", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editor"))
    point = PracticePoint.objects.get(slug=SLUG)
    change_url = site + reverse(
        "admin:practice_points_practicepoint_change", args=[point.pk]
    )
    page.set_viewport_size(DESKTOP)
    sign_in_directly(page.context, site, editor)

    # 1. The change form's Schedule fieldset: set an expiry time, publish.
    page.goto(change_url)
    expect(page.get_by_role("heading", name="Schedule")).to_be_visible()
    assert_admin_accessible(page, axe_source)
    expires = timezone.localtime(timezone.now() + datetime.timedelta(days=30))
    page.get_by_label("Expires at").fill(expires.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Change note").fill("Checked the wording")
    page.get_by_role("button", name="Publish", exact=True).first.click()
    expect(page.locator(".messagelist li.success")).to_contain_text("Published.")
    scheduled = ScheduledChange.objects.get(object_id=str(point.pk))
    assert scheduled.action == "unpublish" and scheduled.created_by == editor
    screenshots(page, "schedule-1-published.png", full_page=True)

    # 2. The history lists the expiry; it passes axe.
    page.goto(
        site + reverse("admin:practice_points_practicepoint_history", args=[point.pk])
    )
    schedule = page.locator(
        "table", has=page.get_by_role("columnheader", name="Set by")
    )
    expect(schedule).to_contain_text("Expire")
    expect(schedule).to_contain_text("Waiting")
    assert_admin_accessible(page, axe_source)

    # 3. Revert to the first version: kept as a draft, said plainly.
    first = point.history.earliest("history_id")
    page.goto(
        site
        + reverse(
            "admin:practice_points_practicepoint_simple_history",
            args=[point.pk, first.history_id],
        )
    )
    expect(page.get_by_text("Its history will say")).to_be_visible()
    expect(
        page.get_by_role("button", name="Publish this version").first
    ).to_be_visible()
    assert_admin_accessible(page, axe_source)
    screenshots(page, "schedule-2-revert.png", full_page=True)
    page.get_by_role("button", name="Save as a draft").first.click()
    expect(page.locator(".messagelist li.success")).to_contain_text(
        "as a draft. Readers still see the published version"
    )
    draft = PendingChange.objects.for_object(point)
    assert draft.change_note.startswith("Reverted to the version of ")

    # 4. Email settings: opt in to the weekly digest with the keyboard.
    page.goto(site + reverse("editorial:email_settings"))
    assert_admin_accessible(page, axe_source)
    page.get_by_label("Send me the weekly digest").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messagelist li.success")).to_contain_text(
        "you will be sent the weekly digest"
    )
    assert EmailPreference.objects.get(user=editor).weekly_digest

    # 5. The review report, filtered by owner.
    page.goto(site + reverse("editorial:review_due"))
    assert_admin_accessible(page, axe_source)
    page.get_by_label("Owner").select_option(label="No owner (every editor)")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#due-for-review-table")).to_contain_text("needs details")
