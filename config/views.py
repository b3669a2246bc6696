"""Top-floor pages: home, the whole briefing, and the site-wide safety page."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from editorial.changes import published_changes
from editorial.content import content_models
from editorial.pagecache import Page, find, per_version, reader_page
from guidance.models import Publishable
from guidance.views import (
    published_briefings,
    published_references,
    published_resources,
    published_sections,
)
from handouts.pdf import page_pdf
from practice_points.views import published_points
from search import report
from snapshot.models import Figure, Snapshot

from .forms import SinceForm

RETRY_AFTER_SECONDS = 30


def _latest_snapshot():
    snapshot = (
        Snapshot.objects.published()
        .prefetch_related(
            "organisations",
            Prefetch(
                "figures",
                queryset=Figure.objects.published().filter(is_headline=True),
                to_attr="headline_figures",
            ),
        )
        .first()
    )
    return [snapshot] if snapshot else []


@reader_page()
def home(request):
    briefings = published_briefings()
    snapshots = per_version("latest-snapshot", _latest_snapshot)
    return render(
        request,
        "home.html",
        {
            "briefing": briefings[0] if briefings else None,
            "snapshot": snapshots[0] if snapshots else None,
            "practice_points": published_points(),
        },
    )


def briefing_context(slug):
    """The whole briefing: its page, print page, PDF and preview start here."""
    briefing = find(published_briefings(), slug=slug)
    sections = [s for s in published_sections() if s.briefing_id == briefing.pk]
    points = [p for p in published_points() if p.briefing_id == briefing.pk]
    changed = [item.last_changed for item in (briefing, *sections, *points)]
    dates = [briefing.last_updated, *(d and timezone.localdate(d) for d in changed)]
    return {
        "briefing": briefing,
        "last_updated": max((d for d in dates if d), default=None),
        "sections": sections,
        "practice_points": points,
        "resources": published_resources(),
        "references": [r for r in published_references() if r.in_research_list],
    }


briefing_page = Page("briefing_detail.html", briefing_context)


@reader_page(page=briefing_page)
def briefing_detail(request, slug):
    """The whole briefing read straight through: sections, then practice points."""
    return briefing_page.render(request, slug=slug)


def briefing_print_context(slug):
    context = briefing_context(slug)
    # The newest recorded change to what the printout shows: never when an item
    # was loaded or first published, only an edit saved with a change note (or
    # a date an editor entered) is a date the content can claim.
    context["content_date"] = context["last_updated"]
    return context


briefing_print_page = Page("briefing_print.html", briefing_print_context)


@reader_page(page=briefing_print_page)
def briefing_print(request, slug):
    """The whole briefing on one page with a contents list, ready to print."""
    return briefing_print_page.render(request, slug=slug)


@reader_page()
def briefing_pdf(request, slug):
    address = reverse("briefing_detail", args=[slug])
    return page_pdf(request, briefing_print_page, slug, address, slug=slug)


@reader_page()
def safety(request):
    """What quick exit can and cannot hide, how to browse privately, and what
    the site keeps (the words of searches that found nothing, if counted)."""
    return render(
        request,
        "safety.html",
        {
            "search_report": settings.SEARCH_NO_RESULTS_REPORT,
            "search_report_days": report.KEEP_DAYS,
            "search_report_shown_from": report.SHOWN_FROM,
        },
    )


def favicon(request):
    # Browsers ask for /favicon.ico on pages without our <link rel="icon">
    # (the admin); answering spares a 404 in every log.
    return redirect(static("favicon.svg"), permanent=True)


@reader_page(params=["since"])
def whats_changed(request):
    """Published changes with their notes, newest first; ?since=YYYY-MM-DD."""
    form = SinceForm(request.GET, auto_id="%s")
    since = form.cleaned_data.get("since") if form.is_valid() else None
    return render(
        request,
        "whats_changed.html",
        {
            # Everything a reader can see change: content that is published.
            "changes": published_changes(
                [m for m in content_models() if issubclass(m, Publishable)], since
            ),
            "since": since,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Called while the failing request's exception is being handled: a
    # database that is down or too slow is an outage to wait out (503), not a
    # broken page.
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        try:
            response = render(request, "503.html", status=503)
        except Exception:
            response = HttpResponse(
                "The site is not available for a moment. Please try again.",
                content_type="text/plain; charset=utf-8",
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "500.html", status=500)
