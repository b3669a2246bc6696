"""Admin mixin for honest reverts.

Reverting a published item keeps the old version as a draft (readers keep the
live one until it is published), or, with Publish, makes it live at once. The
history says "Reverted to the version of DATE by NAME", and once it is live
"What's changed" stops announcing the changes it undid (``editorial.reverts``).
"""

from django.contrib import messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse

from . import drafts, reverts
from .history import is_publishable
from .models import PendingChange
from .roles import can_publish
from .saving import Outcome, wants_publish
from .views import pk_or_404


class RevertAdmin:
    object_history_form_template = "editorial/admin/object_history_form.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if wants_publish(request) and not can_publish(request.user):
            raise PermissionDenied
        version = (
            self.model.history.filter(
                id=pk_or_404(self.model, object_id),
                history_id=pk_or_404(self.model.history.model, version_id),
            )
            .select_related("history_user")
            .first()
        )
        if version is not None and is_publishable(self.model):
            request._reverted_version = version
            live = drafts.is_live(version.instance)
            extra_context = {
                **(extra_context or {}),
                "revert_note": reverts.note(version),
                "revert_live": live,
                "can_publish": can_publish(request.user),
            }
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        version = getattr(request, "_reverted_version", None)
        if version is None or "change_note" not in form.cleaned_data:
            pending = getattr(obj, "_pending_change", None)
            super().save_model(request, obj, form, change)
            if getattr(obj, "_outcome", None) == Outcome.WENT_LIVE:
                # Publishing a revert kept as a draft makes the revert live.
                reverts.went_live(obj, pending)
            return None
        note = reverts.with_note(version, form.cleaned_data.get("change_note", ""))
        form.cleaned_data["change_note"] = note
        if drafts.is_live(obj) and not wants_publish(request):
            pending = drafts.save_draft_revision(obj, form, request.user)
            pending.reverts_to = version.history_date
            pending.save(update_fields=["reverts_to"])
            # The draft keeps the old choices; the live item keeps its own.
            form.save_m2m = lambda: None
            obj._outcome = Outcome.DRAFT_OF_LIVE
            return None
        super().save_model(request, obj, form, change)
        live = obj.is_published
        obj._outcome = Outcome.WENT_LIVE if live else Outcome.DRAFT_SAVED
        # What waited as a draft is replaced by the version brought back.
        PendingChange.settle(obj, PendingChange.State.REPLACED, request.user)
        if live:
            reverts.record(obj, version.history_date)
        return None

    def _editorial_response(self, request, obj):
        version = getattr(request, "_reverted_version", None)
        if version is None:
            return super()._editorial_response(request, obj)
        change_url = reverse(admin_urlname(self.opts, "change"), args=[obj.pk])
        words = reverts.note(version)
        if obj._outcome == Outcome.DRAFT_OF_LIVE:
            message = (
                f"{words}, as a draft. Readers still see the published version "
                "until it is published."
            )
        elif obj._outcome == Outcome.WENT_LIVE:
            message = f"{words}, and published. Readers now see that version."
        else:
            message = f"{words}. It is still a draft: readers cannot see it."
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(change_url)
