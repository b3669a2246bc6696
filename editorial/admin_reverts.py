"""Admin mixin for honest reverts.

Reverting a published item keeps the old version as a draft (readers keep the
live one until it is published), or, with Publish, makes it live at once. The
history says "Reverted to the version of DATE by NAME", and once it is live
"What's changed" stops announcing the changes it undid (``editorial.reverts``).
Only those allowed to revert may; a version whose parent was deleted says so.
"""

from django.contrib import messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from . import drafts, reverts
from .history import is_publishable
from .models import PendingChange
from .roles import can_publish, can_revert
from .saving import Outcome, edit_of
from .views import pk_or_404


class RevertAdmin:
    object_history_form_template = "editorial/admin/object_history_form.html"

    def revert_disabled(self, request, obj=None):
        return not can_revert(request.user) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        edit = edit_of(request)
        if edit.publish and not can_publish(request.user):
            raise PermissionDenied
        object_id = pk_or_404(self.model, object_id)
        version_id = pk_or_404(self.model.history.model, version_id)
        if request.method == "POST" and not can_revert(request.user):
            raise PermissionDenied
        version = get_object_or_404(
            self.model.history.select_related("history_user"),
            id=object_id,
            history_id=version_id,
        )
        if request.method == "GET":
            self._warn_of_missing_parents(request, version)
        edit.reverting_to = version
        extra_context = {**(extra_context or {}), "reverting": True}
        if is_publishable(self.model):
            extra_context["revert_note"] = reverts.note(version)
            extra_context["revert_live"] = drafts.is_live(version.instance)
            extra_context["can_publish"] = can_publish(request.user)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _warn_of_missing_parents(self, request, version):
        missing = missing_parents(version.instance)
        if missing:
            messages.warning(
                request,
                "This version belongs to "
                + ", ".join(missing)
                + ", which has since been deleted. Recover it first (its list "
                "has “Deleted items”), or choose another version.",
            )

    def save_model(self, request, obj, form, change):
        edit = edit_of(request)
        version = edit.reverting_to
        if (
            version is None
            or not is_publishable(self.model)
            or "change_note" not in form.cleaned_data
        ):
            waiting = getattr(obj, "_pending_change", None)
            super().save_model(request, obj, form, change)
            if edit.outcome == Outcome.WENT_LIVE:
                # Publishing a revert kept as a draft makes the revert live.
                reverts.went_live(obj, waiting)
            return
        note = reverts.with_note(version, form.cleaned_data.get("change_note", ""))
        form.cleaned_data["change_note"] = note
        if drafts.is_live(obj) and not edit.publish:
            pending = drafts.save_draft_revision(obj, form, request.user)
            pending.reverts_to = version.history_date
            pending.save(update_fields=["reverts_to"])
            # The draft keeps the old choices; the live item keeps its own.
            form.save_m2m = lambda: None
            edit.outcome = Outcome.DRAFT_OF_LIVE
            return
        super().save_model(request, obj, form, change)
        edit.outcome = Outcome.WENT_LIVE if obj.is_published else Outcome.DRAFT_SAVED
        # What waited as a draft is replaced by the version brought back.
        PendingChange.settle(obj, PendingChange.State.REPLACED, request.user)
        if obj.is_published:
            reverts.record(obj, version.history_date)

    def editorial_response(self, request, obj):
        edit = edit_of(request)
        if edit.reverting_to is None or not is_publishable(self.model):
            return super().editorial_response(request, obj)
        words = reverts.note(edit.reverting_to)
        if edit.outcome == Outcome.DRAFT_OF_LIVE:
            message = (
                f"{words}, as a draft. Readers still see the published version "
                "until it is published."
            )
        elif edit.outcome == Outcome.WENT_LIVE:
            message = f"{words}, and published. Readers now see that version."
        else:
            message = f"{words}. It is still a draft: readers cannot see it."
        self.message_user(request, message, messages.SUCCESS)
        change_url = reverse(admin_urlname(self.opts, "change"), args=[obj.pk])
        return HttpResponseRedirect(change_url)


def missing_parents(obj):
    """Names of the items ``obj`` points at that no longer exist."""
    missing = []
    for field in obj._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        value = getattr(obj, field.attname)
        if value is None or field.related_model._meta.label == "auth.User":
            continue
        if not field.related_model._default_manager.filter(pk=value).exists():
            missing.append(f"a {field.related_model._meta.verbose_name} (id {value})")
    return missing
