from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from editorial.changes import last_changed, noted_changes
from guidance.models import Audience, Quote, ResearchReference, Section
from guidance.views import PRACTICE_POINTS

from .models import PracticePoint


def practice_point_list(request):
    """The practice points, read after the briefing's sections."""
    points = list(PracticePoint.objects.published().prefetch_related("audiences"))
    last_section = (
        Section.objects.published()
        .filter(briefing__in={p.briefing_id for p in points[:1]})
        .only("slug", "title", "briefing__slug")
        .select_related("briefing")
        .last()
    )
    return render(
        request,
        "practice_points/practice_point_list.html",
        {
            "practice_points": points,
            "previous": last_section,
            "next": points[0] if points else None,
        },
    )


def practice_point_detail(request, slug):
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
    # Only a recorded event dates the page: loaded content has no date.
    changed = last_changed(noted_changes(PracticePoint).filter(id=point.pk))
    return render(
        request,
        "practice_points/practice_point_detail.html",
        {
            "point": point,
            "last_updated": changed and timezone.localdate(changed),
            "previous": points[index - 1] if index > 0 else PRACTICE_POINTS,
            "next": points[index + 1] if index + 1 < len(points) else None,
        },
    )
