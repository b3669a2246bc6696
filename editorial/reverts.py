"""Honest reverts: a revert is a draft of the old version, or published with a
note, and "What's changed" stops announcing the changes it undid."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import date_format

from .models import Reversal

# The start of every revert's note in the history: "Reverted to the version
# of 3 December 2026 by sam". Readers are not told about it: what it brings
# back is what they read before.
REVERTED = "Reverted to the version of "


def note(version):
    """The history's words for bringing back ``version`` (a historical record)."""
    when = date_format(timezone.localtime(version.history_date), "j F Y, H:i")
    if version.history_user is None:  # loaded with the content, by no one here
        return f"{REVERTED}{when} (as loaded from the source)"
    return f"{REVERTED}{when} by {version.history_user.get_username()}"


def with_note(version, editors_note):
    words = note(version)
    return f"{words}. {editors_note}" if editors_note else words


def record(obj, undone_after):
    """The revert of ``obj`` to its version of ``undone_after`` is live now."""
    Reversal.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        undone_after=undone_after,
        undone_at=timezone.now(),
    )


def went_live(obj, pending):
    """A published draft that was a revert undoes what came after its version."""
    if pending is not None and pending.reverts_to is not None:
        record(obj, pending.reverts_to)


def not_undone(records, model):
    """History ``records`` of ``model`` less the changes a live revert undid."""
    opts = model._meta
    undone = Reversal.objects.filter(
        content_type__app_label=opts.app_label,
        content_type__model=opts.model_name,
        object_id=Cast(
            OuterRef("id"), output_field=Reversal._meta.get_field("object_id")
        ),
        undone_after__lt=OuterRef("history_date"),
        undone_at__gte=OuterRef("history_date"),
    )
    return records.exclude(Exists(undone)).exclude(
        history_change_reason__startswith=REVERTED
    )
