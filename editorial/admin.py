"""The admin every content model shares: history and revert, change notes, roles,
draft changes to published items, conflict detection, preview and review dates."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import flatten_fieldsets, label_for_field, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from . import wording
from .diff import ReadableChanges
from .history import ensure_baseline, is_publishable, latest_record
from .models import PendingChange
from .review import review_window
from .roles import can_publish, can_revert
from .views import render_preview

DRAFT, PUBLISHED = "draft", "published"


def edit_version(obj):
    """Changes whenever anyone saves the item or its draft change."""
    record = latest_record(obj)
    pending = PendingChange.objects.for_object(obj) if obj.pk else None
    stamp = pending.updated_at.timestamp() if pending else 0
    return f"{record.history_id if record else 0}:{stamp:.6f}"


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


def conflict_message(obj, seen_version):
    record = latest_record(obj)
    pending = PendingChange.objects.for_object(obj)
    lines = []
    seen_history_id = int(seen_version.split(":")[0] or 0) if seen_version else 0
    if record is not None and record.history_id != seen_history_id:
        who = record.history_user or "someone"
        when = date_format(timezone.localtime(record.history_date), "j F Y, H:i")
        note = (
            f" (“{record.history_change_reason}”)"
            if record.history_change_reason
            else ""
        )
        changed = ""
        earlier = obj.history.filter(history_id=seen_history_id).first()
        if earlier is not None:
            delta = record.diff_against(earlier)
            if delta.changed_fields:
                labels = [
                    capfirst(obj._meta.get_field(name).verbose_name)
                    for name in delta.changed_fields
                ]
                changed = f" They changed: {', '.join(labels)}."
        lines.append(
            f"{who} saved this at {when}{note} while you were editing.{changed}"
        )
    if pending is not None and pending.updated_at.timestamp() != float(
        (seen_version.split(":") + ["0"])[1] or 0
    ):
        who = pending.created_by or "someone"
        lines.append(f"{who} saved a draft change to it while you were editing.")
    lines.append(
        "Nothing has been overwritten: your edits are still in this form. Compare "
        "them with the History page, then save again to keep yours (theirs stays "
        "in the history)."
    )
    return " ".join(lines)


class EditorialInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
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


class EditorialAdmin(EditorWording, SimpleHistoryAdmin):
    form = EditorialForm
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    change_form_template = "editorial/admin/change_form.html"
    change_list_template = "editorial/admin/change_list.html"
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
        return super().history_view(request, str(object_id), extra_context)

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
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "<path:object_id>/discard-draft-change/",
                self.admin_site.admin_view(self.discard_view),
                name="{}_{}_discard_draft_change".format(*info),
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
            obj = self.get_object(request, pk_or_404(self.model, object_id))
            if obj is None:
                raise Http404(f"No {self.opts.verbose_name} with id {object_id!r}")
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

    def deleted_view(self, request):
        """Items deleted from this list, each linking to its history to recover it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        live = self.model._default_manager.values("pk")
        records = (
            self.model.history.filter(history_type="-")
            .exclude(id__in=live)
            .select_related("history_user")
            .order_by("-history_date")
        )
        history = admin_urlname(self.opts, "history")
        seen, deleted = set(), []
        for record in records:
            if record.id in seen:
                continue
            seen.add(record.id)
            record.history_url = reverse(history, args=[record.id])
            deleted.append(record)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "deleted": deleted,
        }
        return TemplateResponse(request, "editorial/admin/deleted.html", context)

    def discard_view(self, request, object_id):
        obj = get_object_or_404(self.model, pk=pk_or_404(self.model, object_id))
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


def pk_or_404(model, value):
    """An id from a staff URL as the model's key; anything else is a 404, not a 500."""
    try:
        return model._meta.pk.to_python(unquote(value))
    except ValidationError as error:
        raise Http404(f"No {model._meta.verbose_name} with id {value!r}") from error


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
