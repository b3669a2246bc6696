from django.contrib import admin, messages
from django.template.defaultfilters import pluralize
from django.utils import timezone
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from editorial.admin import EditorialAdmin, EditorialInline
from editorial.history import ensure_baseline
from editorial.roles import can_publish

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


class WithdrawnFilter(admin.SimpleListFilter):
    title = "consent"
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin):
        return [("no", "In use"), ("yes", "Withdrawn")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(withdrawn_at__isnull=self.value() == "no")
        return queryset


@admin.register(Audience)
class AudienceAdmin(EditorialAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]


class SectionInline(EditorialInline, admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "title", "slug", "part", "status", "body"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = MARKDOWN_WIDGETS
    show_change_link = True


@admin.register(Briefing)
class BriefingAdmin(EditorialAdmin):
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


class QuoteInline(EditorialInline, admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["position", "slug", "speaker", "source", "text", "status"]
    show_change_link = True


@admin.register(Section)
class SectionAdmin(EditorialAdmin):
    list_display = ["title", "briefing", "part", "position", "status"]
    list_editable = ["position"]
    list_filter = ["status", "briefing", "audiences"]
    list_select_related = ["briefing"]
    search_fields = ["title", "body", "part"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["audiences", "references"]
    inlines = [QuoteInline]


@admin.register(Quote)
class QuoteAdmin(EditorialAdmin):
    list_display = [
        "speaker", "excerpt", "source", "consent_scope", "section", "status",
        "withdrawn_at",
    ]  # fmt: skip
    list_filter = ["status", "source", "speaker", WithdrawnFilter]
    list_select_related = ["source", "section"]
    search_fields = ["text", "speaker", "consent_scope"]
    readonly_fields = ["withdrawn_at", "withdrawn_by"]
    actions = ["withdraw"]

    @admin.display(description="Quote")
    def excerpt(self, quote):
        return quote.text[:80]

    @admin.action(
        description="Withdraw selected quotes (consent withdrawn)",
        permissions=["publish"],
    )
    def withdraw(self, request, queryset):
        # Saved one by one so each withdrawal is in the quote's history.
        withdrawn = 0
        for quote in queryset.filter(withdrawn_at__isnull=True):
            ensure_baseline(quote)
            quote.withdrawn_at = timezone.now()
            quote.withdrawn_by = request.user.get_username()
            quote._change_reason = "Quote withdrawn"
            quote._history_user = request.user
            quote.save()
            withdrawn += 1
        self.message_user(
            request,
            f"Withdrew {withdrawn} quote{pluralize(withdrawn)}: removed from every "
            "page at once.",
            messages.SUCCESS,
        )

    def has_publish_permission(self, request):
        return can_publish(request.user)


@admin.register(ResearchReference)
class ResearchReferenceAdmin(EditorialAdmin):
    list_display = ["title", "author", "year", "in_research_list", "position", "status"]
    list_editable = ["position"]
    list_filter = ["status", "in_research_list"]
    search_fields = ["title", "author", "summary"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Resource)
class ResourceAdmin(EditorialAdmin):
    list_display = ["name", "kind", "url", "link_checked", "position", "status"]
    list_editable = ["position"]
    list_filter = ["status", "kind"]
    list_select_related = ["link_check"]
    search_fields = ["name", "description", "url"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="Link check")
    def link_checked(self, resource):
        """What the weekly check (run_due_jobs) last found at its address."""
        check = getattr(resource, "link_check", None)
        if not resource.url:
            return ""
        if check is None or check.url != resource.url:
            return "Not checked yet"
        found = check.problem or f"Answered {check.status_code}"
        works = "works" if check.works else "broken"
        return f"{works.capitalize()}: {found}, {timezone.localtime(check.checked_at):%-d %b %Y}"


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(EditorialAdmin):
    list_display = ["term", "expansion", "status"]
    list_filter = ["status"]
    search_fields = ["term", "expansion", "definition"]
    prepopulated_fields = {"slug": ["term"]}
