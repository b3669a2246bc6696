from django.conf import settings
from django.db import DatabaseError, InterfaceError
from django.urls import reverse

from guidance.citations import public_url
from guidance.views import published_briefings


def site(request):
    # Addresses printed and QR-coded on paper copies: on the public SITE_URL.
    def public(path):
        return public_url(request, path)

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
        # Called only by a page that shows it (the footer), not by the admin's.
        "library_credits": library_credits,
    }


def library_credits():
    """With several briefings, the credit of each, once: a library's footer
    names them all, not only the shipped briefing's network. Else none."""
    try:
        briefings = published_briefings()
    except (DatabaseError, InterfaceError):
        return []  # a page answering while the database fails: the plain credit
    if len(briefings) < 2:
        return []
    return list(dict.fromkeys(briefing.attribution for briefing in briefings))
