"""Top-floor pages that gather a little of everything: home and the whole briefing."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from guidance.models import Briefing, Quote, ResearchReference, Resource, Section
from handouts.pdf import cached_response, pdf_response, public_url
from practice_points.models import PracticePoint
from snapshot.models import Figure, Snapshot


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
    return {
        "briefing": briefing,
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
    """The newest date among what the printed briefing shows."""
    briefing = context["briefing"]
    dates = [briefing.last_updated]
    for item in [briefing, *context["sections"], *context["practice_points"]]:
        dates.append(item.published_at and item.published_at.date())
    return max((d for d in dates if d), default=None)


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


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
