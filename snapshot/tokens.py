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
    snapshots = Snapshot.objects.published().prefetch_related("organisations")
    return {snapshot.slug: snapshot.summary() for snapshot in snapshots}


def organisation_lists():
    lists = {}
    for snapshot in Snapshot.objects.published().prefetch_related("organisations"):
        items = format_html_join(
            "", "<li>{}</li>", ((str(o),) for o in snapshot.organisations.all())
        )
        lists[snapshot.slug] = format_html('<ul class="organisations">{}</ul>', items)
    return lists
