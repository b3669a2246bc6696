"""Published changes readers can follow: the "What's changed" page and
"Last updated" dates. A change counts when an editor gave it a change note,
and no published revert has since undone it."""

import datetime

from django.db.models import CharField, Max, Value
from django.utils import timezone

from .history import RECOVERED
from .models import Status
from .reverts import not_undone


def noted_changes(model, since=None):
    """History rows of ``model`` published with a change note, for live items."""
    records = (
        model.history.filter(status=Status.PUBLISHED, history_type__in=["+", "~"])
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        # Bringing back a deleted item changes nothing readers had read.
        .exclude(history_change_reason__startswith=RECOVERED)
        .filter(id__in=model.objects.published().values("pk"))
    )
    # A change a revert undid is not announced, nor the revert that undid it.
    records = not_undone(records, model)
    if since is not None:
        records = records.filter(history_date__date__gte=since)
    return records


def published_changes(models, since=None):
    """Noted changes to every model in ``models``, newest first, with their items.

    One UNION query for the notes and one query per kind of item that has any,
    so the page costs the same however long the history grows.
    """
    by_label = {model._meta.label_lower: model for model in models}
    queries = [
        noted_changes(model, since)
        .order_by()
        .values_list("id", "history_date", "history_change_reason")
        .annotate(kind=Value(label, output_field=CharField()))
        for label, model in by_label.items()
    ]
    if not queries:
        return []
    rows = sorted(
        queries[0].union(*queries[1:], all=True),
        key=lambda row: row[1],
        reverse=True,
    )
    items = {}
    for label in {row[3] for row in rows}:
        ids = {row[0] for row in rows if row[3] == label}
        items[label] = by_label[label].objects.published().select_related().in_bulk(ids)
    return [
        {
            "date": date,
            "note": note,
            "item": items[label][pk],
            "kind": by_label[label]._meta.verbose_name,
        }
        for pk, date, note, label in rows
        if pk in items[label]
    ]


def last_changed(*querysets):
    """The latest date among noted changes in the given history querysets.

    One query however many kinds are asked about: each gives its latest date
    (grouped by status, which noted changes share), joined by UNION.
    """
    latest = [
        qs.order_by().values("status").annotate(latest=Max("history_date"))
        .values_list("latest", flat=True)
        for qs in querysets
    ]  # fmt: skip
    if not latest:
        return None
    union = latest[0].union(*latest[1:], all=True) if len(latest) > 1 else latest[0]
    return max((d for d in union if d is not None), default=None)


def with_last_changed(model, items):
    """Give each item ``last_changed``: the date of its latest noted change."""
    changed = dict(
        noted_changes(model)
        .order_by()
        .values("id")
        .annotate(latest=Max("history_date"))
        .values_list("id", "latest")
    )
    for item in items:
        item.last_changed = changed.get(item.pk)
    return items


def page_dates(item, changed=(), *, published=None, reviewed=None, review_due=None):
    """The dates shown under a page's title: only dates something recorded.

    ``published``: a date an editor gave; else when the item was first
    published on this site (``published_at``: none for loaded content).
    "Last updated" is the latest of ``changed`` (noted changes, as datetimes, or
    dates an editor gave), so an edit without a change note dates nothing.
    """
    if published is None and getattr(item, "published_at", None):
        published = timezone.localdate(item.published_at)
    updated = [
        timezone.localdate(d) if isinstance(d, datetime.datetime) else d
        for d in changed
        if d
    ]
    return {
        "published": published,
        "updated": max(updated, default=None),
        "reviewed": reviewed,
        "review_due": review_due,
    }
