"""Keeping the search index current: what to index, and what a change touches.

Each content model describes itself through ``search_document()``, and its
``Content`` (see editorial.content) names the related rows that method reads.
Those lookups are the whole table of what a change touches: a prompt is read
by its practice point, an audience by everything written for it. A change
rewrites the rows of every item that reads it, and of every item whose
markdown shows it through a token (a figure: the sections with
``[[figure:slug]]``); the database keeps the full-text index in step with
``Document``.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from markdownx.models import MarkdownxField

from editorial.bulk import loaded, loading_in_bulk
from editorial.content import cached, content_models, content_of, searchable_models
from guidance.markdown import token_kinds

from .backends import START, STOP, forget_vocabulary, get_backend
from .models import Document, item_weight
from .semantic import embed, item_text


def _path(model, lookup):
    """The fields a lookup such as "practice_point__audiences" follows."""
    fields = []
    for name in lookup.split("__"):
        field = model._meta.get_field(name)
        fields.append(field)
        model = field.related_model
    return fields


def _many(field):
    return field.many_to_many or field.one_to_many


@cached
def _related(model):
    """What to select_related and prefetch_related for the model's documents."""
    joined, prefetched = [], []
    for lookup in content_of(model).search_reads:
        names, path = lookup.split("__"), _path(model, lookup)
        single = next((n for n, field in enumerate(path) if _many(field)), len(path))
        if single:
            joined.append("__".join(names[:single]))
        if single < len(path):
            prefetched.append(lookup)
    # "a" is joined already when "a__b" is.
    joined = [j for j in joined if not any(o.startswith(j + "__") for o in joined)]
    return joined, prefetched


def _source(model):
    """The model's items with the related rows their search_document() reads."""
    joined, prefetched = _related(model)
    queryset = model._default_manager.prefetch_related(*prefetched)
    return queryset.select_related(*joined) if joined else queryset


@cached
def _readers():
    """{model: {indexed model: [lookups from it that reach the model]}}."""
    readers = {}
    for reader in searchable_models():
        for lookup in content_of(reader).search_reads:
            names = lookup.split("__")
            for n, field in enumerate(_path(reader, lookup), start=1):
                found = readers.setdefault(field.related_model, {})
                lookups = found.setdefault(reader, [])
                if "__".join(names[:n]) not in lookups:
                    lookups.append("__".join(names[:n]))
    return readers


@cached
def _markdown_fields():
    """{indexed model: its markdown fields}, where tokens can show other items."""
    fields = {}
    for model in searchable_models():
        names = [f.name for f in model._meta.fields if isinstance(f, MarkdownxField)]
        if names:
            fields[model] = names
    return fields


def _row(instance):
    doc = instance.search_document()
    if not doc.published:
        return None

    def clean(text):
        # The engines' match markers must never come from content (see backends).
        return (text or "").replace(START, "").replace(STOP, "")

    label = instance._meta.label_lower
    kind = content_of(type(instance)).kind
    title, body = clean(doc.title)[:500], clean(doc.body)
    return Document(
        model=label,
        object_id=instance.pk,
        kind=kind,
        title=title,
        body=body,
        weight=item_weight(kind, title, body),
        url=doc.url,
        audiences=f" {' '.join(doc.audiences)} " if doc.audiences else "",
        briefing=doc.briefing,
    )


def _embedded(rows):
    """The rows with their vectors (search.semantic), embedded in one batch."""
    vectors = embed([item_text(row.title, row.body) for row in rows])
    for row, vector in zip(rows, vectors or (), strict=False):
        row.embedding = vector
    return rows


def refresh(model, pks):
    """Rewrite the index rows for these items, dropping unpublished or deleted ones."""
    pks = set(pks)
    if not pks:
        return
    label = model._meta.label_lower
    with transaction.atomic():
        found = _source(model).filter(pk__in=pks)
        rows = [row for row in map(_row, found) if row]
        Document.objects.filter(model=label, object_id__in=pks).delete()
        Document.objects.bulk_create(_embedded(rows))
    forget_vocabulary()


def rebuild():
    """The whole index from scratch; returns how many items it holds."""
    with transaction.atomic():
        Document.objects.all().delete()
        for model in searchable_models():
            items = _source(model).iterator(chunk_size=500)
            rows = (row for row in map(_row, items) if row)
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 500:
                    Document.objects.bulk_create(_embedded(batch))
                    batch = []
            Document.objects.bulk_create(_embedded(batch))
        get_backend().optimise()
    forget_vocabulary()
    return Document.objects.count()


def _showing(affected):
    """Items whose markdown shows any of the affected items through a token."""
    tokens = []
    for model, pks in affected:
        kinds = token_kinds(model)
        if kinds:
            slugs = model._default_manager.filter(pk__in=pks).values_list("slug")
            tokens += [f"[[{kind}:{slug}]]" for (slug,) in slugs for kind in kinds]
    if not tokens:
        return []
    showing = []
    for model, names in _markdown_fields().items():
        match = Q(pk__in=[])
        for token in tokens:
            for name in names:
                match |= Q(**{f"{name}__contains": token})
        pks = model._default_manager.filter(match).values_list("pk", flat=True)
        showing.append((model, pks))
    return showing


def _affected(instance):
    """(model, pks) of every index row that shows something from this instance."""
    model, pk = type(instance), instance.pk
    affected = [(model, [pk])] if model in searchable_models() else []
    for reader, lookups in _readers().get(model, {}).items():
        match = Q()
        for lookup in lookups:
            match |= Q(**{lookup: pk})
        pks = reader._default_manager.filter(match).values_list("pk", flat=True)
        affected.append((reader, pks.distinct()))
    return affected + _showing(affected)


def update(instance, affected=None):
    for model, pks in _affected(instance) if affected is None else affected:
        refresh(model, list(pks))


# Signal handlers. Fixture loading saves with raw=True: each object is still
# indexed from the database, and a later child or figure re-indexes its parent
# or section, so a finished load_content leaves the index complete.


def on_save(sender, instance, **kwargs):
    if not loading_in_bulk():
        update(instance)


def before_delete(sender, instance, **kwargs):
    if loading_in_bulk():
        return
    # Once the row is gone, so are the links that lead to what it touched.
    instance._search_affected = [(m, list(pks)) for m, pks in _affected(instance)]


def on_delete(sender, instance, **kwargs):
    if not loading_in_bulk():
        update(instance, getattr(instance, "_search_affected", None))


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or loading_in_bulk():
        return
    if not reverse:
        update(instance)
    elif pk_set:
        for related in model.objects.filter(pk__in=pk_set):
            update(related)


def _read_links():
    """The many-to-many tables that search documents read through."""
    throughs = set()
    for model in searchable_models():
        for lookup in content_of(model).search_reads:
            for field in _path(model, lookup):
                if field.many_to_many:
                    # A ManyToManyField names its table on remote_field, the
                    # reverse relation on itself.
                    through = getattr(field, "through", None)
                    throughs.add(through or field.remote_field.through)
    return throughs


def on_bulk_loaded(**kwargs):
    rebuild()


def connect():
    loaded.connect(on_bulk_loaded, dispatch_uid="search.index.bulk")
    for model in content_models():
        uid = f"search.index.{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(before_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(on_delete, sender=model, dispatch_uid=uid)
    for through in _read_links():
        m2m_changed.connect(
            on_m2m_changed, sender=through, dispatch_uid=f"search.index.{through}"
        )
