from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render

from .models import Figure, Snapshot, Study, StudyFigure


def _snapshots_with_figures():
    main_figures = (
        Figure.objects.published()
        .filter(parent=None)
        .prefetch_related(Prefetch("variants", queryset=Figure.objects.published()))
    )
    return (
        Snapshot.objects.published()
        .select_related("reference")
        .prefetch_related("organisations", Prefetch("figures", queryset=main_figures))
    )


def _render_snapshot(request, snapshot):
    studies = Study.objects.select_related("reference").prefetch_related(
        Prefetch("figures", queryset=StudyFigure.objects.published())
    )
    return render(
        request,
        "snapshot/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "snapshots": Snapshot.objects.published().only(
                "slug", "title", "period_label"
            ),
            "studies": studies,
        },
    )


def figure_list(request):
    """The figures page: the latest Snapshot, and figures from other studies."""
    return _render_snapshot(request, _snapshots_with_figures().first())


def snapshot_detail(request, slug):
    snapshot = _snapshots_with_figures().filter(slug=slug).first()
    if snapshot is None:
        raise Http404("No such snapshot")
    return _render_snapshot(request, snapshot)
