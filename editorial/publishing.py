"""Publish and Unpublish outside a request: what the admin's buttons do, for
run_due_jobs' scheduled go-live and expiry times.

Publishing makes the waiting draft (if any) live with its change note, so the
history, "What's changed" and the content version move exactly as when an
editor presses Publish.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from . import reverts
from .history import ensure_baseline
from .models import EditorNotice, PendingChange, Status


def publish(obj, user, note=""):
    """Make ``obj`` (with its waiting draft) live; False if there was nothing to do."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    pending = PendingChange.objects.for_object(obj)
    if pending is None and obj.is_published:
        return False
    if pending is not None:
        pending.apply_to(obj)
        note = pending.change_note or note
    ensure_baseline(obj)
    obj.status = Status.PUBLISHED
    obj._change_reason = note or None
    obj._history_user = user
    obj.save()
    for name, values in getattr(obj, "_pending_m2m", {}).items():
        getattr(obj, name).set(values)
    if pending is not None:
        PendingChange.settle(obj, PendingChange.State.LIVE, user)
        reverts.went_live(obj, pending)
    forget_notice(obj)
    _log(user, obj, "Published at its go-live time.")
    return True


def unpublish(obj, user):
    """Take ``obj`` offline as Unpublish does; False if it was not published."""
    live = type(obj)._default_manager.get(pk=obj.pk)
    if not live.is_published:
        return False
    ensure_baseline(live)
    live.status = Status.DRAFT
    live._change_reason = "Unpublished"
    live._history_user = user
    live.save()
    _log(user, live, "Unpublished at its expiry time.")
    return True


def forget_notice(obj):
    """The draft the editors were told about is settled: a new one is news again."""
    EditorNotice.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).delete()


def _log(user, obj, message):
    if user is None:
        return
    LogEntry.objects.log_actions(
        user.pk, [obj], CHANGE, change_message=message, single_object=True
    )
