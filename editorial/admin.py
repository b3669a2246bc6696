"""The admin every content model shares, put together from mixins with one job
each: drafts (Save draft / Publish / Unpublish / Discard draft), conflicts (in
the forms), preview, revert, delete and recover, schedules and editors' notices.
This module adds history pages, list columns and the page a save gets when the
database fails."""

import logging

from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.db import InterfaceError, OperationalError
from django.template.response import TemplateResponse
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from .admin_deletions import RecoverableAdmin
from .admin_drafts import DraftsAdmin
from .admin_forms import EditorialForm, EditorialInline, EditorWording
from .admin_preview import PreviewAdmin, preview_url
from .admin_reverts import RevertAdmin
from .diff import ReadableChanges
from .history import is_publishable
from .models import PendingChange
from .notices import NoticeAdmin
from .review import review_window
from .scheduling import SchedulingAdmin
from .views import pk_or_404

__all__ = ["EditorialAdmin", "EditorialForm", "EditorialInline"]

logger = logging.getLogger(__name__)


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
    history_list_display = ["status_at_the_time"]
    object_history_template = "editorial/admin/object_history.html"
    object_history_list_template = "editorial/admin/object_history_list.html"
    object_history_form_template = "editorial/admin/object_history_form.html"

    # History ----------------------------------------------------------------
    @admin.display(description="Status")
    def status_at_the_time(self, record):
        return getattr(record, "get_status_display", lambda: "")()

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

    # When the database fails ------------------------------------------------
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            request.POST = _with_stored_line_endings(request.POST)
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

    # Lists ------------------------------------------------------------------
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


class EditorialAdmin(
    RevertAdmin,
    SchedulingAdmin,
    NoticeAdmin,
    PreviewAdmin,
    DraftsAdmin,
    EditorialBaseAdmin,
):
    """Every content model's admin: the base above, with drafts, preview, honest
    reverts, go-live and expiry times, and the editors told of contributors'
    drafts."""


def _with_stored_line_endings(posted):
    """A browser ends a text box's lines with CR LF (HTML says so); stored text
    ends them with LF. As sent, every save changed every text of several lines:
    History listed edits nobody made, and a conflict named fields the other
    editor never touched."""
    stored = posted.copy()
    for name, values in posted.lists():
        stored.setlist(name, [value.replace("\r\n", "\n") for value in values])
    return stored
