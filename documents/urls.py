from django.urls import path

from . import views

app_name = "documents"
# Beside the briefing's other files: /briefings/<slug>.pdf, .html, .docx, .md.
urlpatterns = [
    path(
        "briefings/<slug:slug>.docx",
        views.briefing_download,
        {"kind": "docx"},
        name="briefing_docx",
    ),
    path(
        "briefings/<slug:slug>.md",
        views.briefing_download,
        {"kind": "md"},
        name="briefing_markdown",
    ),
]
