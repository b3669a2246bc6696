from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse, reverse_lazy

from editorial.changes import page_dates, with_last_changed
from editorial.pagecache import Page, find, per_version, reader_page

from .models import (
    Audience,
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


# Collections many pages show, each built once per content version.


def published_briefings():
    return per_version(
        "briefings",
        lambda: with_last_changed(
            Briefing, list(Briefing.objects.published().prefetch_related("audiences"))
        ),
    )


def published_audiences():
    return per_version("audiences", lambda: list(Audience.objects.all()))


def practice_points_link(briefing):
    """Where a briefing reads on into its practice points: the list, narrowed
    to the briefing when there are several."""
    if len(published_briefings()) < 2:
        return PRACTICE_POINTS
    url = reverse("practice_points:practice_point_list")
    return {
        "title": "Practice points",
        "get_absolute_url": f"{url}?briefing={briefing.slug}",
    }


def published_sections():
    return per_version(
        "sections",
        lambda: with_last_changed(
            Section, list(Section.objects.published().with_page_content())
        ),
    )


def published_resources():
    return per_version("resources", lambda: list(Resource.objects.published()))


def published_references():
    return per_version(
        "references", lambda: list(ResearchReference.objects.published())
    )


def section_context(briefing_slug, slug):
    """A section's page and its preview start here."""
    briefing = find(published_briefings(), slug=briefing_slug)
    sections = [s for s in published_sections() if s.briefing_id == briefing.pk]
    section = find(sections, slug=slug)
    index = sections.index(section)
    return {
        "briefing": briefing,
        "section": section,
        "dates": page_dates(section, [section.last_changed]),
        "previous": sections[index - 1] if index > 0 else None,
        "next": sections[index + 1]
        if index + 1 < len(sections)
        else practice_points_link(briefing),
    }


section_page = Page("guidance/section_detail.html", section_context)


@reader_page(page=section_page)
def section_detail(request, briefing_slug, slug):
    return section_page.render(request, briefing_slug=briefing_slug, slug=slug)


@reader_page()
def reference_list(request):
    references = published_references()
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
        {"resources": published_resources()},
    )


@reader_page()
def quote_list(request):
    # "practice_points" is the reverse name: guidance never imports that app.
    points = Quote._meta.get_field("practice_points").related_model
    quotes = (
        Quote.objects.published()
        .with_page_content()
        .select_related("section__briefing")
        .prefetch_related(
            Prefetch(
                "practice_points",
                points.objects.published().select_related("briefing"),
            )
        )
    )
    for quote in quotes:
        # The briefing it is shown in, for "Cite this": its section's, or else
        # the briefing of a practice point it is shown with.
        shown_with = [quote.section] if quote.section else []
        shown_with += quote.practice_points.all()
        quote.shown_in = next(
            (
                i.briefing
                for i in shown_with
                if i.is_published and i.briefing.is_published
            ),
            None,
        )
    return render(request, "guidance/quote_list.html", {"quotes": quotes})


def glossary_context():
    return {"terms": GlossaryTerm.objects.published()}


glossary_page = Page("guidance/glossary.html", glossary_context)


@reader_page(page=glossary_page)
def glossary(request):
    return glossary_page.render(request)
