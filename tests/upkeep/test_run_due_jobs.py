"""run_due_jobs end to end: mail through a real SMTP server on loopback,
scheduled publishing and expiry as the buttons do them, pruning."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from editorial import versions
from editorial.models import (
    EmailPreference,
    Job,
    PendingChange,
    ReminderSent,
    ScheduledChange,
    Status,
)
from feedback.models import Feedback
from practice_points.models import PracticePoint
from search.models import NoResultSearch
from tests.conftest import change_form_data
from tests.factories import PracticePointFactory
from tests.mailserver import html_of, text_of

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


def run_jobs():
    call_command("run_due_jobs")


def next_run_now():
    """As if the jobs' intervals had passed (each minute's cron run, days later)."""
    Job.objects.update(next_run_at=None)


def admin_change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# Review reminders ---------------------------------------------------------------


def test_an_owner_is_reminded_once_and_not_again_within_a_week(smtp, staff_with_email):
    sam = staff_with_email("sam")
    today = timezone.localdate()
    overdue = PracticePointFactory(
        title="Asking about money",
        owner=sam,
        next_review_due=today - datetime.timedelta(days=3),
    )
    soon = PracticePointFactory(
        title="Safety planning",
        owner=sam,
        next_review_due=today + datetime.timedelta(days=12),
    )
    PracticePointFactory(
        title="Not yet", owner=sam, next_review_due=today + datetime.timedelta(days=90)
    )

    run_jobs()

    [message] = smtp.to("sam@example.org")
    assert message["Subject"] == "Encompass Guidance: 2 items to review"
    assert message["From"] == "guidance@example.org"
    text = text_of(message)
    assert "Overdue for review:" in text and "Asking about money" in text
    assert "Safety planning" in text and "Not yet" not in text
    link = "https://guidance.example.org" + admin_change_url(overdue)
    assert link in text and f'href="{link}"' in html_of(message)
    assert "https://guidance.example.org" + admin_change_url(soon) in html_of(message)
    assert len(smtp.messages) == 1  # one message per owner per run

    # Runs later the same week: the same list is not sent again.
    next_run_now()
    run_jobs()
    assert len(smtp.to("sam@example.org")) == 1

    # A week on, it is sent again.
    ReminderSent.objects.update(sent_at=timezone.now() - datetime.timedelta(days=8))
    next_run_now()
    run_jobs()
    assert len(smtp.to("sam@example.org")) == 2


def test_without_an_owner_the_briefings_owner_then_every_editor_is_reminded(
    smtp, staff_with_email
):
    ash, kim, lee = staff_with_email("ash"), staff_with_email("kim", "Editor"), None
    lee = staff_with_email("lee", "Editor")
    overdue = timezone.localdate() - datetime.timedelta(days=1)
    owned_briefing_point = PracticePointFactory(
        title="Briefing owned", next_review_due=overdue
    )
    owned_briefing_point.briefing.owner = ash
    owned_briefing_point.briefing.save()
    PracticePointFactory(title="Nobody's", next_review_due=overdue)

    run_jobs()

    [to_ash] = smtp.to("ash@example.org")
    assert "Briefing owned" in text_of(to_ash) and "Nobody's" not in text_of(to_ash)
    for editor in (kim, lee):
        [message] = smtp.to(editor.email)
        assert "Nobody's" in text_of(message) and "Briefing owned" not in text_of(
            message
        )


def test_an_owner_with_no_address_leaves_the_reminder_to_the_editors(
    smtp, staff_with_email, django_user_model
):
    kim = staff_with_email("kim", "Editor")
    silent = django_user_model.objects.create_user("silent", is_staff=True)
    overdue = timezone.localdate() - datetime.timedelta(days=1)
    PracticePointFactory(
        title="Owned by someone silent", owner=silent, next_review_due=overdue
    )
    run_jobs()
    [message] = smtp.to(kim.email)
    assert "Owned by someone silent" in text_of(message)


# Scheduled publishing -----------------------------------------------------------


def test_a_draft_with_a_past_go_live_time_is_published_as_the_button_would(
    client, smtp, staff_with_email
):
    editor = staff_with_email("ed", "Editor")
    point = PracticePointFactory(title="Old title")
    url = admin_change_url(point)
    client.force_login(editor)
    later = timezone.now() + datetime.timedelta(hours=2)
    data = change_form_data(
        client, url, title="Corrected title", change_note="Corrected the figure",
        go_live_at=local_input(later), _save_draft="1",
    )  # fmt: skip
    assert client.post(url, data).status_code == 302
    scheduled = ScheduledChange.objects.get()
    assert scheduled.action == "publish" and scheduled.created_by == editor
    # The change form shows the time, and the history lists it.
    form = client.get(url).content.decode()
    assert local_input(later) in form and "Go live at" in form
    history = client.get(
        reverse("admin:practice_points_practicepoint_history", args=[point.pk])
    )
    assert "Scheduled" in history.content.decode()
    assert PracticePoint.objects.get(pk=point.pk).title == "Old title"

    ScheduledChange.objects.update(
        due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    before = versions.read()
    client.logout()
    run_jobs()

    point.refresh_from_db()
    assert point.title == "Corrected title" and point.status == Status.PUBLISHED
    record = point.history.latest("history_id")
    assert record.history_change_reason == "Corrected the figure"
    assert record.history_user == editor and record.status == Status.PUBLISHED
    assert versions.read().number > before.number
    assert PendingChange.objects.of(point).first().state == PendingChange.State.LIVE
    changes = client.get(reverse("whats_changed")).content.decode()
    assert "Corrected the figure" in changes
    assert (
        "Corrected the figure"
        in client.get(reverse("whats_changed_feed")).content.decode()
    )
    assert ScheduledChange.objects.get().outcome == "Published"

    # Later runs do not publish it again.
    records = point.history.count()
    run_jobs()
    assert point.history.count() == records


def test_an_expiry_time_unpublishes_as_the_button_would(client, smtp, staff_with_email):
    editor = staff_with_email("ed", "Editor")
    point = PracticePointFactory(title="Out of date soon")
    url = admin_change_url(point)
    client.force_login(editor)
    data = change_form_data(
        client, url, expires_at=local_input(timezone.now() + datetime.timedelta(days=1)),
        _publish="1",
    )  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert client.get(point.get_absolute_url()).status_code == 200
    ScheduledChange.objects.update(due_at=timezone.now())
    client.logout()
    run_jobs()
    point.refresh_from_db()
    assert point.status == Status.DRAFT
    assert point.history.latest("history_id").history_change_reason == "Unpublished"
    assert client.get(point.get_absolute_url()).status_code == 404


def test_go_live_times_in_the_past_are_refused_with_a_clear_message(
    client, staff_with_email
):
    editor = staff_with_email("ed", "Editor")
    point = PracticePointFactory()
    url = admin_change_url(point)
    client.force_login(editor)
    past = local_input(timezone.now() - datetime.timedelta(hours=1))
    response = client.post(url, change_form_data(client, url, go_live_at=past))
    assert response.status_code == 200
    assert "Choose a time in the future." in response.content.decode()
    assert not ScheduledChange.objects.exists()


def test_contributors_are_not_offered_schedule_fields(client, contributor):
    point = PracticePointFactory()
    client.force_login(contributor)
    assert "Go live at" not in client.get(admin_change_url(point)).content.decode()


# Waiting for an editor ----------------------------------------------------------


@pytest.mark.slow  # sends every digest
def test_editors_are_told_once_about_each_contributor_draft(
    client, smtp, staff_with_email
):
    kim = staff_with_email("kim", "Editor")
    lee = staff_with_email("lee", "Editor")
    contributor = staff_with_email(
        "cal", "Contributor", first_name="Cal", last_name="Reed"
    )
    point = PracticePointFactory(title="Asking about money")
    url = admin_change_url(point)
    client.force_login(contributor)
    for summary in ("First try.", "Second try."):
        data = change_form_data(
            client, url, summary=summary, change_note="Gentler wording"
        )
        assert client.post(url, data).status_code == 302
    run_jobs()
    run_jobs()
    [message] = smtp.to(kim.email)
    assert "Asking about money" in message["Subject"]
    text = text_of(message)
    assert "Cal Reed" in text and "Gentler wording" in text
    assert "https://guidance.example.org" + url in text
    assert smtp.to(contributor.email) == []
    # Both editors get it, and neither is shown the other's address.
    assert smtp.to(lee.email) == [message]
    assert lee.email not in message.as_string() and kim.email not in message.as_string()

    # Once it is published, the contributor's next draft is news again.
    client.force_login(kim)
    client.post(url, change_form_data(client, url, _publish="1"))
    client.force_login(contributor)
    client.post(
        url, change_form_data(client, url, summary="Third.", change_note="More")
    )
    run_jobs()
    assert len(smtp.to(kim.email)) == 2


# Weekly digest and pruning ------------------------------------------------------


def test_the_weekly_digest_goes_only_to_editors_who_asked(
    client, smtp, staff_with_email
):
    kim, lee = staff_with_email("kim", "Editor"), staff_with_email("lee", "Editor")
    client.force_login(kim)
    page = client.get(reverse("editorial:email_settings"))
    assert "Send me the weekly digest" in page.content.decode()
    client.post(reverse("editorial:email_settings"), {"weekly_digest": "on"})
    assert EmailPreference.objects.get(user=kim).weekly_digest
    point = PracticePoint.objects.published().first()
    Feedback.objects.create(path=point.get_absolute_url(), useful=False, day=TODAY())
    NoResultSearch.objects.create(day=TODAY(), words="benefit sanctions", count=4)

    run_jobs()

    [digest] = smtp.to(kim.email)
    assert digest["Subject"] == "Encompass Guidance: your weekly digest"
    text = text_of(digest)
    assert f"{point.title}: 0 yes, 1 no" in text
    assert "benefit sanctions (4 times)" in text
    assert smtp.to(lee.email) == []
    next_run_now()
    run_jobs()
    assert len(smtp.to(kim.email)) == 1  # not twice in a week


def test_old_no_results_counts_are_pruned(smtp):
    old = timezone.localdate() - datetime.timedelta(days=200)
    NoResultSearch.objects.create(day=old, words="long ago", count=9)
    NoResultSearch.objects.create(day=timezone.localdate(), words="today", count=1)
    run_jobs()
    assert list(NoResultSearch.objects.values_list("words", flat=True)) == ["today"]


def test_handouts_nobody_used_for_a_year_are_pruned(smtp):
    from handouts.models import SavedHandout

    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    SavedHandout.objects.create(code="oldoldoldold", query="item=a", used_on=long_ago)
    SavedHandout.objects.create(code="newnewnewnew", query="item=b")
    run_jobs()
    # Only these two: handouts other tests saved (and committed) are not ours.
    mine = SavedHandout.objects.filter(code__in=["oldoldoldold", "newnewnewnew"])
    assert list(mine.values_list("code", flat=True)) == ["newnewnewnew"]


def test_a_job_that_fails_does_not_stop_the_others(monkeypatch, smtp, capsys):
    from upkeep import jobs

    def broken():
        raise RuntimeError("mail server gone")

    old = timezone.localdate() - datetime.timedelta(days=200)
    NoResultSearch.objects.create(day=old, words="long ago", count=9)
    failing = list(jobs.JOBS)
    failing[0] = jobs.DueJob("scheduled-publishing", broken)
    monkeypatch.setattr(jobs, "JOBS", failing)
    monkeypatch.setattr("upkeep.management.commands.run_due_jobs.JOBS", failing)
    with pytest.raises(SystemExit):
        call_command("run_due_jobs")
    assert "scheduled-publishing" in capsys.readouterr().err
    assert not NoResultSearch.objects.filter(words="long ago").exists()
    assert "mail server gone" in Job.objects.get(name="scheduled-publishing").last_error


def test_a_draft_changed_after_its_time_was_set_is_not_published_unseen(
    client, smtp, staff_with_email
):
    editor = staff_with_email("ed", "Editor")
    contributor = staff_with_email("cal", "Contributor")
    point = PracticePointFactory(title="Checked title")
    url = admin_change_url(point)
    client.force_login(editor)
    soon = local_input(timezone.now() + datetime.timedelta(hours=1))
    data = change_form_data(client, url, title="Reviewed", go_live_at=soon)
    assert client.post(url, data).status_code == 302
    client.force_login(contributor)
    data = change_form_data(client, url, title="Changed later, unseen")
    assert client.post(url, data).status_code == 302
    ScheduledChange.objects.update(due_at=timezone.now())
    run_jobs()
    point.refresh_from_db()
    assert point.title == "Checked title"
    assert ScheduledChange.objects.get().outcome.startswith(
        "Not published: the draft was changed"
    )
