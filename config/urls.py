from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from markdownx.views import MarkdownifyView

from handouts import views as handout_views
from practice_points import views as practice_point_views
from snapshot import views as snapshot_views

from . import feeds, uploads, views

# What editors see in every admin page's header and title, instead of Django's.
admin.site.site_header = admin.site.site_title = "Encompass Guidance editors"
admin.site.index_title = "Content to edit"

# markdownx's own urls let anonymous visitors render and upload: staff only here.
markdownx_urls = [
    path(
        "markdownify/",
        staff_member_required(MarkdownifyView.as_view()),
        name="markdownx_markdownify",
    ),
    path("upload/", uploads.upload_image, name="markdownx_upload"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", include("editorial.urls")),
    path("admin/", admin.site.urls),
    path("markdownx/", include(markdownx_urls)),
    # Editors' uploaded images: whitenoise serves static files only.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        uploads.uploaded_image,
        name="uploaded_image",
    ),
    path("briefings/<slug:slug>/", views.briefing_detail, name="briefing_detail"),
    path("briefings/<slug:slug>/print/", views.briefing_print, name="briefing_print"),
    # Every PDF sits beside its page: /practice-points/<slug>/ and
    # /practice-points/<slug>.pdf.
    path("briefings/<slug:slug>.pdf", views.briefing_pdf, name="briefing_pdf"),
    path("briefings/<slug:slug>.html", views.briefing_offline, name="briefing_offline"),
    path(
        "practice-points/<slug:slug>.pdf",
        practice_point_views.practice_point_pdf,
        name="practice_point_pdf",
    ),
    path("snapshot/<slug:slug>.pdf", snapshot_views.snapshot_pdf, name="snapshot_pdf"),
    path(
        "briefings/<slug:slug>/print.pdf",
        handout_views.old_pdf_address,
        {"name": "briefing_pdf"},
    ),
    path("", include("documents.urls")),
    path("", include("guidance.urls")),
    path("practice-points/", include("practice_points.urls")),
    path("snapshot/", include("snapshot.urls")),
    # The Snapshot's organisations as local services readers can turn to.
    path(
        "local-support/",
        snapshot_views.organisation_list,
        name="organisation_list",
    ),
    path(
        "local-support/<slug:slug>/",
        snapshot_views.organisation_detail,
        name="organisation_detail",
    ),
    path("search/", include("search.urls")),
    path("handouts/", include("handouts.urls")),
    # A discreet handout's plain text: a short address that names nothing.
    path("t/<slug:code>/", handout_views.handout_text, name="handout_text"),
    path("feedback/", include("feedback.urls")),
    path("using-this-site-safely/", views.safety, name="safety"),
    path("favicon.ico", views.favicon),
    path("whats-changed/", views.whats_changed, name="whats_changed"),
    # How to follow each feed, with its address to copy (a page, not XML).
    path("whats-changed/follow/", views.follow_changes, name="follow_changes"),
    path(
        "whats-changed/follow/briefings/<slug:slug>/",
        views.follow_changes,
        {"kind": "briefing"},
        name="follow_briefing_changes",
    ),
    path(
        "whats-changed/follow/snapshot/<slug:slug>/",
        views.follow_changes,
        {"kind": "snapshot"},
        name="follow_snapshot_changes",
    ),
    # Atom feeds of the same changes: the whole site, a briefing, a Snapshot.
    path("whats-changed/feed/", feeds.whats_changed_feed, name="whats_changed_feed"),
    path(
        "whats-changed/feed/briefings/<slug:slug>/",
        feeds.briefing_changes_feed,
        name="briefing_changes_feed",
    ),
    path(
        "whats-changed/feed/snapshot/<slug:slug>/",
        feeds.snapshot_changes_feed,
        name="snapshot_changes_feed",
    ),
]

handler400 = "config.views.bad_request"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
