from django.urls import path

from . import views

app_name = "handouts"
urlpatterns = [
    path("", views.handout_builder, name="handout_builder"),
    path("h/<slug:code>/", views.saved_handout, name="saved_handout"),
    path("h/<slug:code>.pdf", views.saved_handout_pdf, name="saved_handout_pdf"),
    # A handout given in full in its address: redirected to its short one.
    path("handout/", views.handout_detail, name="handout_detail"),
    path("handout.pdf", views.handout_pdf, name="handout_pdf"),
    path("presets/<slug:slug>/", views.preset_detail, name="preset_detail"),
    # Old PDF addresses: PDFs now sit beside their pages.
    path(
        "pdf/practice-points/<slug:slug>.pdf",
        views.old_pdf_address,
        {"name": "practice_point_pdf"},
    ),
    path(
        "pdf/snapshot/<slug:slug>.pdf",
        views.old_pdf_address,
        {"name": "snapshot_pdf"},
    ),
]
