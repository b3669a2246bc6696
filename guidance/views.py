from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from editorial.pagecache import Page, reader_page

from .models import (
    Briefing,
    GlossaryTerm,
    Quote,
    ResearchReference,
    Resource,
    Section,
)


def section_context(briefing_slug, slug):
    """A section's page and its preview start here."""
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
    return {
        "briefing": briefing,
        "section": section,
        "previous": sections[index - 1] if index > 0 else None,
        "next": sections[index + 1] if index + 1 < len(sections) else None,
    }


section_page = Page("guidance/section_detail.html", section_context)


@reader_page(page=section_page)
def section_detail(request, briefing_slug, slug):
    return section_page.render(request, briefing_slug=briefing_slug, slug=slug)


@reader_page()
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


@reader_page()
def resource_list(request):
    return render(
        request,
        "guidance/resource_list.html",
        {"resources": Resource.objects.published()},
    )


@reader_page()
def quote_list(request):
    # "practice_points" is the reverse name: guidance never imports that app.
    points = Quote._meta.get_field("practice_points").related_model
    quotes = (
        Quote.objects.published()
        .select_related("source", "section__briefing")
        .prefetch_related(Prefetch("practice_points", points.objects.published()))
    )
    return render(request, "guidance/quote_list.html", {"quotes": quotes})


@reader_page()
def glossary(request):
    return render(
        request,
        "guidance/glossary.html",
        {"terms": GlossaryTerm.objects.published()},
    )
