from django.contrib import admin

from editorial.admin import EditorialAdmin, EditorialInline

from .models import (
    PracticeList,
    PracticeListItem,
    PracticePoint,
    Prompt,
    ReflectiveQuestion,
)


class PromptInline(EditorialInline, admin.TabularInline):
    model = Prompt
    extra = 0
    fields = ["position", "slug", "text", "status"]


class ReflectiveQuestionInline(EditorialInline, admin.TabularInline):
    model = ReflectiveQuestion
    extra = 0
    fields = ["position", "slug", "text", "status"]


class PracticeListInline(EditorialInline, admin.TabularInline):
    model = PracticeList
    extra = 0
    fields = ["position", "title", "slug", "intro", "status"]
    show_change_link = True


@admin.register(PracticePoint)
class PracticePointAdmin(EditorialAdmin):
    list_display = ["title", "position", "status", "last_reviewed", "next_review_due"]
    list_editable = ["position"]
    list_filter = ["status", "audiences", "briefing"]
    search_fields = ["title", "summary", "body", "closing"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["audiences", "quotes", "references"]
    inlines = [PracticeListInline, PromptInline, ReflectiveQuestionInline]


class PracticeListItemInline(EditorialInline, admin.TabularInline):
    model = PracticeListItem
    extra = 1


@admin.register(PracticeList)
class PracticeListAdmin(EditorialAdmin):
    list_display = ["title", "practice_point", "position", "status"]
    list_filter = ["status", "practice_point"]
    list_select_related = ["practice_point"]
    search_fields = ["title", "intro", "items__text"]
    inlines = [PracticeListItemInline]


@admin.register(Prompt, ReflectiveQuestion)
class QuestionAdmin(EditorialAdmin):
    list_display = ["text", "practice_point", "position", "status"]
    list_filter = ["status", "practice_point"]
    list_select_related = ["practice_point"]
    search_fields = ["text"]
