"""Published changes readers can follow: the "What's changed" page and
"Last updated" dates. A change counts when an editor gave it a change note,
and no published revert has since undone it."""

import datetime
from functools import lru_cache

from django.db import connections
from django.db.models import CharField, Max, OuterRef, Subquery, Value
from django.utils import timezone

from .content import content_of
from .history import RECOVERED, is_publishable
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


def with_last_changed(model, items):
    """Give each item ``last_changed``: the date of its latest noted change, or
    of one to what it shows with it (``Content.rolls_up``)."""
    latest = latest_changes({model: [item.pk for item in items]})
    for item in items:
        item.last_changed = latest.get((model, item.pk))
    return items


def latest_changes(ids_by_model):
    """{(model, id): date of the item's latest noted change, counting what it
    rolls up}, for the ids given of each model.

    One UNION query however many items and kinds: a part for each model's own
    changes and one for each lookup it rolls up.
    """
    asked = tuple(
        (model, tuple(sorted(ids))) for model, ids in ids_by_model.items() if ids
    )
    found = _latest_query(asked)
    if found is None:
        return {}
    alias, sql, params, by_label = found
    connection = connections[alias]
    # What the ORM would do with the dates: SQLite returns text.
    as_datetime = getattr(connection.ops, "convert_datetimefield_value", None)
    latest = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, date, label in cursor.fetchall():
            if as_datetime is not None:
                date = as_datetime(date, None, connection)
            key = (by_label[label], pk)
            if date is not None and (key not in latest or latest[key] < date):
                latest[key] = date
    return latest


# The SQL of the query above, per models and ids asked: building it through the
# ORM (a subquery for every revert and roll-up) took half of a cold practice
# point page (about 50 ms), and it only changes when the ids do. Nothing in it
# depends on the time or the request.
@lru_cache(maxsize=256)
def _latest_query(asked):
    """(database alias, SQL, params, {label: model}) for ``asked``, or None."""
    by_label = {model._meta.label_lower: model for model, _ in asked}
    parts = []
    for model, ids in asked:
        if not is_publishable(model):
            continue  # no drafts, so no noted changes (organisations)
        own = (
            noted_changes(model)
            .filter(id__in=ids)
            .order_by()
            .values("id")
            .annotate(latest=Max("history_date"))
            .values_list("id", "latest")
        )
        rolled = [_rolled_up(model, ids, lookup) for lookup in _rolls_up(model)]
        label = model._meta.label_lower
        parts += [
            part.annotate(kind=Value(label, output_field=CharField()))
            for part in (own, *rolled)
        ]
    if not parts:
        return None
    union = parts[0].union(*parts[1:], all=True)
    sql, params = union.query.sql_with_params()
    return union.db, sql, params, by_label


def _rolls_up(model):
    """The lookups whose models have noted changes, of those ``model`` rolls up."""
    content = content_of(model)
    found = []
    for lookup in content.rolls_up if content else ():
        related = model
        for name in lookup.split("__"):
            related = related._meta.get_field(name).related_model
        if is_publishable(related):
            found.append((lookup, related))
    return found


def _rolled_up(model, ids, rolled):
    """(item id, latest noted change of one item at ``lookup``) rows."""
    lookup, related = rolled
    latest = (
        noted_changes(related)
        .filter(id=OuterRef(f"{lookup}__pk"))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    return (
        model._default_manager.filter(pk__in=ids, **{f"{lookup}__isnull": False})
        .order_by()
        .annotate(latest=Subquery(latest))
        .values_list("pk", "latest")
    )


def shown_with(item):
    """(model, id) of ``item`` and of every item its page shows with it
    (``Content.rolls_up``), from rows already fetched (prefetch them)."""
    shown = {(type(item), item.pk)}
    content = content_of(type(item))
    for lookup in content.rolls_up if content else ():
        found = [item]
        for name in lookup.split("__"):
            found = [row for parent in found for row in getattr(parent, name).all()]
        shown |= {(type(row), row.pk) for row in found}
    return shown


def published_on(item, given=None):
    """The day an item counts as published: ``given`` (a date an editor gave),
    else the day it first went live on this site (none for loaded content)."""
    if given is None and getattr(item, "published_at", None):
        return timezone.localdate(item.published_at)
    return given


def page_dates(item, changed=(), *, published=None, reviewed=None, review_due=None):
    """The dates shown under a page's title: only dates something recorded.

    ``published``: a date an editor gave; else when the item was first
    published on this site (``published_at``: none for loaded content).
    "Last updated" is the latest of ``changed`` (noted changes, as datetimes, or
    dates an editor gave), so an edit without a change note dates nothing.
    """
    published = published_on(item, published)
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
