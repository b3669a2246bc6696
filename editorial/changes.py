"""Published changes readers can follow: the "What's changed" page and
"Last updated" dates. A change counts when an editor gave it a change note."""

from django.db.models import CharField, Value


def noted_changes(model, since=None):
    """History rows of ``model`` published with a change note, for live items."""
    records = (
        model.history.filter(status="published", history_type__in=["+", "~"])
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .filter(id__in=model.objects.published().values("pk"))
    )
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
    """The latest date among noted changes in the given history querysets."""
    dates = [
        qs.order_by("-history_date").values_list("history_date", flat=True).first()
        for qs in querysets
    ]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None
