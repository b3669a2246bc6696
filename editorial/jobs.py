"""Claiming run_due_jobs' jobs, so two nodes never run one job at once.

A job is claimed with one conditional UPDATE of its row (a lease): on
PostgreSQL the second node's UPDATE waits for the first's row lock and then
finds the lease taken; SQLite serialises writers. A crashed node's lease runs
out, so a job is never stuck.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueJob:
    name: str
    run: Callable[[], object]
    # None: every time run_due_jobs runs (each minute from cron).
    every: datetime.timedelta | None = None
    lease: datetime.timedelta = datetime.timedelta(minutes=30)


def claim(job):
    """True if this process may run ``job`` now (it is due and nobody holds it)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            Job.objects.get_or_create(name=job.name)
    except IntegrityError:  # created by another node just now
        pass
    due = Q(next_run_at__isnull=True) | Q(next_run_at__lte=now)
    free = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    claimed = Job.objects.filter(due, free, name=job.name).update(
        locked_until=now + job.lease, last_started_at=now
    )
    return claimed == 1


def release(job, error=""):
    now = timezone.now()
    values = {"locked_until": None, "last_error": error}
    if not error:
        values["last_finished_at"] = now
        values["next_run_at"] = now + job.every if job.every else None
    Job.objects.filter(name=job.name).update(**values)


def run_due(jobs):
    """Run every due job this process can claim: {name: what it did}."""
    results = {}
    for job in jobs:
        if not claim(job):
            results[job.name] = "not due, or running on another node"
            continue
        try:
            results[job.name] = job.run()
        except Exception as error:  # one job's failure must not stop the others
            log.exception("Job %s failed", job.name)
            release(job, error=f"{type(error).__name__}: {error}"[:1000])
            results[job.name] = "failed"
        else:
            release(job)
    return results
