"""The private report of searches that found nothing: editors' tuning signal.

Only the normalised words of such a search (``Query.words``: lower case,
question words and filler left out) that say nothing about who typed them
(``kept_words``: no numbers, e-mail addresses, postcodes or names) and a count
per day are kept: no address,
no time of day, no cookie, nothing that links a count to a request. Editors see
a search once it was counted at least ``SHOWN_FROM`` times; counts older than
``KEEP_DAYS`` are deleted whenever a count is written (and by ``manage.py
prune_search_report``). ``SEARCH_NO_RESULTS_REPORT=false`` turns it off.
"""

import datetime
import re

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from . import backends
from .models import NoResultSearch
from .query import words_of

KEEP_DAYS = 90
SHOWN_FROM = 3
MAX_WORDS = 200


# Words at least this common in English (wordfreq's Zipf scale: 4.5 is about
# 30 in a million words) may be kept; rarer ones only if the content uses
# them. Most names are rarer ("Jane" is 4.4, "Brennan" 3.7).
COMMON_ENGLISH = 4.5
EMAIL = re.compile(r"\S+@\S+")
# A UK postcode, whole ("DD1 4HN") or its outward half ("DD1").
POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?(?:\s*\d[a-z]{2})?\b", re.I)


def kept_words(query):
    """The words of a search that say nothing about who typed it.

    Numbers, e-mail addresses, postcodes and words that are neither in the
    content nor common English (names, mostly) are dropped.
    """
    # Imported here: its word lists cost every process that starts Django
    # (the admin imports this module) a fifth of a second.
    from wordfreq import zipf_frequency

    typed = set(words_of(POSTCODE.sub(" ", EMAIL.sub(" ", query.text))))
    candidates = [
        word
        for word in query.words
        if word in typed and not any(character.isdigit() for character in word)
    ]
    rare = {w for w in candidates if zipf_frequency(w, "en") < COMMON_ENGLISH}
    known = backends.get_backend().known(rare) if rare else set()
    return [word for word in candidates if word not in rare or word in known]


def record(query):
    words = " ".join(kept_words(query))[:MAX_WORDS]
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
