"""Top-floor pages: home, the whole briefing, and the site-wide safety page."""

import sys

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse

from editorial.changes import page_dates, published_changes, shown_with
from editorial.content import content_models
from editorial.models import Publishable
from editorial.pagecache import Page, find, per_version, reader_page
from guidance.citations import public_url
from guidance.forms import LibraryFilterForm, for_audience
from guidance.models import (
    Briefing,
    GlossaryTerm,
    ResearchReference,
    Resource,
)
from guidance.pdf import page_pdf
from guidance.views import (
    published_audiences,
    published_briefings,
    published_references,
    published_resources,
    published_sections,
)
from practice_points.views import points_of, published_points
from search import report
from snapshot.models import Figure, Snapshot
from snapshot.views import snapshot_context

from . import offline
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


@reader_page(params=["audience", "topic"])
def home(request):
    """One briefing's own front page; with several, the library of them."""
    briefings = published_briefings()
    snapshots = per_version("latest-snapshot", _latest_snapshot)
    snapshot = snapshots[0] if snapshots else None
    if len(briefings) > 1:
        return library(request, briefings, snapshot)
    return render(
        request,
        "home.html",
        {
            "briefing": briefings[0] if briefings else None,
            "snapshot": snapshot,
            "practice_points": published_points(),
        },
    )


def library(request, briefings, snapshot):
    form = LibraryFilterForm(
        request.GET,
        briefings=briefings,
        audiences=published_audiences(),
        fields=("audience", "topic"),
    )
    topic = form.value("topic")
    shown = for_audience(briefings, form.value("audience"))
    return render(
        request,
        "library.html",
        {
            "form": form,
            "entries": [
                {"briefing": b, "dates": _parts(b)[2]}
                for b in shown
                if not topic or b.topic == topic
            ],
            "snapshot": snapshot,
        },
    )


def _parts(briefing):
    """A briefing's published sections and practice points, and its dates."""
    sections = [s for s in published_sections() if s.briefing_id == briefing.pk]
    points = points_of(briefing)
    changed = [item.last_changed for item in (briefing, *sections, *points)]
    dates = page_dates(
        briefing,
        [briefing.last_updated, *changed],
        published=briefing.first_published,
        reviewed=briefing.last_reviewed,
        review_due=briefing.next_review_due,
    )
    return sections, points, dates


