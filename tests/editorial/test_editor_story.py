"""The whole story: a contributor drafts, an editor previews, publishes, reverts."""

import json
from html import unescape

from django.core.management import call_command
from django.urls import reverse

from editorial import reverts
from editorial.models import PendingChange
from practice_points.models import PracticePoint
from tests.conftest import change_form_data

NEW_SUMMARY = "Ask every woman, gently and in private, about selling or exchanging sex."


def test_contributor_draft_then_editor_preview_publish_revert_export(
    client, content, contributor, editor, tmp_path
):
    point = PracticePoint.objects.get(slug="ask-the-question")
    old_summary = point.summary
    change_url = reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    page = point.get_absolute_url()

    # A contributor drafts a change to a published practice point.
    client.force_login(contributor)
    data = change_form_data(
        client, change_url, summary=NEW_SUMMARY, change_note="Gentler opening"
    )
    response = client.post(change_url, data)
    assert response.status_code == 302
    assert PendingChange.objects.count() == 1
    point.refresh_from_db()
    assert point.summary == old_summary and point.status == "published"

    # Readers still see the published text only.
    client.logout()
    html = unescape(client.get(page).content.decode())
    assert NEW_SUMMARY not in html and old_summary in html
    assert "Gentler opening" not in client.get("/whats-changed/").content.decode()

    # The editor previews the draft change exactly as readers will see it.
    client.force_login(editor)
    form_html = client.get(change_url).content.decode()
    assert "Draft waiting to be published" in form_html
    preview = client.get(
        reverse(
            "editorial:preview", args=["practice_points", "practicepoint", point.pk]
        )
    )
    assert preview.status_code == 200
    assert NEW_SUMMARY in unescape(preview.content.decode())
    assert "Preview." in preview.content.decode()
    point.refresh_from_db()
    assert point.summary == old_summary  # the preview saved nothing

    # ... and publishes it with a change note.
    data = change_form_data(
        client,
        change_url,
        change_note="Made the opening question gentler",
        _publish="Publish",
    )
    assert data["summary"] == NEW_SUMMARY  # the form shows the draft change
    response = client.post(change_url, data)
    assert response.status_code == 302
    assert not PendingChange.objects.waiting().exists()
    assert PendingChange.objects.get().state == PendingChange.State.LIVE

    client.logout()
    html = unescape(client.get(page).content.decode())
    assert NEW_SUMMARY in html and "Last updated" in html
    changes = client.get("/whats-changed/").content.decode()
    assert "Made the opening question gentler" in changes
    assert point.get_absolute_url() in changes

    # The export shows the change, ready for review in git.
    call_command("export_content", output=str(tmp_path), verbosity=0)
    exported = json.loads((tmp_path / "practice_points.json").read_text())
    fields = next(o["fields"] for o in exported if o["fields"]["slug"] == point.slug)
    assert fields["summary"] == NEW_SUMMARY

    # The editor reverts to the version loaded from the fixtures.
    client.force_login(editor)
    original = point.history.earliest("history_id")
    assert original.summary == old_summary
    revert_url = reverse(
        "admin:practice_points_practicepoint_simple_history",
        args=[point.pk, original.history_id],
    )
    data = change_form_data(
        client, revert_url, change_note="Back to the original", _publish="Publish"
    )
    assert client.post(revert_url, data).status_code == 302
    client.logout()
    html = unescape(client.get(page).content.decode())
    assert old_summary in html and NEW_SUMMARY not in html
    history = list(point.history.order_by("history_id"))
    assert [h.history_change_reason for h in history[1:]] == [
        "Made the opening question gentler",
        reverts.note(original) + ". Back to the original",
    ]
    assert history[-1].history_user == editor
