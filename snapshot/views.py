import csv

from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from editorial.changes import page_dates, with_last_changed
from editorial.pagecache import Page, find, per_version, reader_page
from editorial.spreadsheet import csv_cell
from guidance.pdf import page_pdf

from . import charts, opendata
from .models import Figure, Organisation, Snapshot, Study, StudyFigure


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


def _studies():
    return Study.objects.select_related("reference").prefetch_related(
        Prefetch("figures", queryset=StudyFigure.objects.published())
    )


def _flat_figures(snapshot):
    """Each main figure followed by its variants, as the page lists them."""
    return [
        figure
        for main in snapshot.figures.all()
        for figure in (main, *main.variants.all())
    ]


def _snapshot_page_data():
    # A noted change to one of its figures dates the Snapshot too (rolls_up).
    snapshots = with_last_changed(Snapshot, list(_snapshots_with_figures()))
    for snapshot in snapshots:
        snapshot.dates = page_dates(snapshot, [snapshot.last_changed])
    studies = list(_studies())
    for study in studies:
        study.charts = charts.study_charts(study)
    return snapshots, studies


def snapshot_context(slug=None):
    """The figures page (the latest Snapshot, or the one named) and its PDF."""
    # Every Snapshot and study with its figures and charts, once per version.
    snapshots, studies = per_version("snapshot-pages", _snapshot_page_data)
    if slug is None:
        snapshot = snapshots[0] if snapshots else None
    else:
        snapshot = find(snapshots, slug=slug)
    context = {"snapshot": snapshot, "snapshots": snapshots, "studies": studies}
    if snapshot is not None:
        figures = _flat_figures(snapshot)
        context |= {
            "headline_figures": [f for f in figures if f.is_headline],
            "chart": charts.snapshot_chart(snapshot, figures),
        }
    return context


snapshot_page = Page("snapshot/snapshot_detail.html", snapshot_context)


@reader_page(page=snapshot_page)
def figure_list(request):
    """The figures page: the latest Snapshot, and figures from other studies."""
    return snapshot_page.render(request)


@reader_page(page=snapshot_page)
def snapshot_detail(request, slug):
    return snapshot_page.render(request, slug=slug)


def published_organisations():
    """Every organisation with the published Snapshots it took part in."""
    return per_version(
        "organisations",
        lambda: list(
            Organisation.objects.published()
            .select_related("resource")
            .prefetch_related(
                Prefetch("snapshots", queryset=Snapshot.objects.published())
            )
        ),
    )


def _by_area(organisations):
    """[(area, organisations)], areas A to Z, those with no area stated last."""
    areas = {}
    for organisation in organisations:
        areas.setdefault(organisation.area, []).append(organisation)
    return sorted(areas.items(), key=lambda item: (not item[0], item[0].casefold()))


@reader_page()
def organisation_list(request):
    """Local support: the Encompass organisations, by the area they serve."""
    return render(
        request,
        "snapshot/organisation_list.html",
        {"areas": _by_area(published_organisations())},
    )


@reader_page()
def organisation_detail(request, slug):
    organisation = find(published_organisations(), slug=slug)
    return render(
        request, "snapshot/organisation_detail.html", {"organisation": organisation}
    )


@reader_page()
def snapshot_compare(request):
    """Each measure across every published Snapshot, side by side."""
    snapshots = list(Snapshot.objects.published().order_by("period_month"))
    figures = (
        Figure.objects.published()
        .filter(snapshot__in=snapshots, subgroup="")
        .select_related("snapshot")
        .order_by("snapshot__period_month", "position")
    )
    measures = {}
    for figure in figures:
        row = measures.setdefault(figure.measure, {"measure": figure.measure})
        by_snapshot = row.setdefault("by_snapshot", {})
        # The first figure for a measure in a snapshot is the main one; later
        # ones restate it (a headline) and are not compared.
        if figure.snapshot_id not in by_snapshot:
            by_snapshot[figure.snapshot_id] = figure
            row["title"] = figure.title  # the latest snapshot's wording
    rows = [
        {**row, "cells": [row["by_snapshot"].get(s.pk) for s in snapshots]}
        for row in measures.values()
    ]
    return render(
        request,
        "snapshot/snapshot_compare.html",
        {"snapshots": snapshots, "rows": rows},
    )


def _download_snapshot(slug):
    snapshot = get_object_or_404(
        Snapshot.objects.published()
        .select_related("reference")
        .prefetch_related("organisations"),
        slug=slug,
    )
    figures = (
        Figure.objects.published()
        .filter(snapshot=snapshot)
        .select_related("parent")
        .order_by("position")
    )
    return snapshot, figures


def _csv_response(filename, columns, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.DictWriter(response, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(row[k]) for k in columns})
    return response


def _json_response(filename, data):
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json_rows(rows):
    return [{k: opendata.json_value(v) for k, v in row.items()} for row in rows]


@reader_page()
def snapshot_figures_csv(request, slug):
    snapshot, figures = _download_snapshot(slug)
    rows = opendata.figure_rows(snapshot, figures, request.build_absolute_uri)
    return _csv_response(f"{snapshot.slug}.csv", opendata.FIGURE_COLUMNS, rows)


@reader_page()
def snapshot_figures_json(request, slug):
    snapshot, figures = _download_snapshot(slug)
    absolute = request.build_absolute_uri
    rows = opendata.figure_rows(snapshot, figures, absolute)
    data = {
        "snapshot": opendata.snapshot_metadata(snapshot, absolute),
        "citation": opendata.citation(snapshot, absolute(snapshot.get_absolute_url())),
        "columns": opendata.FIGURE_COLUMNS,
        "figures": _json_rows(rows),
    }
    return _json_response(f"{snapshot.slug}.json", data)


@reader_page()
def study_figures_csv(request):
    rows = opendata.study_rows(_studies(), request.build_absolute_uri)
    return _csv_response("other-studies.csv", opendata.STUDY_COLUMNS, rows)


@reader_page()
def study_figures_json(request):
    rows = opendata.study_rows(_studies(), request.build_absolute_uri)
    data = {
        "notes": (
            "Figures from other studies, with their own samples: they are not "
            "Encompass Snapshot figures. percentage is computed where a study gives "
            "a count and denominator; published_percentage is as printed."
        ),
        "columns": opendata.STUDY_COLUMNS,
        "figures": _json_rows(rows),
    }
    return _json_response("other-studies.json", data)


@reader_page()
def snapshot_pdf(request, slug):
    return page_pdf(request, snapshot_page, "snapshot:snapshot_detail", slug)
