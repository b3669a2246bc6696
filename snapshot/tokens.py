"""Resolvers for [[kind:slug]] tokens in guidance markdown (see guidance.markdown)."""

from django.utils.html import format_html, format_html_join

from .models import Figure, Snapshot, StudyFigure


# Each figure's value links to its place on the Snapshot page, where its source is.
def figures():
    return {
        f.slug: f.as_html(href=f.get_absolute_url())
        for f in Figure.objects.published().select_related("snapshot")
    }


def study_figures():
    return {
        f.slug: f.as_html(href=f.get_absolute_url())
        for f in StudyFigure.objects.published()
    }


def snapshot_summaries():
    summaries = {}
    for snapshot in Snapshot.objects.published().prefetch_related("organisations"):
        summaries[snapshot.slug] = format_html(
            "Over {} the {} organisations that make up the Encompass Network "
            "supported <strong>{} women</strong> who had been {}.",
            snapshot.period_label,
            len(snapshot.organisations.all()),
            snapshot.women_count,
            snapshot.population,
        )
    return summaries


def organisation_lists():
    lists = {}
    for snapshot in Snapshot.objects.published().prefetch_related("organisations"):
        items = format_html_join(
            "", "<li>{}</li>", ((str(o),) for o in snapshot.organisations.all())
        )
        lists[snapshot.slug] = format_html('<ul class="organisations">{}</ul>', items)
    return lists
