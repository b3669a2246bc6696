from django.urls import path

from . import views

app_name = "handouts"
urlpatterns = [
    path("", views.handout_builder, name="handout_builder"),
    path("handout/", views.handout_detail, name="handout_detail"),
    path("handout.pdf", views.handout_pdf, name="handout_pdf"),
    path("presets/<slug:slug>/", views.preset_detail, name="preset_detail"),
    path(
        "pdf/practice-points/<slug:slug>.pdf",
        views.practice_point_pdf,
        name="practice_point_pdf",
    ),
    path("pdf/snapshot/<slug:slug>.pdf", views.snapshot_pdf, name="snapshot_pdf"),
]