def briefing_context(slug):
    """The whole briefing: its page, print page, PDF and preview start here."""
    briefing = find(published_briefings(), slug=slug)
    sections, points, dates = _parts(briefing)
    return {
        "briefing": briefing,
        "dates": dates,
        "last_updated": dates["updated"],
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
    return page_pdf(request, briefing_print_page, "briefing_detail", slug)


def briefing_offline_context(slug):
    """The print page's context, with the Snapshot's figures and the glossary
    the briefing links to, so the file answers its own links."""
    context = briefing_print_context(slug)
    context["snapshot"] = snapshot_context()["snapshot"]
    context["glossary"] = per_version(
        "glossary", lambda: list(GlossaryTerm.objects.published())
    )
    context["stylesheet"] = offline.stylesheet()
    context["policy"] = offline.POLICY
    context["anchors"] = offline.pack_anchors(context)
    return context


briefing_offline_page = Page("briefing_offline.html", briefing_offline_context)


@reader_page(page=briefing_offline_page)
@csp(
    {
        "default-src": [NONE],
        "style-src": [UNSAFE_INLINE],
        "img-src": ["data:"],
        "base-uri": [NONE],
        "form-action": [NONE],
        "frame-ancestors": [NONE],
    }
)
def briefing_offline(request, slug):
    """The whole briefing as one HTML file to keep and read without a network.

    Its inline <style> needs a policy of its own: no script, no requests.
    """
    context = briefing_offline_context(slug)
    html = render_to_string(briefing_offline_page.template, context, request=request)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    # Kept in someone's downloads: a name that says nothing of the subject.
    filename = f"offline-copy-{context['briefing'].pk}.html"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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


def reader_changes(since=None):
    """Everything a reader can see change: noted changes to published content.

    The page and its Atom feeds (``config/feeds.py``) both read this list.
    """
    return published_changes(
        [m for m in content_models() if issubclass(m, Publishable)], since
    )


def briefing_belongs(briefing):
    """Whether a change is to what the briefing's page shows: the briefing, its
    sections and practice points and what each of those rolls up (as dates them
    on their own pages), every resource, and the research it lists."""
    sections = [s for s in published_sections() if s.briefing_id == briefing.pk]
    shown = {(Briefing, briefing.pk)}
    for item in (*sections, *points_of(briefing)):
        shown |= shown_with(item)

    def belongs(item):
        match item:
            case Resource():  # the briefing page lists every resource
                return True
            case ResearchReference():
                return item.in_research_list
        return (type(item), item.pk) in shown

    return belongs


@reader_page(params=["since", "briefing"])
def whats_changed(request):
    """Published changes with their notes, newest first; ?since=YYYY-MM-DD,
    ?briefing=its-slug."""
    form = SinceForm(request.GET, auto_id="%s")
    since = form.cleaned_data.get("since") if form.is_valid() else None
    briefings = published_briefings()
    filters = LibraryFilterForm(request.GET, briefings=briefings)
    changes = reader_changes(since)
    chosen = (
        find(briefings, slug=filters.value("briefing")) if filters.narrowed else None
    )
    if chosen:
        belongs = briefing_belongs(chosen)
        changes = [change for change in changes if belongs(change["item"])]
    return render(
        request,
        "whats_changed.html",
        {
            "changes": changes,
            "filters": filters if len(briefings) > 1 else None,
            "chosen": chosen,
            # Each has a feed of its own, offered under "Get updates".
            "briefings": briefings,
            "snapshots": snapshot_context()["snapshots"],
            "since": since,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@reader_page()
def follow_changes(request, kind="all", slug=None):
    """How to follow a feed of changes, with its address to copy: the page a
    reader reaches instead of the feed's raw XML."""
    if kind == "briefing":
        briefing = find(published_briefings(), slug=slug)
        feed = reverse("briefing_changes_feed", args=[slug])
        what, item = "changes to this briefing and its practice points", briefing
    elif kind == "snapshot":
        snapshot = find(snapshot_context()["snapshots"], slug=slug)
        feed = reverse("snapshot_changes_feed", args=[slug])
        what, item = "changes to the figures of this Snapshot", snapshot
    else:
        feed, what, item = reverse("whats_changed_feed"), "every change", None
    return render(
        request,
        "follow_changes.html",
        {
            "item": item,
            "what": what,
            "feed": feed,
            "feed_address": public_url(request, feed),
        },
    )


def bad_request(request, exception):
    try:
        request.get_host()
    except DisallowedHost:
        # The page's printed addresses are built from the host: answer plainly.
        return HttpResponseBadRequest(
            "Bad request", content_type="text/plain; charset=utf-8"
        )
    return render(request, "400.html", status=400)


def locked_out(request, original_response=None, credentials=None, window=None):
    """django-axes' answer to a login while the username is locked out here;
    with ``window`` (seconds), the answer to too many sign-ins from one address."""
    context = {
        **admin.site.each_context(request),
        "title": "Signing in is paused",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }
    if window:
        context.update(
            address_limit=settings.SIGN_IN_ADDRESS_LIMIT, minutes=window // 60
        )
    return render(request, "registration/locked_out.html", context, status=429)


def csrf_failure(request, reason=""):
    """The site's own page, not Django's stock one, when a form's check fails."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


# What an error page shows without asking the database, which may be down,
# frozen or in a failed transaction: the footer's plain credit.
NO_DATABASE = {"library_credits": ()}


def server_error(request):
    # Called while the failing request's exception is being handled: a
    # database that is down or too slow is an outage to wait out (503), not a
    # broken page.
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        try:
            response = render(request, "503.html", NO_DATABASE, status=503)
        except Exception:
            response = HttpResponse(
                "The site is not available for a moment. Please try again.",
                content_type="text/plain; charset=utf-8",
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "500.html", NO_DATABASE, status=500)
