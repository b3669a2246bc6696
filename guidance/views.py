from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy

from .models import (
    Briefing,
    GlossaryTerm,
    Quote,
    ResearchReference,
    Resource,
    Section,
)

# The briefing reads on from its last section into the practice points, a page
# of the app above this one: linked by URL name, never imported.
PRACTICE_POINTS = {
    "title": "Practice points",
    "get_absolute_url": reverse_lazy("practice_points:practice_point_list"),
}


def section_detail(request, briefing_slug, slug):
    briefing = get_object_or_404(Briefing.objects.published(), slug=briefing_slug)
    sections = list(
        Section.objects.published()
        .filter(briefing=briefing)
        .select_related("briefing")
        .only("slug", "title", "part", "briefing__slug")
    )
    section = get_object_or_404(
        Section.objects.published()
        .select_related("briefing")
        .prefetch_related(
            "audiences",
            Prefetch(
                "quotes", queryset=Quote.objects.published().select_related("source")
            ),
            Prefetch("references", queryset=ResearchReference.objects.published()),
        ),
        briefing=briefing,
        slug=slug,
    )
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    return render(
        request,
        "guidance/section_detail.html",
        {
            "briefing": briefing,
            "section": section,
            "previous": sections[index - 1] if index > 0 else None,
            "next": sections[index + 1]
            if index + 1 < len(sections)
            else PRACTICE_POINTS,
        },
    )


def reference_list(request):
    references = ResearchReference.objects.published()
    return render(
        request,
        "guidance/reference_list.html",
        {
            "listed": [r for r in references if r.in_research_list],
            "cited": [r for r in references if not r.in_research_list],
        },
    )


def resource_list(request):
    return render(
        request,
        "guidance/resource_list.html",
        {"resources": Resource.objects.published()},
    )


def quote_list(request):
    # "practice_points" is the reverse name: guidance never imports that app.
    points = Quote._meta.get_field("practice_points").related_model
    quotes = (
        Quote.objects.published()
        .select_related("source", "section__briefing")
        .prefetch_related(Prefetch("practice_points", points.objects.published()))
    )
    return render(request, "guidance/quote_list.html", {"quotes": quotes})


def glossary(request):
    return render(
        request,
        "guidance/glossary.html",
        {"terms": GlossaryTerm.objects.published()},
    )
