"""Admin mixin for drafts: Save draft, Publish, Unpublish and Discard draft.

A save of a live item that is not a Publish keeps a draft revision
(``editorial.drafts``); readers keep the live version until it is published.
What a save did is the request's ``Edit.outcome`` (``editorial.saving``).
"""

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from . import drafts
from .admin_forms import EditorialForm, EditorialInlineFormSet
from .admin_urls import admin_path
from .history import ensure_baseline, is_publishable
from .models import PendingChange, Status
from .roles import can_publish
from .saving import Outcome, edit_of

MESSAGES = {
    Outcome.DRAFT_OF_LIVE: "Draft saved. Readers still see the published version.",
    Outcome.DRAFT_SAVED: "Draft saved. Readers cannot see it until it is published.",
}


class DraftsAdmin:
    # Showing --------------------------------------------------------------------
    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and is_publishable(self.model):
            pending = PendingChange.objects.for_object(obj)
            if pending is not None:
                pending.apply_to(obj)
        return obj

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_publishable(self.model):
            # Shown, never chosen: Publish and Unpublish are what change it.
            fields += ["status", "published_at"]
        return fields

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = context.get("original")
        publishable = is_publishable(self.model)
        context["publishable"] = publishable and not context.get("reverting")
        context["can_publish"] = can_publish(request.user)
        if obj is not None and obj.pk is not None:
            draft = getattr(obj, "_pending_change", None)
            context["pending_change"] = draft
            context["is_draft"] = getattr(obj, "is_draft", False)
            context["is_live"] = publishable and drafts.is_live(obj)
            context["can_discard"] = draft is not None and drafts.can_discard(
                request.user, draft
            )
            context["discard_url"] = self._url("discard_draft_change", obj)
            context["unpublish_url"] = self._url("unpublish", obj)
        return super().render_change_form(request, context, add, change, **kwargs)

    def _url(self, name, obj=None):
        return reverse(
            admin_urlname(self.opts, name), args=[] if obj is None else [obj.pk]
        )

    # Saving ---------------------------------------------------------------------
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if edit_of(request).publish and not can_publish(request.user):
            raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def keeps_a_draft(self, request, obj):
        """True when this save leaves the live item alone and keeps a draft."""
        edit = edit_of(request)
        if edit.keeps_a_draft is None:
            edit.keeps_a_draft = (
                is_publishable(self.model)
                and not edit.publish
                and not edit.reverting
                and drafts.is_live(obj)
            )
        return edit.keeps_a_draft

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.formset, EditorialInlineFormSet):
            kwargs["draft_of_live_parent"] = (
                request.method == "POST"
                and not edit_of(request).previewing
                and self.keeps_a_draft(request, obj)
            )
        return kwargs

    def save_model(self, request, obj, form, change):
        if not isinstance(form, EditorialForm):
            return self.save_reorder(request, obj, form)
        edit = edit_of(request)
        obj._change_reason = form.cleaned_data.get("change_note", "") or None
        edit.outcome = None
        if is_publishable(self.model) and edit.reverting:
            # A revert brings back the content, not the status it had then:
            # Publish and Unpublish are what take an item on or offline.
            stored = drafts.stored_copy(obj)
            if stored is not None:
                obj.status = stored.status
        elif is_publishable(self.model):
            if self.keeps_a_draft(request, obj):
                drafts.save_draft_revision(obj, form, request.user)
                edit.outcome = Outcome.DRAFT_OF_LIVE
                return None
            edit.outcome = Outcome.WENT_LIVE if edit.publish else Outcome.DRAFT_SAVED
            obj.status = Status.PUBLISHED if edit.publish else Status.DRAFT
        if change:
            ensure_baseline(obj)
        super().save_model(request, obj, form, change)
        if change and edit.outcome is not None:
            # The waiting draft (if any) is what this form showed and saved.
            state = PendingChange.State
            went = state.LIVE if edit.outcome == Outcome.WENT_LIVE else state.APPLIED
            PendingChange.settle(obj, went, request.user)
        return None

    def save_reorder(self, request, obj, form):
        """A change from the list's editable columns (a new position)."""
        if is_publishable(self.model) and not can_publish(request.user):
            if drafts.is_live(obj):
                drafts.reorder_as_draft(obj, form.changed_data, request.user)
                return
            obj.status = Status.DRAFT
        ensure_baseline(obj)
        obj.save()
        drafts.keep_reorder_in_draft(obj, form.changed_data)

    def save_related(self, request, form, formsets, change):
        if edit_of(request).outcome == Outcome.DRAFT_OF_LIVE:
            return
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        note = form.cleaned_data.get("change_note") or None
        contributor = not can_publish(request.user)
        for inline_form in formset.forms:
            child = inline_form.instance
            child._change_reason = note
            if child.pk is not None and hasattr(child, "history"):
                ensure_baseline(child)
            if contributor and child._state.adding and is_publishable(formset.model):
                child.status = Status.DRAFT
        super().save_formset(request, form, formset, change)
        if is_publishable(formset.model):
            for child in formset.changed_objects:
                drafts.keep_reorder_in_draft(*child)

    # Saying what happened -------------------------------------------------------
    def construct_change_message(self, request, form, formsets, add=False):
        if edit_of(request).outcome == Outcome.DRAFT_OF_LIVE:
            return "Saved a draft revision; readers still see the published version."
        return super().construct_change_message(request, form, formsets, add)

    def response_add(self, request, obj, post_url_continue=None):
        if self._answers_as_editorial(request):
            return self.editorial_response(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self._answers_as_editorial(request):
            return self.editorial_response(request, obj)
        return super().response_change(request, obj)

    def _answers_as_editorial(self, request):
        return edit_of(request).outcome is not None and IS_POPUP_VAR not in request.POST

    def editorial_response(self, request, obj):
        """Say plainly what happened; drafts stay on their form, published go back
        to the list."""
        outcome = edit_of(request).outcome
        if outcome == Outcome.WENT_LIVE:
            self.message_user(
                request, "Published. Readers now see this version.", messages.SUCCESS
            )
            return HttpResponseRedirect(self._url("changelist"))
        message = MESSAGES[outcome]
        if outcome == Outcome.DRAFT_OF_LIVE and not can_publish(request.user):
            message += " An editor will publish it."
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self._url("change", obj))

    # Discard and Unpublish ------------------------------------------------------
    def get_urls(self):
        return [
            admin_path(
                self,
                "<path:object_id>/discard-draft-change/",
                self.discard_view,
                "discard_draft_change",
            ),
            admin_path(
                self, "<path:object_id>/unpublish/", self.unpublish_view, "unpublish"
            ),
            *super().get_urls(),
        ]

    def get_object_or_404(self, request, object_id):
        # The admin's get_object answers None for an id of the wrong type.
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with id “{object_id}”.")
        return obj

    def discard_view(self, request, object_id):
        """Discard the waiting draft: kept in history, marked discarded."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object_or_404(request, object_id)
        draft = getattr(obj, "_pending_change", None)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if draft is not None:
            if not drafts.can_discard(request.user, draft):
                raise PermissionDenied
            draft.resolve(PendingChange.State.DISCARDED, request.user)
            message = "Draft discarded. The form shows the published version again."
        else:
            message = "There was no draft to discard."
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self._url("change", obj))

    def unpublish_view(self, request, object_id):
        """Ask first, naming the pages that show the item; then take it offline."""
        if not is_publishable(self.model):
            raise Http404
        obj = self.get_object_or_404(request, object_id)
        if not can_publish(request.user) or not self.has_change_permission(
            request, obj
        ):
            raise PermissionDenied
        change_url = self._url("change", obj)
        live = drafts.stored_copy(obj)
        if not live.is_published:
            self.message_user(request, "This is not published.", messages.INFO)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            self._unpublish(request, live)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Unpublish “{live}”?",
            "object": live,
            "pages": drafts.pages_linking_to(live),
            "change_url": change_url,
        }
        return TemplateResponse(request, "editorial/admin/unpublish.html", context)

    def _unpublish(self, request, live):
        ensure_baseline(live)
        live.status = Status.DRAFT
        live._change_reason = "Unpublished"
        live._history_user = request.user
        live.save()
        self.log_change(request, live, "Unpublished.")
        self.message_user(
            request,
            "Unpublished. Readers can no longer see it; it is kept as a draft "
            "and can be published again.",
            messages.SUCCESS,
        )
