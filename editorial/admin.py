"""The admin every content model shares: history and revert, change notes, roles,
draft changes to published items, conflict detection, preview and review dates."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from . import conflicts
from .admin_deletions import RecoverableAdmin
from .conflicts import conflict_message, edit_version
from .history import ensure_baseline, is_publishable
from .models import PendingChange
from .review import review_window
from .roles import can_publish, can_revert

DRAFT, PUBLISHED = "draft", "published"


class EditorialForm(forms.ModelForm):
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


class EditorialInline:
    """Inline children: a contributor edits them only inside a draft parent."""

    formset = EditorialInlineFormSet
    form = conflicts.InlineVersionForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if conflicts.FIELD in fields else [*fields, conflicts.FIELD]

    def _parent_is_live(self, request, obj):
        return (
            obj is not None
            and getattr(obj, "status", DRAFT) == PUBLISHED
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


class EditorialAdmin(RecoverableAdmin, SimpleHistoryAdmin):
    form = EditorialForm
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    change_form_template = "editorial/admin/change_form.html"
    change_list_template = "editorial/admin/change_list.html"
    history_list_display = ["status_at_the_time"]

    @admin.display(description="Status")
    def status_at_the_time(self, record):
        return getattr(record, "get_status_display", lambda: "")()

    # Roles ------------------------------------------------------------------
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_publishable(self.model):
            fields.append("published_at")
            if not can_publish(request.user):
                fields.append("status")
        return fields

    def revert_disabled(self, request, obj=None):
        return not can_revert(request.user) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not can_revert(request.user):
            raise PermissionDenied
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
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Saving -----------------------------------------------------------------
    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and is_publishable(self.model):
            pending = PendingChange.objects.for_object(obj)
            if pending is not None:
                pending.apply_to(obj)
        return obj

    def save_model(self, request, obj, form, change):
        note = form.cleaned_data.get("change_note", "")
        obj._change_reason = note or None
        if is_publishable(self.model) and not can_publish(request.user):
            live = (
                self.model._default_manager.filter(pk=obj.pk).first()
                if change
                else None
            )
            if live is not None and live.status == PUBLISHED:
                m2m = [
                    (f.name, form.cleaned_data[f.name])
                    for f in obj._meta.many_to_many
                    if f.name in form.cleaned_data
                ]
                PendingChange.store(obj, m2m, note, request.user)
                obj._kept_as_draft_change = True
                return
            obj.status = DRAFT
        if change:
            ensure_baseline(obj)
        super().save_model(request, obj, form, change)
        if change:
            PendingChange.objects.filter(
                content_type__app_label=obj._meta.app_label,
                content_type__model=obj._meta.model_name,
                object_id=str(obj.pk),
            ).delete()

    def save_related(self, request, form, formsets, change):
        if getattr(form.instance, "_kept_as_draft_change", False):
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
                child.status = DRAFT
        super().save_formset(request, form, formset, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(form.instance, "_kept_as_draft_change", False):
            return "Saved a draft change for an editor to publish."
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        if getattr(obj, "_kept_as_draft_change", False):
            self.message_user(
                request,
                "Saved as a draft change. Readers still see the published version "
                "until an editor publishes it.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def delete_model(self, request, obj):
        ensure_baseline(obj)
        super().delete_model(request, obj)

    # Pages ------------------------------------------------------------------
    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = context.get("original")
        if obj is not None and obj.pk is not None:
            context["preview_url"] = preview_url(obj)
            context["pending_change"] = getattr(obj, "_pending_change", None)
            context["is_draft"] = getattr(obj, "status", PUBLISHED) == DRAFT
            context["can_publish"] = can_publish(request.user)
            context["discard_url"] = reverse(
                admin_urlname(self.opts, "discard_draft_change"), args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, **kwargs)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/discard-draft-change/",
                self.admin_site.admin_view(self.discard_view),
                name="{}_{}_discard_draft_change".format(*info),
            ),
            *super().get_urls(),
        ]

    def discard_view(self, request, object_id):
        obj = get_object_or_404(self.model, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, obj):
            raise PermissionDenied
        PendingChange.objects.filter(
            content_type__app_label=self.opts.app_label,
            content_type__model=self.opts.model_name,
            object_id=str(obj.pk),
        ).delete()
        self.message_user(request, "The draft change was discarded.", messages.SUCCESS)
        return HttpResponseRedirect(
            reverse(admin_urlname(self.opts, "change"), args=[obj.pk])
        )

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
        if getattr(obj, "status", PUBLISHED) == DRAFT:
            return format_html('<a href="{}">Preview</a>', preview_url(obj))
        return format_html('<a href="{}">View on site</a>', obj.get_absolute_url())


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
