"""Everything run_due_jobs does, and how often."""

import datetime

from editorial import notices, reminders, scheduling
from editorial.jobs import DueJob
from handouts.models import SavedHandout
from search import report

from . import digest, links

DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)

JOBS = [
    # Every run: a go-live time is kept to the minute.
    DueJob("scheduled-publishing", scheduling.run_due),
    DueJob("waiting-for-an-editor", notices.send_waiting),
    DueJob("review-reminders", reminders.send, every=DAY),
    DueJob("weekly-digest", digest.send, every=DAY),  # each editor at most weekly
    DueJob("prune-search-report", report.prune, every=DAY),
    DueJob("prune-handouts", SavedHandout.prune, every=DAY),
    DueJob("link-check", links.check_resources, every=WEEK),
]
