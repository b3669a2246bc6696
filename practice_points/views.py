from django.shortcuts import render

from editorial.changes import page_dates, with_last_changed
from editorial.pagecache import Page, find, per_version, reader_page
from guidance.views import PRACTICE_POINTS, published_sections

from .models import PracticePoint


def published_points():
    """Every published practice point with all its page shows, in order.

    Built once per content version and shared by every page that lists or
    shows practice points: a page rendered later in the same version costs no
    query for them.
    """
    return per_version(
        "practice-points",
        lambda: with_last_changed(
            PracticePoint, list(PracticePoint.objects.published().with_page_content())
        ),
    )


@reader_page()
def practice_point_list(request):
    """The practice points, read after the briefing's sections."""
    points = published_points()
    briefing_ids = {p.briefing_id for p in points[:1]}
    sections = [s for s in published_sections() if s.briefing_id in briefing_ids]
    return render(
        request,
        "practice_points/practice_point_list.html",
        {
            "practice_points": points,
            "previous": sections[-1] if sections else None,
            "next": points[0] if points else None,
        },
    )


def practice_point_context(slug):
    """A practice point's page, its PDF and its preview all start here."""
    points = published_points()
    point = find(points, slug=slug)
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
        "previous": points[index - 1] if index > 0 else PRACTICE_POINTS,
        "next": points[index + 1] if index + 1 < len(points) else None,
    }


practice_point_page = Page(
    "practice_points/practice_point_detail.html", practice_point_context
)


@reader_page(page=practice_point_page)
def practice_point_detail(request, slug):
    return practice_point_page.render(request, slug=slug)
