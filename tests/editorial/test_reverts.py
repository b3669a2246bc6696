"""Honest reverts: a draft of the old version or published with a note, said
plainly in the history, and never leaving "What's changed" announcing a change
that has been undone."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from editorial import reverts
from editorial.models import PendingChange, Reversal, ScheduledChange
from tests.conftest import change_form_data
from tests.factories import PracticePointFactory

pytestmark = pytest.mark.django_db
ADDED = "Added advice on what to do if she says no"


@pytest.fixture
def changed_point(client, editor):
    """A live point whose newly added advice was published with a change note."""
    point = PracticePointFactory(title="Asking about money", body="Ask gently.")
    url = reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    client.force_login(editor)
    before = point.history.latest("history_id") if point.history.exists() else None
    data = change_form_data(
        client, url, body="Ask gently. If she says no, leave the door open.",
        change_note=ADDED, _publish="1",
    )  # fmt: skip
    assert client.post(url, data).status_code == 302
    point.refresh_from_db()
    original = before or point.history.earliest("history_id")
    return point, original


def revert_url(point, version):
    return reverse(
        "admin:practice_points_practicepoint_simple_history",
        args=[point.pk, version.history_id],
    )


def announced(client, point):
    """Whether "What's changed", its feed and the briefing's feed announce ADDED."""
    pages = [
        reverse("whats_changed"),
        reverse("whats_changed_feed"),
        reverse("briefing_changes_feed", args=[point.briefing.slug]),
    ]
    return [ADDED in client.get(page).content.decode() for page in pages]


def test_a_revert_of_a_live_item_is_a_draft_until_published(
    client, editor, changed_point
):
    point, original = changed_point
    assert announced(client, point) == [True, True, True]
    url = revert_url(point, original)
    form = client.get(url).content.decode()
    assert "Save as a draft" in form and "Publish this version" in form
    assert reverts.note(original) in form

    response = client.post(url, change_form_data(client, url), follow=True)
    assert (
        "as a draft. Readers still see the published version"
        in response.content.decode()
    )
    point.refresh_from_db()
    assert "leave the door open" in point.body  # readers still see it
    draft = PendingChange.objects.for_object(point)
    assert draft.change_note == reverts.note(original) and draft.reverts_to is not None
    assert announced(client, point) == [True, True, True]

    # Publishing the draft with the Publish button makes the revert live.
    change = reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    assert (
        client.post(change, change_form_data(client, change, _publish="1")).status_code
        == 302
    )
    point.refresh_from_db()
    assert point.body == "Ask gently." and point.is_published
    record = point.history.latest("history_id")
    assert record.history_change_reason == reverts.note(original)
    assert record.history_change_reason.startswith("Reverted to the version of ")
    assert Reversal.objects.count() == 1
    client.logout()
    assert announced(client, point) == [False, False, False]


def test_publishing_a_revert_at_once_says_who_and_when_and_undoes_the_announcement(
    client, editor, changed_point
):
    point, original = changed_point
    url = revert_url(point, original)
    data = change_form_data(
        client, url, change_note="The advice needs checking", _publish="1"
    )
    response = client.post(url, data, follow=True)
    assert "and published. Readers now see that version." in response.content.decode()
    point.refresh_from_db()
    assert point.body == "Ask gently." and point.is_published
    history = point.history.latest("history_id")
    assert history.history_change_reason == (
        f"{reverts.note(original)}. The advice needs checking"
    )
    history_page = client.get(
        reverse("admin:practice_points_practicepoint_history", args=[point.pk])
    ).content.decode()
    assert "Reverted to the version of" in history_page
    client.logout()
    assert announced(client, point) == [False, False, False]
    # The item's own page no longer dates itself by the undone change.
    assert ADDED not in client.get(reverse("whats_changed")).content.decode()


def test_a_revert_draft_published_on_schedule_is_honest_too(
    client, editor, changed_point
):
    point, original = changed_point
    url = revert_url(point, original)
    client.post(url, change_form_data(client, url))
    change = reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    later = timezone.localtime(timezone.now() + timezone.timedelta(hours=1))
    data = change_form_data(client, change, go_live_at=later.strftime("%Y-%m-%dT%H:%M"))
    assert client.post(change, data).status_code == 302
    ScheduledChange.objects.update(due_at=timezone.now())
    client.logout()
    call_command("run_due_jobs", only=["scheduled-publishing"])
    point.refresh_from_db()
    assert point.body == "Ask gently."
    assert announced(client, point) == [False, False, False]


def test_a_contributor_cannot_publish_a_revert(client, contributor, changed_point):
    point, original = changed_point
    client.force_login(contributor)
    url = revert_url(point, original)
    assert client.post(url, {"_publish": "1"}).status_code == 403
