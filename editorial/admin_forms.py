"""The forms of the editorial admin: an item's form, its inline rows, and the
plain-English wording of their fields."""

from django import forms

from . import conflicts, wording
from .history import is_publishable
from .models import Status
from .roles import can_publish
from .scheduling import ScheduleFields


class EditorialForm(conflicts.ItemVersionForm, ScheduleFields, forms.ModelForm):
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
        # The waiting draft (``PendingChange.apply_to``) is what the form shows.
        for name, values in getattr(self.instance, "_pending_m2m", {}).items():
            if name in self.fields:
                self.initial[name] = values
        pending = getattr(self.instance, "_pending_change", None)
        if pending is not None:
            self.fields["change_note"].initial = pending.change_note

    def clean(self):
        cleaned = super().clean()
        last, due = cleaned.get("last_reviewed"), cleaned.get("next_review_due")
        changed = {"last_reviewed", "next_review_due"} & set(self.changed_data)
        if last and due and due < last and changed:
            self.add_error(
                "next_review_due",
                f"Choose a day after the last review ({last.day} {last:%B %Y}).",
            )
        return cleaned


class EditorialInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows. ``previewing``: nothing will be saved; ``draft_of_live_parent``:
    the save keeps a draft of a live parent (given by the admin's
    ``get_formset_kwargs``)."""

    def __init__(self, *args, previewing=False, draft_of_live_parent=False, **kwargs):
        self.previewing = previewing
        self.draft_of_live_parent = draft_of_live_parent
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.draft_of_live_parent and self.has_changed():
            # A draft revision keeps the item's own fields only: saving these
            # rows live, or dropping them, would surprise the editor.
            raise forms.ValidationError(
                "These rows are not part of a draft: Publish to apply the changes "
                "to them, or undo them to save a draft of the rest."
            )
        if not self.previewing:
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
