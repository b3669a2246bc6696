from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from .models import (
    Audience,
    Briefing,
    GlossaryTerm,
    Quote,
    ResearchReference,
    Resource,
    Section,
)

MARKDOWN_WIDGETS = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "title", "slug", "part", "status", "body"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = MARKDOWN_WIDGETS
    show_change_link = True


@admin.register(Briefing)
class BriefingAdmin(MarkdownxModelAdmin):
    list_display = [
        "title",
        "status",
        "last_updated",
        "last_reviewed",
        "next_review_due",
    ]
    list_filter = ["status", "audiences"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["audiences"]
    inlines = [SectionInline]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["position", "slug", "speaker", "source", "text", "status"]
    show_change_link = True


@admin.register(Section)
class SectionAdmin(MarkdownxModelAdmin):
    list_display = ["title", "briefing", "part", "position", "status"]
    list_editable = ["position"]
    list_filter = ["status", "briefing", "audiences"]
    list_select_related = ["briefing"]
    search_fields = ["title", "body", "part"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["audiences", "references"]
    inlines = [QuoteInline]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["speaker", "excerpt", "source", "section", "status", "withdrawn_at"]
    list_filter = ["status", "source", "speaker"]
    list_select_related = ["source", "section"]
    search_fields = ["text", "speaker"]
    readonly_fields = ["withdrawn_at", "withdrawn_by"]

    @admin.display(description="Quote")
    def excerpt(self, quote):
        return quote.text[:80]


@admin.register(ResearchReference)
class ResearchReferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "year", "in_research_list", "position", "status"]
    list_editable = ["position"]
    list_filter = ["status", "in_research_list"]
    search_fields = ["title", "author", "summary"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "url", "position", "status"]
    list_editable = ["position"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "description", "url"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "expansion", "status"]
    list_filter = ["status"]
    search_fields = ["term", "expansion", "definition"]
    prepopulated_fields = {"slug": ["term"]}
