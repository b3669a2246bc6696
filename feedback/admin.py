from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from editorial.admin_urls import admin_path

from . import report
from .models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Readers' answers: read, reported and exported, never edited."""

    list_display = ("day", "path", "useful", "comment")
    list_filter = ("useful", "day")
    search_fields = ("path", "comment")
    date_hierarchy = "day"
    change_list_template = "admin/feedback/feedback/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            admin_path(self, "report/", self.report_view, "report"),
            admin_path(self, "report.csv", self.csv_view, "csv"),
            *super().get_urls(),
        ]

    def _answers(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        answers = Feedback.objects.all()
        page = request.GET.get("path")
        return (answers.filter(path=page) if page else answers), page

    def report_view(self, request):
        answers, page = self._answers(request)
        paths = answers.order_by("path").values_list("path", flat=True).distinct()
        listing = Paginator(paths, report.PAGES_SHOWN).get_page(request.GET.get("p"))
        shown = answers.filter(path__in=list(listing))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Feedback by page",
            "pages": report.page_reports(shown),
            "listing": listing,
            "chosen": page,
            "csv_url": reverse("admin:feedback_feedback_csv"),
        }
        return TemplateResponse(request, "admin/feedback/report.html", context)

    def csv_view(self, request):
        answers, page = self._answers(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"feedback-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        report.write_csv(answers, response)
        return response
