"""Small questions about an item's history, shared by the admin and the site."""

from django.utils import timezone

# The start of the note on each item a recovery brings back: "Recovered by sam".
RECOVERED = "Recovered by "


def is_publishable(model):
    return any(f.name == "status" for f in model._meta.concrete_fields)


def latest_record(obj):
    if not hasattr(type(obj), "history") or obj.pk is None:
        return None
    return obj.history.order_by("-history_id").first()


def ensure_baseline(obj):
    """Record the stored version of ``obj`` before its first recorded change.

    Content loaded from fixtures has no history (loaddata saves raw), and a revert
    needs the version that was there before the first edit.
    """
    model = type(obj)
    if obj.pk is None or obj.history.exists():
        return
    stored = model._default_manager.filter(pk=obj.pk).first()
    if stored is not None:
        model.history.bulk_history_create(
            [stored],
            default_change_reason="",
            default_date=getattr(stored, "published_at", None) or timezone.now(),
        )
