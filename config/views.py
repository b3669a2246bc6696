"""Top-floor pages: home, the whole briefing, and the site-wide safety page."""

import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone

from editorial.changes import last_changed, noted_changes, published_changes
from guidance.models import Briefing, Quote, ResearchReference, Resource, Section
from handouts.pdf import cached_response, pdf_response, public_url
from practice_points.models import (
    PracticeList,
    PracticePoint,
    Prompt,
    ReflectiveQuestion,
)
from snapshot.models import Figure, Snapshot, StudyFigure

# Everything a reader can see change, for "What's changed".
CHANGE_MODELS = [
    Briefing, Section, PracticePoint, PracticeList, Prompt, ReflectiveQuestion,
    Quote, Snapshot, Figure, StudyFigure, Resource, ResearchReference,
]  # fmt: skip


def _latest_snapshot():
    return (
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


def home(request):
    briefing = Briefing.objects.published().prefetch_related("audiences").first()
    practice_points = PracticePoint.objects.published().only("slug", "title", "summary")
    return render(
        request,
        "home.html",
        {
            "briefing": briefing,
            "snapshot": _latest_snapshot(),
            "practice_points": practice_points,
        },
    )


def _briefing_context(slug):
    briefing = get_object_or_404(
        Briefing.objects.published().prefetch_related("audiences"), slug=slug
    )
    published_quotes = Quote.objects.published().select_related("source")
    sections = (
        Section.objects.published()
        .filter(briefing=briefing)
        .select_related("briefing")
        .prefetch_related(Prefetch("quotes", queryset=published_quotes))
    )
    practice_points = (
        PracticePoint.objects.published()
        .filter(briefing=briefing)
        .prefetch_related(
            "audiences",
            Prefetch("quotes", queryset=published_quotes),
            *PracticePoint.published_children(),
        )
    )
    changed = last_changed(
        noted_changes(Briefing).filter(id=briefing.pk),
        noted_changes(Section).filter(briefing_id=briefing.pk),
        noted_changes(PracticePoint).filter(briefing_id=briefing.pk),
    )
    dates = [briefing.last_updated, changed and timezone.localdate(changed)]
    return {
        "briefing": briefing,
        "last_updated": max((d for d in dates if d), default=None),
        "sections": sections,
        "practice_points": practice_points,
        "resources": Resource.objects.published(),
        "references": ResearchReference.objects.published().filter(
            in_research_list=True
        ),
    }


def briefing_detail(request, slug):
    """The whole briefing read straight through: sections, then practice points."""
    return render(request, "briefing_detail.html", _briefing_context(slug))


def _content_date(context):
    """The date of the newest recorded change to what the printed briefing shows.

    Never when an item was loaded or first published: only an edit saved with a
    change note (or a date an editor entered) is a date the content can claim.
    """
    return context["last_updated"]


def briefing_print(request, slug):
    """The whole briefing on one page with a contents list, ready to print."""
    context = _briefing_context(slug)
    context["content_date"] = _content_date(context)
    context["live_url"] = public_url(request, context["briefing"].get_absolute_url())
    return render(request, "briefing_print.html", context)


def briefing_pdf(request, slug):
    if response := cached_response(request):
        return response
    html = briefing_print(request, slug).content.decode()
    return pdf_response(request, html, slug)


def safety(request):
    """What quick exit can and cannot hide, and how to browse privately."""
    return render(request, "safety.html")


def favicon(request):
    # Browsers ask for /favicon.ico on pages without our <link rel="icon">
    # (the admin); answering spares a 404 in every log.
    return redirect(static("favicon.svg"), permanent=True)


def whats_changed(request):
    """Published changes with their notes, newest first; ?since=YYYY-MM-DD."""
    since, error = None, ""
    raw_since = request.GET.get("since", "").strip()
    if raw_since:
        try:
            since = datetime.date.fromisoformat(raw_since)
        except ValueError:
            error = (
                f"“{raw_since}” is not a date. Use the form YYYY-MM-DD, for "
                "example 2024-03-31. Showing every change instead."
            )
    return render(
        request,
        "whats_changed.html",
        {
            "changes": published_changes(CHANGE_MODELS, since),
            "since": since,
            "raw_since": raw_since,
            "error": error,
        },
        status=400 if error else 200,
    )


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
