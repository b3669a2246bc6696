"""Saves that would overwrite someone else's newer edit are refused.

An item's form and each of its inline rows carry, in a hidden field, the
version they were opened at. When a row (or the item) has been saved since,
a save that would write over it is refused with a message naming who changed
what; the editor's input stays in the form, and the hidden version moves on,
so a second, deliberate save after comparing wins (theirs stays in history).
"""

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from .history import latest_record
from .models import PendingChange

FIELD = "edit_version"
KEEP_YOURS = (
    "Nothing has been overwritten: your edits are still in this form. Compare "
    "them with the History page, then save again to keep yours (theirs stays "
    "in the history)."
)


def lock(obj):
    """Hold ``obj``'s row until this save commits (PostgreSQL).

    Two saves at the same instant would otherwise both read the old version,
    both pass, and the second silently replace the first. With the lock the
    second waits, then reads the first's version and is refused. SQLite needs
    none: its IMMEDIATE transactions already take turns for the whole save.
    """
    manager = type(obj)._base_manager.db_manager(obj._state.db)
    if transaction.get_connection(manager.db).in_atomic_block:
        list(manager.select_for_update().filter(pk=obj.pk).values_list("pk"))


def edit_version(obj):
    """Changes whenever anyone saves the item or its draft change."""
    record = latest_record(obj)
    pending = PendingChange.objects.for_object(obj) if obj.pk else None
    stamp = pending.updated_at.timestamp() if pending else 0
    return f"{record.history_id if record else 0}:{stamp:.6f}"


class VersionField(forms.CharField):
    """The hidden version a form was opened at; never a change of its own."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


def _parts(version):
    history_id, _, stamp = (version or "").partition(":")
    try:
        return int(history_id or 0), float(stamp or 0)
    except ValueError:
        return 0, 0.0


def _when(record):
    return date_format(timezone.localtime(record.history_date), "j F Y, H:i")


def _changed_fields(obj, record, seen_history_id):
    earlier = obj.history.filter(history_id=seen_history_id).first()
    if earlier is None:
        return ""
    names = record.diff_against(earlier).changed_fields
    labels = [capfirst(obj._meta.get_field(name).verbose_name) for name in names]
    return ", ".join(labels)


def what_changed(obj, seen_version, subject="this"):
    """Sentences naming who saved ``obj`` (called ``subject``) since ``seen_version``."""
    seen_history_id, seen_stamp = _parts(seen_version)
    record = latest_record(obj)
    pending = PendingChange.objects.for_object(obj)
    lines = []
    if record is not None and record.history_id != seen_history_id:
        who = record.history_user or "someone"
        note = (
            f" (“{record.history_change_reason}”)"
            if record.history_change_reason
            else ""
        )
        changed = _changed_fields(obj, record, seen_history_id)
        changed = f": they changed {changed}." if changed else "."
        lines.append(
            f"{who} saved {subject} at {_when(record)}{note} while you were "
            f"editing{changed}"
        )
    if pending is not None and pending.updated_at.timestamp() != seen_stamp:
        who = pending.created_by or "someone"
        lines.append(f"{who} saved a draft of {subject} while you were editing.")
    return lines


def conflict_message(obj, seen_version):
    return " ".join([*what_changed(obj, seen_version), KEEP_YOURS])


def _row_subject(obj):
    return f"{obj._meta.verbose_name} “{obj}”"


class ItemVersionForm:
    """An item's form mixin: a save is refused when someone saved the item (or
    its draft) after this form was opened. The form declares ``edit_version``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[FIELD].initial = edit_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or FIELD not in self.data:
            return cleaned
        lock(self.instance)
        current = edit_version(self.instance)
        theirs = cleaned.get(FIELD) or ""
        if theirs != current:
            # Keep what this editor typed; a second save (after comparing) wins.
            data = self.data.copy()
            data[self.add_prefix(FIELD)] = current
            self.data = data
            raise forms.ValidationError(conflict_message(self.instance, theirs))
        return cleaned


class InlineVersionForm(forms.ModelForm):
    """An inline row that carries the version of the child it shows."""

    edit_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[FIELD].initial = edit_version(self.instance)


def _deleted_row_message(formset, form):
    """The row's child has gone: say who deleted it, if its history knows."""
    pk = form.data.get(form.add_prefix(formset.model._meta.pk.name))
    model = formset.model
    record = None
    if hasattr(model, "history") and str(pk or "").isdigit():
        record = (
            model.history.filter(id=pk, history_type="-")
            .order_by("-history_id")
            .first()
        )
    if record is None:
        return (
            f"This {model._meta.verbose_name} was deleted while you were editing. "
            "Remove the row (or recover it from “Deleted items”) and save again."
        )
    who = record.history_user or "someone"
    return (
        f"{who} deleted {_row_subject(record.instance)} at {_when(record)} while "
        "you were editing. Remove the row (or recover it from “Deleted items”) "
        "and save again."
    )


def check_inline_rows(formset):
    """Refuse rows that would overwrite a child saved after the form was opened."""
    moved_on = {}
    for form in formset.initial_forms:
        key = form.add_prefix(FIELD)
        if key not in form.data:
            # Posted without versions (a script, or a page from before this
            # check): nothing to compare with.
            continue
        child = form.instance
        if child.pk is None:
            form.add_error(None, _deleted_row_message(formset, form))
            continue
        seen = form.data.get(key) or ""
        current = edit_version(child)
        if seen == current:
            continue
        if not (form.has_changed() or formset._should_delete_form(form)):
            continue  # this row writes nothing: their edit stays
        lines = what_changed(child, seen, _row_subject(child))
        form.add_error(None, " ".join([*lines, KEEP_YOURS]))
        moved_on[key] = current
    if moved_on:
        data = formset.data.copy()
        for key, version in moved_on.items():
            data[key] = version
        formset.data = data
        for form in formset.forms:
            form.data = data
