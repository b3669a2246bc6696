"""The private report of searches that found nothing: editors' tuning signal.

Only the normalised words of such a search (``Query.words``: lower case,
question words and filler left out) and a count per day are kept: no address,
no time of day, no cookie, nothing that links a count to a request. Editors see
a search once it was counted at least ``SHOWN_FROM`` times; counts older than
``KEEP_DAYS`` are deleted whenever a count is written (and by ``manage.py
prune_search_report``). ``SEARCH_NO_RESULTS_REPORT=false`` turns it off.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from .models import NoResultSearch

KEEP_DAYS = 90
SHOWN_FROM = 3
MAX_WORDS = 200


def record(query):
    words = " ".join(query.words)[:MAX_WORDS]
    if not words:
        return
    today = timezone.localdate()
    with transaction.atomic():
        prune(today)
        counted = NoResultSearch.objects.filter(day=today, words=words).update(
            count=F("count") + 1
        )
        if not counted:
            try:
                with transaction.atomic():
                    NoResultSearch.objects.create(day=today, words=words, count=1)
            except IntegrityError:  # counted by another request meanwhile
                NoResultSearch.objects.filter(day=today, words=words).update(
                    count=F("count") + 1
                )


def prune(today=None):
    """Delete counts older than KEEP_DAYS; returns how many days' rows went."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=KEEP_DAYS)
    deleted, _ = NoResultSearch.objects.filter(day__lt=cutoff).delete()
    return deleted


def shown():
    """[(words, total count, last day seen)] counted SHOWN_FROM times or more,
    most often first: what editors see."""
    return list(
        NoResultSearch.objects.values("words")
        .annotate(total=Sum("count"), last=Max("day"))
        .filter(total__gte=SHOWN_FROM)
        .order_by("-total", "words")
        .values_list("words", "total", "last")
    )
