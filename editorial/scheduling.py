"""Go-live and expiry times: set on the change form, run by run_due_jobs."""

import logging

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from . import publishing
from .history import is_publishable
from .models import PendingChange, ScheduledChange
from .roles import can_publish
from .saving import edit_of
from .views import pk_or_404

log = logging.getLogger(__name__)
FIELDS = {
    "go_live_at": ScheduledChange.Action.PUBLISH,
    "expires_at": ScheduledChange.Action.UNPUBLISH,
}


def _when(label, help_text):
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=help_text,
    )


class ScheduleFields(forms.Form):
    """The change form's "Go live at" and "Expires at" (editors only)."""

    go_live_at = _when(
        "Go live at",
        "Publish this draft (with its change note) at this time, as if you pressed "
        "Publish then. Leave empty to publish by hand.",
    )
    expires_at = _when(
        "Expires at",
        "Unpublish it at this time, as if you pressed Unpublish then. Leave "
        "empty to keep it up.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            for change in pending_for(instance):
                for name, action in FIELDS.items():
                    if change.action == action and name in self.fields:
                        self.fields[name].initial = timezone.localtime(change.due_at)

    def clean(self):
        cleaned = super().clean()
        now = timezone.now()
        for name in FIELDS:
            value = cleaned.get(name)
            if value is not None and name in self.changed_data and value <= now:
                self.add_error(name, "Choose a time in the future.")
        go_live, expires = cleaned.get("go_live_at"), cleaned.get("expires_at")
        if go_live and expires and expires <= go_live:
            self.add_error("expires_at", "Choose a time after it goes live.")
        return cleaned


def pending_for(obj):
    return ScheduledChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        done_at__isnull=True,
        cancelled_at__isnull=True,
    )


def save_schedule(obj, cleaned, note, user):
    """Keep the form's times: a changed or emptied time replaces the old one."""
    for name, action in FIELDS.items():
        if name not in cleaned:
            continue
        value = cleaned[name]
        current = pending_for(obj).filter(action=action).first()
        draft = PendingChange.objects.for_object(obj)
        if current is not None and current.due_at == value:
            # Saved again by an editor: this draft and note are what goes live.
            current.change_note = note or current.change_note
            current.draft = draft
            current.save(update_fields=["change_note", "draft_id"])
            continue
        if current is not None:
            current.cancelled_at = timezone.now()
            current.save(update_fields=["cancelled_at"])
        if value is not None:
            ScheduledChange.objects.create(
                item=obj, action=action, due_at=value, change_note=note or "",
                created_by=user, draft=draft,
            )  # fmt: skip


def run_due(now=None):
    """Publish or unpublish every item whose time has come; returns how many.

    Each row is claimed by marking it done in the same transaction as the
    publish, so a second node (or a second run) never does it twice.
    """
    now = now or timezone.now()
    done = 0
    due = ScheduledChange.objects.filter(
        due_at__lte=now, done_at__isnull=True, cancelled_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(due):
        try:
            with transaction.atomic():
                claimed = ScheduledChange.objects.filter(pk=pk, done_at__isnull=True)
                if not claimed.update(done_at=timezone.now()):
                    continue  # another node took it
                change = ScheduledChange.objects.select_related("created_by").get(pk=pk)
                change.outcome = _apply(change)
                change.save(update_fields=["outcome"])
                done += change.outcome in ("Published", "Unpublished")
        except Exception as error:
            # Said in the item's history, not retried every minute.
            log.exception("Scheduled change %s failed", pk)
            ScheduledChange.objects.filter(pk=pk, done_at__isnull=True).update(
                done_at=timezone.now(), outcome=f"Failed: {error}"[:200]
            )
    return done


def _apply(change):
    model = change.content_type.model_class()
    obj = model._default_manager.filter(pk=change.object_id).first()
    if obj is None:
        return "The item no longer exists"
    if change.action == ScheduledChange.Action.PUBLISH:
        waiting = PendingChange.objects.for_object(obj)
        if change.draft_id is not None and (
            waiting is None or waiting.pk != change.draft_id
        ):
            return "Not published: the draft was changed or discarded after the time was set"
        went = publishing.publish(obj, change.created_by, change.change_note)
        return "Published" if went else "Already live, with no draft waiting"
    went = publishing.unpublish(obj, change.created_by)
    return "Unpublished" if went else "Already offline"


class SchedulingAdmin:
    """Admin mixin: the schedule fields for editors, in a fieldset of their own."""

    def _schedules(self, request):
        return (
            is_publishable(self.model)
            and can_publish(request.user)
            and not edit_of(request).reverting
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._schedules(request) and kwargs.get("fields") is not None:
            kwargs["fields"] = [f for f in kwargs["fields"] if f not in FIELDS]
        form = super().get_form(request, obj, change=change, **kwargs)
        if not self._schedules(request):
            # A declared field set to None is left out of the form.
            form = type(form.__name__, (form,), dict.fromkeys(FIELDS))
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in FIELDS],
                },
            )
            for name, options in super().get_fieldsets(request, obj)
        ]
        if self._schedules(request):
            fieldsets.append(
                (
                    "Schedule",
                    {
                        "fields": list(FIELDS),
                        "description": "Times are UK time. run_due_jobs publishes or "
                        "unpublishes the item within a minute of the time.",
                    },
                )
            )
        return fieldsets

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if self._schedules(request) and obj.pk is not None:
            note = form.cleaned_data.get("change_note", "")
            save_schedule(obj, form.cleaned_data, note, request.user)

    def history_view(self, request, object_id, extra_context=None):
        obj = None
        if is_publishable(self.model):
            pk = pk_or_404(self.model, object_id)
            obj = self.model._default_manager.filter(pk=pk).first()
        if obj is not None:
            schedule = ScheduledChange.objects.filter(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
            ).select_related("created_by")
            extra_context = {**(extra_context or {}), "scheduled_changes": schedule}
        return super().history_view(request, object_id, extra_context)
