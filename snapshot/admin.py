from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from editorial.admin import EditorialAdmin, EditorialInline
from editorial.admin_urls import admin_path

from . import consistency
from .models import (
    Figure,
    Organisation,
    Snapshot,
    Study,
    StudyFigure,
    disclosure_threshold,
)


def _snapshot_findings(snapshot_id):
    figures = (
        Figure.objects.filter(snapshot_id=snapshot_id)
        .select_related("parent")
        .order_by("position")
    )
    return consistency.check(figures)


def _study_findings(study_id):
    return consistency.check(StudyFigure.objects.filter(study_id=study_id))


def _report_rows(findings, model):
    """Findings by kind, each with the admin link to fix its figure."""
    change = admin_urlname(model._meta, "change")
    return {
        kind: [(f, reverse(change, args=[f.figure.pk])) for f in items]
        for kind, items in consistency.findings_by_kind(findings).items()
    }


@admin.register(Organisation)
class OrganisationAdmin(EditorialAdmin):
    list_display = ["name", "area", "has_contact_details", "position", "status"]
    list_editable = ["position"]
    list_filter = ["status"]
    search_fields = ["name", "area"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "area", "about", "position", "status"]}),
        (
            "Contact details",
            {
                "description": "Shown on its Local support page. Fill in only what "
                "the organisation publishes: an empty field is not shown.",
                "fields": ["url", "phone", "email", "how_to_refer", "opening_times"],
            },
        ),
        (
            "Further resource",
            {
                "description": "Where the briefing's further resources name this "
                "organisation, its page links there.",
                "fields": ["resource"],
            },
        ),
        (
            "Owner and review",
            {"fields": ["owner", "last_reviewed", "next_review_due", "change_note"]},
        ),
    ]

    @admin.display(boolean=True, description="Contact details")
    def has_contact_details(self, organisation):
        return organisation.has_contact_details


class FigureInline(EditorialInline, admin.TabularInline):
    model = Figure
    extra = 0
    fields = [
        "position", "title", "slug", "measure", "statement", "count", "denominator",
        "unit", "published_percentage", "parent", "subgroup", "is_headline",
        "display", "status",
    ]  # fmt: skip
    show_change_link = True


@admin.register(Snapshot)
class SnapshotAdmin(EditorialAdmin):
    list_display = ["title", "period_label", "women_count", "status", "report_link"]
    list_filter = ["status"]
    search_fields = ["title", "period_label"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisations"]
    inlines = [FigureInline]
    change_form_template = "admin/snapshot/snapshot/change_form.html"

    def get_urls(self):
        return [
            admin_path(
                self,
                "<int:object_id>/consistency/",
                self.consistency_report,
                "consistency",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Checks")
    def report_link(self, obj):
        url = reverse(admin_urlname(self.opts, "consistency"), args=[obj.pk])
        return format_html('<a href="{}">Consistency report</a>', url)

    def consistency_report(self, request, object_id):
        """Rounding disagreements and disclosure risks, for an editor to act on."""
        snapshot = get_object_or_404(Snapshot, pk=object_id)
        studies = [
            (study, _report_rows(_study_findings(study.pk), StudyFigure))
            for study in Study.objects.all()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Consistency report: {snapshot}",
            "opts": self.model._meta,
            "original": snapshot,
            "threshold": disclosure_threshold(),
            "kinds": consistency.KINDS,
            "findings": _report_rows(_snapshot_findings(snapshot.pk), Figure),
            "studies": studies,
        }
        return TemplateResponse(
            request, "admin/snapshot/snapshot/consistency_report.html", context
        )


class FindingsOnChangeForm:
    """Shows the figure's rounding and disclosure warnings above its form."""

    change_form_template = "admin/snapshot/figure_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        figure = self.get_object(request, object_id)
        findings = []
        if figure is not None:
            findings = [f for f in self.group_findings(figure) if f.figure == figure]
        extra_context = {
            **(extra_context or {}),
            "findings": findings,
            "kinds": consistency.KINDS,
            "threshold": disclosure_threshold(),
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Figure)
class FigureAdmin(FindingsOnChangeForm, EditorialAdmin):
    list_display = [
        "title", "value", "published_percentage", "display", "snapshot", "status",
    ]  # fmt: skip
    list_filter = ["status", "snapshot", "is_headline", "display"]
    list_select_related = ["snapshot"]
    search_fields = ["title", "statement", "measure", "subgroup"]

    def group_findings(self, figure):
        return _snapshot_findings(figure.snapshot_id)


class StudyFigureInline(EditorialInline, admin.TabularInline):
    model = StudyFigure
    extra = 0
    fields = [
        "position", "slug", "group", "statement", "count", "denominator", "unit",
        "published_percentage", "display", "status",
    ]  # fmt: skip
    show_change_link = True


@admin.register(Study)
class StudyAdmin(EditorialAdmin):
    list_display = ["name", "reference", "position"]
    search_fields = ["name", "sample_description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StudyFigureInline]


@admin.register(StudyFigure)
class StudyFigureAdmin(FindingsOnChangeForm, EditorialAdmin):
    list_display = ["slug", "value", "study", "group", "display", "status"]
    list_filter = ["status", "study", "display"]
    list_select_related = ["study"]
    search_fields = ["statement", "group"]

    def group_findings(self, figure):
        return _study_findings(figure.study_id)
