"""Deleting an item with everything in it, and recovering all of it in one action.

A delete from the admin first records a ``Deletion``: the item, everything the
delete cascades to (found by the collector the admin's delete page uses) and
the many-to-many link rows, serialized as they were. Recovering is in
``editorial.recovery``.
"""

from collections import Counter, defaultdict

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import router

from .models import Deletion

CONFIRM_WORD = "delete"


def key(model, pk):
    return f"{model._meta.label_lower}:{pk}"


def _collect(objs):
    collector = NestedObjects(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    return collector


def takes_others(obj):
    """Whether deleting ``obj`` also deletes children or links to other items."""
    collector = _collect([obj])
    return sum(len(instances) for instances in collector.data.values()) > 1


def links(objs):
    """The many-to-many link rows deleting ``objs`` removes, each with what it
    links to: {row: (model of the far end, far end)}."""
    collector = _collect(list(objs))
    gone = {key(m, i.pk) for m, instances in collector.data.items() for i in instances}
    rows = defaultdict(list)  # far-end field: link rows
    for model, instances in collector.data.items():
        if not model._meta.auto_created:
            continue
        ends = [f for f in model._meta.concrete_fields if f.is_relation]
        for row in instances:
            # The end that is not being deleted (a link inside the tree: either).
            far = next(
                (
                    f
                    for f in ends
                    if key(f.related_model, row.serializable_value(f.name)) not in gone
                ),
                ends[-1],
            )
            rows[far].append(row)
    found = {}
    for far, link_rows in rows.items():
        targets = far.related_model._base_manager.in_bulk(
            {row.serializable_value(far.name) for row in link_rows}
        )
        for row in link_rows:
            target = targets.get(row.serializable_value(far.name))
            found[row] = (far.related_model, target)
    return found


def is_confirmed(typed, obj):
    """The editor typed the item's title (or the word "delete")."""
    typed = " ".join((typed or "").split()).casefold()
    return bool(typed) and typed in {
        CONFIRM_WORD,
        " ".join(str(obj).split()).casefold(),
    }


def _saved_fields(model):
    # Many-to-many links are kept as their own rows (collected with the item),
    # so that links *to* the item come back too.
    return [f.name for f in model._meta.concrete_fields if not f.primary_key]


def record(obj, user):
    """Keep everything deleting ``obj`` will remove; call just before deleting."""
    collector = _collect([obj])
    rows, names = [], {}
    for model, instances in collector.data.items():
        instances = sorted(instances, key=lambda instance: instance.pk)
        rows += serializers.serialize("python", instances, fields=_saved_fields(model))
        if not model._meta.auto_created:
            names.update({key(model, i.pk): str(i) for i in instances})
    emptied = []
    for (field, _value), batches in collector.field_updates.items():
        for batch in batches:
            if hasattr(batch, "values_list"):
                held = batch.values_list("pk", field.attname)
            else:
                held = [(i.pk, getattr(i, field.attname)) for i in batch]
            emptied += [
                [field.model._meta.label_lower, pk, field.attname, value]
                for pk, value in held
            ]
    return Deletion.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        title=str(obj)[:300],
        rows=rows,
        names=names,
        emptied_links=emptied,
        deleted_by=user,
    )


def summary(deletion):
    """ "3 sections, 9 practice points and 12 links", for what else a deletion holds."""
    root = key(deletion.content_type.model_class(), deletion.object_id)
    counts = Counter(name.partition(":")[0] for name in deletion.names if name != root)
    parts = []
    for label, count in counts.items():
        opts = apps.get_model(label)._meta
        noun = opts.verbose_name if count == 1 else opts.verbose_name_plural
        parts.append(f"{count} {noun}")
    links = len(deletion.rows) - len(deletion.names)
    if links:
        parts.append(f"{links} link{'s' if links != 1 else ''} to other items")
    if not parts:
        return ""
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def deleted_items(model):
    """Items of ``model`` in deletions not yet recovered: (name, deletion, is_root)."""
    prefix = f"{model._meta.label_lower}:"
    content_type = ContentType.objects.get_for_model(model)
    found = []
    waiting = Deletion.objects.filter(recovered_at__isnull=True).select_related(
        "deleted_by", "content_type"
    )
    for deletion in waiting:
        for item_key, name in deletion.names.items():
            if item_key.startswith(prefix):
                is_root = (
                    deletion.content_type_id == content_type.pk
                    and item_key == prefix + deletion.object_id
                )
                found.append((item_key, name, deletion, is_root))
    return found
