"""The weekly digest an editor can ask for: feedback counts by page, searches
that newly passed the report's privacy threshold, and broken resource links.

Nothing a reader typed goes in it: pages are named by their titles from the
database (an address that names no page is counted under "Other pages"),
searches only by the normalised words the no-results report already shows,
and feedback comments not at all.
"""

import datetime

from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from editorial import mail
from editorial.content import content_models
from editorial.history import is_publishable
from editorial.models import EmailPreference
from feedback.models import Feedback
from search import report
from search.models import NoResultSearch

from .links import broken

WEEK = datetime.timedelta(days=7)
OTHER_PAGES = "Other pages"


def page_titles():
    """{address: title} of every published page an item has."""
    titles = {"/": "Home page"}
    for model in content_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        items = (
            model.objects.published() if is_publishable(model) else model.objects.all()
        )
        for item in items:
            path, _, anchor = item.get_absolute_url().partition("#")
            if not anchor:
                titles.setdefault(path, str(item))
    return titles


def feedback_by_page(since):
    titles = page_titles()
    rows = (
        Feedback.objects.filter(day__gte=since)
        .values("path")
        .annotate(
            yes=Count("pk", filter=Q(useful=True)),
            no=Count("pk", filter=Q(useful=False)),
        )
    )
    pages = {}
    for row in rows:
        title = titles.get(row["path"], OTHER_PAGES)
        page = pages.setdefault(title, {"title": title, "yes": 0, "no": 0})
        page["yes"] += row["yes"]
        page["no"] += row["no"]
    return sorted(
        pages.values(), key=lambda p: (p["title"] == OTHER_PAGES, -p["no"], p["title"])
    )


def new_searches(since):
    """Searches shown in the report now that were not shown before ``since``."""
    before = dict(
        NoResultSearch.objects.filter(day__lt=since)
        .values("words")
        .annotate(total=Sum("count"))
        .values_list("words", "total")
    )
    return [
        {"words": words, "count": total}
        for words, total, _ in report.shown()
        if before.get(words, 0) < report.SHOWN_FROM
    ]


def build(now=None):
    now = now or timezone.now()
    since = timezone.localdate(now - WEEK)
    return {
        "since": since,
        "feedback": feedback_by_page(since),
        "searches": new_searches(since),
        "broken_links": [
            {
                "name": check.resource.name,
                "url": check.url,
                "problem": check.problem or f"Answered {check.status_code}",
                "admin_url": mail.admin_link(
                    reverse(
                        admin_urlname(check.resource._meta, "change"),
                        args=[check.resource.pk],
                    )
                ),
            }
            for check in broken()
        ],
        "feedback_url": mail.admin_link(reverse("admin:feedback_feedback_changelist")),
        "searches_url": mail.admin_link(
            reverse("admin:search_noresultsearch_changelist")
        ),
    }


def send(now=None):
    """Send the digest to each editor who asked for it, at most once a week each."""
    now = now or timezone.now()
    wanted = EmailPreference.objects.filter(
        weekly_digest=True, user__is_active=True, user__is_staff=True
    ).exclude(user__email="")
    context = None
    sent = 0
    due = Q(digest_sent_at__isnull=True) | Q(
        digest_sent_at__lte=now - WEEK + datetime.timedelta(hours=1)
    )
    for preference in wanted.filter(due).select_related("user"):
        previous = preference.digest_sent_at
        # Claimed by marking it sent: a second node finds it done.
        claimed = EmailPreference.objects.filter(due, pk=preference.pk).update(
            digest_sent_at=now
        )
        if not claimed:
            continue
        context = context or build(now)
        user = preference.user
        try:
            mail.send(
                [user.email],
                "upkeep/email/weekly_digest",
                {**context, "name": user.get_full_name() or user.get_username()},
            )
        except Exception:
            EmailPreference.objects.filter(pk=preference.pk).update(
                digest_sent_at=previous
            )
            raise
        sent += 1
    return sent
