"""Keeping the search index current: what to index, and what a change touches.

Each content model describes itself through ``search_document()``. This module
decides which items a save or delete affects (a prompt changes its practice
point's text; a figure changes the sections that show it) and rewrites their
rows in ``Document``; the database keeps the full-text index in step.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from guidance.models import (
    Audience,
    Briefing,
    GlossaryTerm,
    Quote,
    ResearchReference,
    Resource,
    Section,
)
from practice_points.models import (
    PracticeList,
    PracticeListItem,
    PracticePoint,
    Prompt,
    ReflectiveQuestion,
)
from snapshot.models import Figure, Organisation, Snapshot, Study, StudyFigure

from .backends import START, STOP, forget_vocabulary, get_backend
from .models import Document, document_id


def _sources():
    """Every indexed model, with the related rows its search_document() reads."""
    return {
        Briefing: Briefing.objects.prefetch_related("audiences"),
        Section: Section.objects.select_related("briefing").prefetch_related(
            "audiences", "briefing__audiences"
        ),
        Quote: Quote.objects.select_related(
            "source", "section__briefing"
        ).prefetch_related("section__audiences", "section__briefing__audiences"),
        ResearchReference: ResearchReference.objects.all(),
        Resource: Resource.objects.all(),
        PracticePoint: PracticePoint.objects.select_related(
            "briefing"
        ).prefetch_related("audiences"),
        Prompt: Prompt.objects.select_related(
            "practice_point__briefing"
        ).prefetch_related("practice_point__audiences"),
        ReflectiveQuestion: ReflectiveQuestion.objects.select_related(
            "practice_point__briefing"
        ).prefetch_related("practice_point__audiences"),
        Snapshot: Snapshot.objects.prefetch_related("organisations"),
        Figure: Figure.objects.select_related("snapshot", "parent"),
        StudyFigure: StudyFigure.objects.select_related("study"),
        Organisation: Organisation.objects.all(),
        GlossaryTerm: GlossaryTerm.objects.all(),
    }


def _row(instance):
    doc = instance.search_document()
    if not doc.published:
        return None

    def clean(text):
        # The engines' match markers must never come from content (see backends).
        return (text or "").replace(START, "").replace(STOP, "")

    label = instance._meta.label_lower
    return Document(
        id=document_id(doc.kind, label, instance.pk),
        model=label,
        object_id=instance.pk,
        kind=doc.kind,
        title=clean(doc.title)[:500],
        body=clean(doc.body),
        url=doc.url,
        audiences=f" {' '.join(doc.audiences)} " if doc.audiences else "",
    )


def refresh(model, pks):
    """Rewrite the index rows for these items, dropping unpublished or deleted ones."""
    pks = set(pks)
    if not pks:
        return
    label = model._meta.label_lower
    with transaction.atomic():
        found = _sources()[model].filter(pk__in=pks)
        rows = [row for row in map(_row, found) if row]
        Document.objects.filter(model=label, object_id__in=pks).delete()
        Document.objects.bulk_create(rows)
    forget_vocabulary()


def rebuild():
    """The whole index from scratch; returns how many items it holds."""
    with transaction.atomic():
        Document.objects.all().delete()
        for queryset in _sources().values():
            rows = (row for row in map(_row, queryset.iterator(chunk_size=500)) if row)
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 500:
                    Document.objects.bulk_create(batch)
                    batch = []
            Document.objects.bulk_create(batch)
        get_backend().optimise()
    forget_vocabulary()
    return Document.objects.count()


def _showing(*tokens):
    """Items whose markdown shows data from another app through these tokens."""
    fields = {
        Briefing: ["summary"],
        Section: ["body"],
        PracticePoint: ["body", "closing"],
    }
    affected = []
    for model, names in fields.items():
        match = Q(pk__in=[])
        for token in tokens:
            for name in names:
                match |= Q(**{f"{name}__contains": token})
        affected.append(
            (model, model.objects.filter(match).values_list("pk", flat=True))
        )
    return affected


def _point_children(point_pks):
    return [
        (
            model,
            model.objects.filter(practice_point__in=point_pks).values_list(
                "pk", flat=True
            ),
        )
        for model in (Prompt, ReflectiveQuestion)
    ]


def _affected(instance):
    """(model, pks) of every index row that shows something from this instance."""
    model, pk = type(instance), instance.pk
    if model is Briefing:
        points = PracticePoint.objects.filter(briefing=pk).values_list("pk", flat=True)
        return [
            (Briefing, [pk]),
            (Section, Section.objects.filter(briefing=pk).values_list("pk", flat=True)),
            (
                Quote,
                Quote.objects.filter(section__briefing=pk).values_list("pk", flat=True),
            ),
            (PracticePoint, points),
            *_point_children(points),
        ]
    if model is Section:
        return [
            (Section, [pk]),
            (Quote, Quote.objects.filter(section=pk).values_list("pk", flat=True)),
        ]
    if model is ResearchReference:
        quotes = Quote.objects.filter(source=pk).values_list("pk", flat=True)
        return [(ResearchReference, [pk]), (Quote, quotes)]
    if model is PracticePoint:
        return [(PracticePoint, [pk]), *_point_children([pk])]
    if model in (Prompt, ReflectiveQuestion):
        return [(model, [pk]), (PracticePoint, [instance.practice_point_id])]
    if model is PracticeList:
        return [(PracticePoint, [instance.practice_point_id])]
    if model is PracticeListItem:
        point = PracticeList.objects.filter(pk=instance.practice_list_id).values_list(
            "practice_point", flat=True
        )
        return [(PracticePoint, point)]
    if model is Snapshot:
        slug = instance.slug
        return [
            (Snapshot, [pk]),
            (Figure, Figure.objects.filter(snapshot=pk).values_list("pk", flat=True)),
            # All of them: a deleted snapshot's links are gone before this runs.
            (Organisation, Organisation.objects.values_list("pk", flat=True)),
            *_showing(f":{slug}]]"),
        ]
    if model is Figure:
        variants = Figure.objects.filter(parent=pk).values_list("pk", flat=True)
        return [
            (Figure, [pk, *variants]),
            *_showing(f"[[figure:{instance.slug}]]"),
        ]
    if model is StudyFigure:
        tokens = f"[[study-figure:{instance.slug}]]"
        return [(StudyFigure, [pk]), *_showing(tokens)]
    if model is Study:
        figures = StudyFigure.objects.filter(study=pk).values_list("pk", flat=True)
        return [(StudyFigure, figures)]
    if model is Organisation:
        snapshots = Snapshot.objects.filter(organisations=pk)
        tokens = [f"[[organisations:{s.slug}]]" for s in snapshots]
        return [
            (Organisation, [pk]),
            (Snapshot, snapshots.values_list("pk", flat=True)),
            *_showing(*tokens),
        ]
    if model is Audience:
        # Rows that name it (it may be deleted) and items linked to it (renamed).
        linked = [
            *instance.briefings.all(),
            *instance.sections.all(),
            *instance.practice_points.all(),
        ]
        return _rows_for_audience(instance.slug) + [
            pair for item in linked for pair in _affected(item)
        ]
    return [(model, [pk])]


def _rows_for_audience(slug):
    """Every indexed item written for an audience, by model."""
    by_model = {}
    for label, object_id in Document.objects.filter(
        audiences__contains=f" {slug} "
    ).values_list("model", "object_id"):
        by_model.setdefault(label, []).append(object_id)
    models = {m._meta.label_lower: m for m in _sources()}
    return [(models[label], pks) for label, pks in by_model.items()]


def update(instance):
    for model, pks in _affected(instance):
        refresh(model, list(pks))


# Signal handlers. Fixture loading saves with raw=True: each object is still
# indexed from the database, and a later child or figure re-indexes its parent
# or section, so a finished load_content leaves the index complete.


def on_save(sender, instance, **kwargs):
    update(instance)


def on_delete(sender, instance, **kwargs):
    update(instance)


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        update(instance)
    elif pk_set:
        for related in model.objects.filter(pk__in=pk_set):
            update(related)


WATCHED = [
    Audience,
    Briefing,
    Section,
    Quote,
    ResearchReference,
    Resource,
    PracticePoint,
    Prompt,
    ReflectiveQuestion,
    PracticeList,
    PracticeListItem,
    Snapshot,
    Figure,
    Study,
    StudyFigure,
    Organisation,
    GlossaryTerm,
]
WATCHED_M2M = [
    Briefing.audiences.through,
    Section.audiences.through,
    PracticePoint.audiences.through,
    Snapshot.organisations.through,
]


def connect():
    for model in WATCHED:
        uid = f"search.index.{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, dispatch_uid=uid)
        post_delete.connect(on_delete, sender=model, dispatch_uid=uid)
    for through in WATCHED_M2M:
        m2m_changed.connect(
            on_m2m_changed, sender=through, dispatch_uid=f"search.index.{through}"
        )
