from django.urls import path

from . import views

app_name = "guidance"
urlpatterns = [
    path(
        "briefings/<slug:briefing_slug>/<slug:slug>/",
        views.section_detail,
        name="section_detail",
    ),
    path("research/", views.reference_list, name="reference_list"),
    path("resources/", views.resource_list, name="resource_list"),
    path("in-their-words/", views.quote_list, name="quote_list"),
    path("glossary/", views.glossary, name="glossary"),
]
