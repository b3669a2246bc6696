from django.contrib import admin

from editorial.admin import EditorialAdmin, EditorialInline

from .models import Figure, Organisation, Snapshot, Study, StudyFigure


@admin.register(Organisation)
class OrganisationAdmin(EditorialAdmin):
    list_display = ["name", "area", "position"]
    list_editable = ["position"]
    search_fields = ["name", "area"]
    prepopulated_fields = {"slug": ["name"]}


class FigureInline(EditorialInline, admin.TabularInline):
    model = Figure
    extra = 0
    fields = [
        "position", "title", "slug", "measure", "statement", "count", "denominator",
        "unit", "published_percentage", "parent", "subgroup", "is_headline", "status",
    ]  # fmt: skip
    show_change_link = True


@admin.register(Snapshot)
class SnapshotAdmin(EditorialAdmin):
    list_display = ["title", "period_label", "women_count", "status"]
    list_filter = ["status"]
    search_fields = ["title", "period_label"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisations"]
    inlines = [FigureInline]


@admin.register(Figure)
class FigureAdmin(EditorialAdmin):
    list_display = ["title", "value", "published_percentage", "snapshot", "status"]
    list_filter = ["status", "snapshot", "is_headline"]
    list_select_related = ["snapshot"]
    search_fields = ["title", "statement", "measure", "subgroup"]


class StudyFigureInline(EditorialInline, admin.TabularInline):
    model = StudyFigure
    extra = 0
    fields = [
        "position", "slug", "group", "statement", "count", "denominator", "unit",
        "published_percentage", "status",
    ]  # fmt: skip


@admin.register(Study)
class StudyAdmin(EditorialAdmin):
    list_display = ["name", "reference", "position"]
    search_fields = ["name", "sample_description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StudyFigureInline]


@admin.register(StudyFigure)
class StudyFigureAdmin(EditorialAdmin):
    list_display = ["slug", "value", "study", "group", "status"]
    list_filter = ["status", "study"]
    list_select_related = ["study"]
    search_fields = ["statement", "group"]
