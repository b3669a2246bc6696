"""The admin every content model shares: history and revert, change notes, roles,
Save draft / Publish / Unpublish / Discard draft, conflict detection, preview and
review dates."""

import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import flatten_fieldsets, label_for_field
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, models
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from . import conflicts, drafts, wording
from .admin_deletions import RecoverableAdmin
from .admin_reverts import RevertAdmin
from .conflicts import conflict_message, edit_version
from .diff import ReadableChanges
from .history import ensure_baseline, is_publishable
from .models import PendingChange, Status
from .notices import NoticeAdmin
from .review import review_window
from .roles import can_publish, can_revert
from .saving import Outcome, wants_publish
from .scheduling import ScheduleFields, SchedulingAdmin
from .views import pk_or_404, render_preview

logger = logging.getLogger(__name__)


class EditorialForm(ScheduleFields, forms.ModelForm):
    change_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="What changed and why, in a sentence a reader can follow. "
        "Published changes with a note are listed on “What’s changed”; leave it "
        "empty for a correction too small to mention.",
    )
    edit_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_version"].initial = edit_version(self.instance)
        for name, values in getattr(self.instance, "_pending_m2m", {}).items():
            if name in self.fields:
                self.initial[name] = values
        pending = getattr(self.instance, "_pending_change", None)
        if pending is not None:
            self.fields["change_note"].initial = pending.change_note

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or "edit_version" not in self.data:
            return cleaned
        conflicts.lock(self.instance)
        current = edit_version(self.instance)
        theirs = cleaned.get("edit_version") or ""
        if theirs != current:
            # Keep what this editor typed; a second save (after comparing) wins.
            data = self.data.copy()
            data[self.add_prefix("edit_version")] = current
            self.data = data
            raise forms.ValidationError(conflict_message(self.instance, theirs))
        return cleaned


class EditorialInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if getattr(self, "draft_of_live_parent", False) and self.has_changed():
            # A draft revision keeps the item's own fields only: saving these
            # rows live, or dropping them, would surprise the editor.
            raise forms.ValidationError(
                "These rows are not part of a draft: Publish to apply the changes "
                "to them, or undo them to save a draft of the rest."
            )
        if not getattr(self, "previewing", False):
            conflicts.check_inline_rows(self)
        # Django skips constraints that include the parent's key in inline forms
        # (a duplicate prompt slug would be a database error): check them here.
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            if not hasattr(form, "cleaned_data"):
                continue
            try:
                form.instance.validate_constraints()
            except forms.ValidationError as error:
                form.add_error(None, error)


