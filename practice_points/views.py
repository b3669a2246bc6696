from django.shortcuts import render

from editorial.changes import page_dates, with_last_changed
from editorial.pagecache import Page, find, per_version, reader_page
from guidance.forms import LibraryFilterForm, for_audience
from guidance.pdf import page_pdf
from guidance.views import (
    practice_points_link,
    published_audiences,
    published_briefings,
    published_sections,
)

from .models import PracticePoint


def published_points():
    """Every published practice point with all its page shows, in order.

    Built once per content version and shared by every page that lists or
    shows practice points: a page rendered later in the same version costs no
    query for them.
    """
    return per_version("practice-points", _published_points)


def _published_points():
    points = PracticePoint.objects.published().with_page_content()
    # Briefing by briefing, each in its editors' order (numbered within it).
    points = sorted(points, key=lambda p: (p.briefing.position, p.briefing.title))
    return with_last_changed(PracticePoint, points)


def points_of(briefing):
    return [p for p in published_points() if p.briefing_id == briefing.pk]


def shared_audiences(points):
    """The audiences every one of ``points`` is written for, when they are all
    written for the same readers (said once above the list), else None."""
    kinds = {tuple(a.pk for a in point.audiences.all()) for point in points}
    return list(points[0].audiences.all()) if len(kinds) == 1 else None


@reader_page(params=["briefing", "audience"])
def practice_point_list(request):
    """The practice points under their briefings, read after each one's sections."""
    briefings = published_briefings()
    form = LibraryFilterForm(
        request.GET,
        briefings=briefings,
        audiences=published_audiences(),
        fields=("briefing", "audience"),
    )
    chosen = form.value("briefing")
    groups = [
        {"briefing": b, "points": for_audience(points_of(b), form.value("audience"))}
        for b in briefings
        if not chosen or b.slug == chosen
    ]
    for group in groups:
        # Said once above the list when every point is for the same readers.
        group["audiences"] = (
            shared_audiences(group["points"]) if group["points"] else None
        )
        group["shared"] = group["audiences"] is not None
    points = [p for group in groups for p in group["points"]]
    first = groups[0]["briefing"] if groups else None
    sections = [s for s in published_sections() if first and s.briefing_id == first.pk]
    return render(
        request,
        "practice_points/practice_point_list.html",
        {
            "groups": [g for g in groups if g["points"]],
            "several": len(briefings) > 1,
            "form": form,
            "practice_points": points,
            "previous": sections[-1] if sections else None,
            "next": points[0] if points else None,
        },
    )


def practice_point_context(slug):
    """A practice point's page, its PDF and its preview all start here."""
    point = find(published_points(), slug=slug)
    # Previous and next within its own briefing.
    points = points_of(point.briefing)
    index = points.index(point)
    # Only a recorded event dates the page: loaded content has no date.
    dates = page_dates(
        point,
        [point.last_changed],
        reviewed=point.last_reviewed,
        review_due=point.next_review_due,
    )
    return {
        "point": point,
        "dates": dates,
        "last_updated": dates["updated"],
        "previous": points[index - 1]
        if index > 0
        else practice_points_link(point.briefing),
        "next": points[index + 1] if index + 1 < len(points) else None,
    }


practice_point_page = Page(
    "practice_points/practice_point_detail.html", practice_point_context
)


@reader_page(page=practice_point_page)
def practice_point_detail(request, slug):
    return practice_point_page.render(request, slug=slug)


@reader_page()
def practice_point_pdf(request, slug):
    detail = "practice_points:practice_point_detail"
    return page_pdf(request, practice_point_page, detail, slug)
