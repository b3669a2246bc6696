"""Deleting an item with everything in it, and recovering all of it in one action.

A delete from the admin first records a ``Deletion``: the item, everything the
delete cascades to (found by the collector the admin's delete page uses) and
the many-to-many link rows, serialized as they were. Recovering puts every row
back with its own primary key in one transaction, records "Recovered by …" in
each item's history, and fills in again the links the delete emptied.
"""

from collections import Counter, defaultdict

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.formats import date_format

from .content import content_models
from .history import RECOVERED
from .models import Deletion

CONFIRM_WORD = "delete"


class CannotRecover(Exception):
    """Recovery refused; ``blocking`` is the deletion to recover first, if any."""

    def __init__(self, message, blocking=None):
        super().__init__(message)
        self.blocking = blocking


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


def holding(item_key):
    """The deletion, not yet recovered, that holds the item ``item_key``."""
    for deletion in Deletion.objects.filter(recovered_at__isnull=True):
        if item_key in deletion.names:
            return deletion
    return None


def _order(model):
    # Link rows first: an item saved after its links is indexed with them (the
    # search index reads an item when it is saved). Foreign keys are checked
    # at the end of the transaction, so the order is free otherwise.
    if model._meta.auto_created:
        return -1
    order = content_models()
    return order.index(model) if model in order else len(order)


def _existing(pks_by_model):
    found = set()
    for model, pks in pks_by_model.items():
        existing = model._default_manager.filter(pk__in=pks).values_list(
            "pk", flat=True
        )
        found |= {key(model, pk) for pk in existing}
    return found


def _missing_parent_message(model, pk):
    item_key = key(model, pk)
    blocking = holding(item_key)
    noun = model._meta.verbose_name
    if blocking is None:
        return CannotRecover(
            f"Its {noun} (id {pk}) no longer exists and is not among the deleted "
            f"items to recover. Bring the {noun} back from its history first."
        )
    when = date_format(timezone.localtime(blocking.deleted_at), "j F Y, H:i")
    who = blocking.deleted_by or "someone"
    return CannotRecover(
        f"Its {noun} “{blocking.names[item_key]}” was deleted too ({when}, by "
        f"{who}), so this cannot come back on its own. Recover the "
        f"{blocking.content_type.name} “{blocking.title}” first: it is listed "
        "below.",
        blocking=blocking,
    )


def _pointers(obj):
    """(field, key of the item it points at) for each foreign key that is set."""
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname) if field.is_relation else None
        if value is not None:
            yield field, key(field.related_model, value)


def _check_parents(objects, keys):
    """Leave out links to items gone since; refuse when a parent is missing."""
    wanted = defaultdict(set)
    for obj in objects:
        for field, target in _pointers(obj):
            if target not in keys:
                wanted[field.related_model].add(getattr(obj, field.attname))
    present = keys | _existing(wanted)
    kept = []
    for obj in objects:
        for field, target in _pointers(obj):
            if target in present:
                continue
            if obj._meta.auto_created:
                break  # a link to an item deleted since: left out
            if not field.null:
                raise _missing_parent_message(
                    field.related_model, getattr(obj, field.attname)
                )
            setattr(obj, field.attname, None)
        else:
            kept.append(obj)
    return kept


def _refill_emptied_links(deletion, reason, user):
    for label, pk, attname, value in deletion.emptied_links:
        model = apps.get_model(label)
        obj = model._default_manager.filter(pk=pk, **{attname: None}).first()
        if obj is None:
            continue  # changed since: the editor's later choice stands
        setattr(obj, attname, value)
        obj._change_reason = reason
        obj._history_user = user
        obj.save(update_fields=[attname])


def recover(deletion, user):
    """Put back everything ``deletion`` removed, in one transaction."""
    if deletion.recovered_at is not None:
        raise CannotRecover(f"“{deletion.title}” has already been recovered.")
    root_model = deletion.content_type.model_class()
    records = list(
        serializers.deserialize("python", deletion.rows, ignorenonexistent=True)
    )
    objects = [record.object for record in records]
    keys = {key(type(obj), obj.pk) for obj in objects}
    by_model = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj.pk)
    back_already = _existing(by_model) - {
        k for k in keys if apps.get_model(k.partition(":")[0])._meta.auto_created
    }
    if back_already:
        names = ", ".join(f"“{deletion.names[k]}”" for k in sorted(back_already))
        raise CannotRecover(
            f"Some of what was deleted is back already ({names}), recovered or "
            "reverted one by one. Recovering the rest could not keep it as it "
            "was deleted; revert the remaining items from their history."
        )
    objects = _check_parents(objects, keys)
    kept = {id(obj) for obj in objects}
    records = sorted(
        (record for record in records if id(record.object) in kept),
        key=lambda record: _order(type(record.object)),
    )
    reason = RECOVERED + user.get_username()
    using = router.db_for_write(root_model)
    try:
        with transaction.atomic(using=using):
            for record in records:
                record.save(using=using, force_insert=True)
            connections[using].check_constraints(
                table_names=sorted({obj._meta.db_table for obj in objects})
            )
            _record_history(objects, reason, user)
            _refill_emptied_links(deletion, reason, user)
            deletion.recovered_at = timezone.now()
            deletion.recovered_by = user
            deletion.save(update_fields=["recovered_at", "recovered_by"])
    except IntegrityError as error:
        raise CannotRecover(
            f"“{deletion.title}” could not be recovered: another item now uses "
            "the same web address (slug) or position. Change or remove that "
            f"item, then recover again. (The database said: {error})"
        ) from error
    return root_model._default_manager.get(pk=deletion.object_id)


def _record_history(objects, reason, user):
    by_model = defaultdict(list)
    for obj in objects:
        if hasattr(type(obj), "history"):
            by_model[type(obj)].append(obj)
    for model, instances in by_model.items():
        model.history.bulk_history_create(
            instances, default_user=user, default_change_reason=reason
        )
