from django.contrib import admin
from django.utils.html import format_html

from .models import HandoutPreset


@admin.register(HandoutPreset)
class HandoutPresetAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "view_link"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]

    @admin.display(description="Handout")
    def view_link(self, preset):
        return format_html('<a href="{}">View</a>', preset.get_absolute_url())
