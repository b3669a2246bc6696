from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from editorial.changes import last_changed, noted_changes
from editorial.pagecache import Page, reader_page
from guidance.models import Audience, Quote, ResearchReference

from .models import PracticePoint


@reader_page()
def practice_point_list(request):
    points = PracticePoint.objects.published().prefetch_related("audiences")
    return render(
        request, "practice_points/practice_point_list.html", {"practice_points": points}
    )


def practice_point_context(slug):
    """A practice point's page, its PDF and its preview all start here."""
    points = list(PracticePoint.objects.published().only("slug", "title", "position"))
    point = get_object_or_404(
        PracticePoint.objects.published()
        .select_related("briefing")
        .prefetch_related(
            Prefetch("audiences", queryset=Audience.objects.all()),
            Prefetch(
                "quotes", queryset=Quote.objects.published().select_related("source")
            ),
            Prefetch("references", queryset=ResearchReference.objects.published()),
            *PracticePoint.published_children(),
        ),
        slug=slug,
    )
    index = next(i for i, p in enumerate(points) if p.pk == point.pk)
    changed = last_changed(noted_changes(PracticePoint).filter(id=point.pk))
    published = changed or point.published_at
    return {
        "point": point,
        "last_updated": published and timezone.localdate(published),
        "previous": points[index - 1] if index > 0 else None,
        "next": points[index + 1] if index + 1 < len(points) else None,
    }


practice_point_page = Page(
    "practice_points/practice_point_detail.html", practice_point_context
)


@reader_page(page=practice_point_page)
def practice_point_detail(request, slug):
    return practice_point_page.render(request, slug=slug)
