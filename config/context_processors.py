from django.conf import settings
from django.urls import reverse


def site(request):
    # Addresses printed and QR-coded on paper copies: on the public SITE_URL when
    # set (behind a proxy the request's own host may be an internal one).
    base = settings.SITE_URL.rstrip("/")

    def public(path):
        return base + path if base else request.build_absolute_uri(path)

    return {
        "site_name": settings.SITE_NAME,
        "quick_exit_enabled": settings.QUICK_EXIT_ENABLED,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        # The page's own address without its query string: the QR code is
        # drawn once per page, never once per query someone made up.
        "page_address": public(request.path),
        "site_base": public("/").rstrip("/"),
        # Printed beside a copy's content date: what has changed since it was made.
        "changes_url": public(reverse("whats_changed")),
    }
