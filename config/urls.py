from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from markdownx.views import ImageUploadView, MarkdownifyView

from . import views

# markdownx's own urls let anonymous visitors render and upload: staff only here.
markdownx_urls = [
    path(
        "markdownify/",
        staff_member_required(MarkdownifyView.as_view()),
        name="markdownx_markdownify",
    ),
    path(
        "upload/",
        staff_member_required(ImageUploadView.as_view()),
        name="markdownx_upload",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", include("editorial.urls")),
    path("admin/", admin.site.urls),
    path("markdownx/", include(markdownx_urls)),
    path("briefings/<slug:slug>/", views.briefing_detail, name="briefing_detail"),
    path("briefings/<slug:slug>/print/", views.briefing_print, name="briefing_print"),
    path("briefings/<slug:slug>/print.pdf", views.briefing_pdf, name="briefing_pdf"),
    path("", include("guidance.urls")),
    path("practice-points/", include("practice_points.urls")),
    path("snapshot/", include("snapshot.urls")),
    path("search/", include("search.urls")),
    path("handouts/", include("handouts.urls")),
    path("using-this-site-safely/", views.safety, name="safety"),
    path("favicon.ico", views.favicon),
    path("whats-changed/", views.whats_changed, name="whats_changed"),
]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