class EditorWording:
    """Fields labelled and explained in plain English (``editorial.wording``)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None or db_field.auto_created:
            return formfield
        # A form's own Meta.labels or help_texts (passed in kwargs) win.
        if "label" not in kwargs:
            formfield.label = wording.label(db_field)
        if "help_text" not in kwargs:
            formfield.help_text = wording.help_text(db_field)
        return formfield


class EditorialInline(EditorWording):
    """Inline children: a contributor edits them only inside a draft parent."""

    formset = EditorialInlineFormSet
    form = conflicts.InlineVersionForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if conflicts.FIELD in fields else [*fields, conflicts.FIELD]

    def _parent_is_live(self, request, obj):
        return (
            obj is not None
            and getattr(obj, "is_published", False)
            and not can_publish(request.user)
        )

    def has_add_permission(self, request, obj=None):
        if self._parent_is_live(request, obj):
            return False
        return super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if self._parent_is_live(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._parent_is_live(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_publishable(self.model) and not can_publish(request.user):
            fields.append("status")
        return fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        status = formset.form.base_fields.get("status")
        if status is not None and getattr(obj, "is_published", False):
            # A row an editor adds to a live item goes live with it when they
            # press Publish, unless they choose Draft for that row.
            status.initial = Status.PUBLISHED
        return formset


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("soon", "Due within 30 days")]

    def queryset(self, request, queryset):
        today, horizon = review_window()
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if self.value() == "soon":
            return queryset.filter(
                next_review_due__gte=today, next_review_due__lte=horizon
            )
        return queryset


class EditorialBaseAdmin(EditorWording, RecoverableAdmin, SimpleHistoryAdmin):
    form = EditorialForm
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    change_form_template = "editorial/admin/change_form.html"
    # Save draft and Publish above long forms too, not only 4,000 px down.
    save_on_top = True
    change_list_template = "editorial/admin/change_list.html"
    object_history_template = "editorial/admin/object_history.html"
    history_list_display = ["status_at_the_time"]
    object_history_template = "editorial/admin/object_history.html"
    object_history_list_template = "editorial/admin/object_history_list.html"
    object_history_form_template = "editorial/admin/object_history_form.html"

    @admin.display(description="Status")
    def status_at_the_time(self, record):
        return getattr(record, "get_status_display", lambda: "")()

    # History ----------------------------------------------------------------
    def get_history_list_display(self, request):
        columns = super().get_history_list_display(request)
        if is_publishable(self.model):
            return columns
        return [name for name in columns if name != "status_at_the_time"]

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        object_id = pk_or_404(self.model, object_id)
        columns = [
            (name, label_for_field(name, self.model, self))
            for name in self.get_history_list_display(request)
        ]
        extra_context = {**(extra_context or {}), "history_columns": columns}
        obj = self.get_object(request, str(object_id))
        if obj is not None and is_publishable(self.model):
            extra_context["draft_revisions"] = PendingChange.objects.of(
                obj
            ).select_related("created_by", "resolved_by")
        return super().history_view(request, str(object_id), extra_context)

    # Roles ------------------------------------------------------------------
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_publishable(self.model):
            # Shown, never chosen: Publish and Unpublish are what change it.
            fields += ["status", "published_at"]
        return fields

    def revert_disabled(self, request, obj=None):
        return not can_revert(request.user) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not can_revert(request.user):
            raise PermissionDenied
        object_id = pk_or_404(self.model, object_id)
        version_id = pk_or_404(self.model.history.model, version_id)
        version = get_object_or_404(
            self.model.history, id=object_id, history_id=version_id
        )
        missing = missing_parents(version.instance)
        if missing and request.method == "GET":
            messages.warning(
                request,
                "This version belongs to "
                + ", ".join(missing)
                + ", which has since been deleted. Recover it first (its list "
                "has “Deleted items”), or choose another version.",
            )
        extra_context = {**(extra_context or {}), "reverting": True}
        request._reverting = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Saving -----------------------------------------------------------------
    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and is_publishable(self.model):
            pending = PendingChange.objects.for_object(obj)
            if pending is not None:
                pending.apply_to(obj)
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if wants_publish(request) and not can_publish(request.user):
            raise PermissionDenied
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (OperationalError, InterfaceError):
            if request.method != "POST":
                raise  # nothing typed to keep: the 503 page
            logger.warning("Database failed during a save of %s", self.opts.label)
            return self._not_saved(request)

    def _not_saved(self, request):
        """The editor's input, ready to post again, when the database failed.

        Rendered without the database (no admin sidebar, no object): it may
        be the database that is gone.
        """
        posted = [
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        ]
        context = {
            "opts": self.opts,
            "site_header": self.admin_site.site_header,
            "has_permission": True,
            "action": request.get_full_path(),
            "hidden": posted,
            # What a person wrote or chose, not the form's own bookkeeping.
            "typed": [
                (name, value)
                for name, value in posted
                if value.strip()
                and not name.startswith("_")
                and not name.endswith(("_FORMS", "edit_version", "-id"))
            ],
        }
        response = TemplateResponse(
            request, "editorial/admin/not_saved.html", context, status=503
        )
        response["Retry-After"] = "5"
        return response

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        previewing = getattr(request, "_previewing", False)
        for formset in formsets:
            # A preview saves nothing: no draft to keep, nobody's edit to overwrite.
            formset.previewing = previewing
        if request.method == "POST" and change and not previewing:
            if self._keeps_a_draft(request, obj):
                for formset in formsets:
                    formset.draft_of_live_parent = True
        return formsets, inline_instances

    def _keeps_a_draft(self, request, obj):
        """True when this save leaves the live item alone and keeps a draft."""
        return (
            is_publishable(self.model)
            and not wants_publish(request)
            and not getattr(request, "_reverting", False)
            and drafts.is_live(obj)
        )

    def save_model(self, request, obj, form, change):
        if not isinstance(form, EditorialForm):
            return self.save_reorder(request, obj, form)
        note = form.cleaned_data.get("change_note", "")
        obj._change_reason = note or None
        obj._outcome = None
        if is_publishable(self.model) and getattr(request, "_reverting", False):
            # A revert brings back the content, not the status it had then:
            # Publish and Unpublish are what take an item on or offline.
            stored = drafts.stored_copy(obj)
            if stored is not None:
                obj.status = stored.status
        elif is_publishable(self.model):
            if self._keeps_a_draft(request, obj):
                drafts.save_draft_revision(obj, form, request.user)
                obj._outcome = Outcome.DRAFT_OF_LIVE
                return
            if wants_publish(request):
                obj.status = Status.PUBLISHED
                obj._outcome = Outcome.WENT_LIVE
            else:
                obj.status = Status.DRAFT
                obj._outcome = Outcome.DRAFT_SAVED
        if change:
            ensure_baseline(obj)
        super().save_model(request, obj, form, change)
        if change and obj._outcome is not None:
            # The waiting draft (if any) is what this form showed and saved.
            state = PendingChange.State
            went = state.LIVE if obj._outcome == Outcome.WENT_LIVE else state.APPLIED
            PendingChange.settle(obj, went, request.user)

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
        if getattr(form.instance, "_outcome", None) == Outcome.DRAFT_OF_LIVE:
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

    def construct_change_message(self, request, form, formsets, add=False):
        outcome = getattr(form.instance, "_outcome", None)
        if outcome == Outcome.DRAFT_OF_LIVE:
            return "Saved a draft revision; readers still see the published version."
        return super().construct_change_message(request, form, formsets, add)

    def response_add(self, request, obj, post_url_continue=None):
        if self._answers_as_editorial(request, obj):
            return self._editorial_response(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self._answers_as_editorial(request, obj):
            return self._editorial_response(request, obj)
        return super().response_change(request, obj)

    def _answers_as_editorial(self, request, obj):
        return (
            getattr(obj, "_outcome", None) is not None
            and IS_POPUP_VAR not in request.POST
        )

    def _editorial_response(self, request, obj):
        """Say plainly what happened; drafts stay on their form, published go back
        to the list."""
        outcome = obj._outcome
        change_url = reverse(admin_urlname(self.opts, "change"), args=[obj.pk])
        if outcome == Outcome.WENT_LIVE:
            self.message_user(
                request, "Published. Readers now see this version.", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse(admin_urlname(self.opts, "changelist")))
        if outcome == Outcome.DRAFT_OF_LIVE:
            message = "Draft saved. Readers still see the published version."
            if not can_publish(request.user):
                message += " An editor will publish it."
        else:
            message = "Draft saved. Readers cannot see it until it is published."
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def delete_model(self, request, obj):
        ensure_baseline(obj)
        super().delete_model(request, obj)

    # Pages ------------------------------------------------------------------
    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = context.get("original")
        publishable = is_publishable(self.model)
        context["publishable"] = publishable and not context.get("reverting")
        context["can_publish"] = can_publish(request.user)
        if obj is not None and obj.pk is not None:
            context["preview_url"] = preview_url(obj)
            draft = getattr(obj, "_pending_change", None)
            context["pending_change"] = draft
            context["is_draft"] = getattr(obj, "is_draft", False)
            context["is_live"] = publishable and drafts.is_live(obj)
            context["can_discard"] = draft is not None and drafts.can_discard(
                request.user, draft
            )
            context["discard_url"] = reverse(
                admin_urlname(self.opts, "discard_draft_change"), args=[obj.pk]
            )
            context["unpublish_url"] = reverse(
                admin_urlname(self.opts, "unpublish"), args=[obj.pk]
            )
        if hasattr(self.model, "get_absolute_url"):
            context["preview_edit_url"] = (
                reverse(admin_urlname(self.opts, "preview_edit"), args=[obj.pk])
                if change and obj is not None
                else reverse(admin_urlname(self.opts, "preview_add"))
            )
        return super().render_change_form(request, context, add, change, **kwargs)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "add/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview_add".format(*info),
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview_edit".format(*info),
            ),
            path(
                "<path:object_id>/discard-draft-change/",
                self.admin_site.admin_view(self.discard_view),
                name="{}_{}_discard_draft_change".format(*info),
            ),
            path(
                "<path:object_id>/unpublish/",
                self.admin_site.admin_view(self.unpublish_view),
                name="{}_{}_unpublish".format(*info),
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        """The reader page with the form's unsaved edits, rendered and rolled back."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        add = object_id is None
        obj = None
        if add:
            if not self.has_add_permission(request):
                raise PermissionDenied
        else:
            obj = self._get_object_or_404(request, object_id)
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        if not hasattr(self.model, "get_absolute_url"):
            raise Http404(f"{capfirst(self.opts.verbose_name_plural)} have no page.")
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        ModelForm = self.get_form(request, obj, change=not add, fields=fields)
        data = request.POST.copy()
        # A preview saves nothing, so it cannot overwrite anyone's edit: the
        # conflict check is for saving.
        data.pop("edit_version", None)
        form = ModelForm(data, request.FILES, instance=obj)
        request._previewing = True
        formsets, _ = self._create_formsets(request, form.instance, change=not add)
        form_valid = form.is_valid()
        if not (all_valid(formsets) and form_valid):
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "This preview cannot be shown yet",
                "object": obj,
                "problems": form_problems(form, formsets),
            }
            response = TemplateResponse(
                request, "editorial/admin/preview_invalid.html", context, status=400
            )
            response["Cache-Control"] = "private, no-store"
            return response
        obj = form.save(commit=False)

        def save_related(obj):
            form.save_m2m()
            for formset in formsets:
                formset.instance = obj
                formset.save()

        return render_preview(request, obj, save_related)

    def _get_object_or_404(self, request, object_id):
        # The admin's get_object answers None for an id of the wrong type.
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with id “{object_id}”.")
        return obj

    def discard_view(self, request, object_id):
        """Discard the waiting draft: kept in history, marked discarded."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._get_object_or_404(request, object_id)
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
        return HttpResponseRedirect(
            reverse(admin_urlname(self.opts, "change"), args=[obj.pk])
        )

    def unpublish_view(self, request, object_id):
        """Ask first, naming the pages that show the item; then take it offline."""
        if not is_publishable(self.model):
            raise Http404
        obj = self._get_object_or_404(request, object_id)
        if not can_publish(request.user) or not self.has_change_permission(
            request, obj
        ):
            raise PermissionDenied
        change_url = reverse(admin_urlname(self.opts, "change"), args=[obj.pk])
        live = drafts.stored_copy(obj)
        if not live.is_published:
            self.message_user(request, "This is not published.", messages.INFO)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
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

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if any(f.name == "next_review_due" for f in self.opts.fields):
            filters.append(ReviewDueFilter)
        return filters

    def get_list_display(self, request):
        return [*super().get_list_display(request), "on_site"]

    @admin.display(description="On the site")
    def on_site(self, obj):
        if not hasattr(obj, "get_absolute_url"):
            return ""
        if getattr(obj, "is_draft", False):
            return format_html('<a href="{}">Preview</a>', preview_url(obj))
        return format_html('<a href="{}">View on site</a>', obj.get_absolute_url())


class EditorialAdmin(RevertAdmin, SchedulingAdmin, NoticeAdmin, EditorialBaseAdmin):
    """Every content model's admin: the base above, with honest reverts, go-live
    and expiry times, and the editors told of contributors' drafts."""


def form_problems(form, formsets):
    """Every error in the form and its inline rows, each with the field's label."""
    problems = [(None, error) for error in form.non_field_errors()]
    problems += _field_problems(form, "")
    for formset in formsets:
        name = capfirst(formset.model._meta.verbose_name)
        problems += [(name, error) for error in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            problems += [
                (f"{name} {number}", error) for error in row.non_field_errors()
            ]
            problems += _field_problems(row, f"{name} {number}: ")
    return problems


def _field_problems(form, prefix):
    return [
        (prefix + capfirst(form.fields[name].label or name), error)
        for name, errors in form.errors.items()
        if name in form.fields
        for error in errors
    ]


def preview_url(obj):
    if not hasattr(obj, "get_absolute_url"):
        return None
    return reverse(
        "editorial:preview",
        args=[obj._meta.app_label, obj._meta.model_name, obj.pk],
    )


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
