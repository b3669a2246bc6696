"""Recovering a deletion: every row back with its own primary key in one
transaction, "Recovered by …" in each item's history, and the links the delete
emptied filled in again."""

from collections import defaultdict

from django.apps import apps
from django.core import serializers
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.formats import date_format

from .content import content_models
from .deletions import key
from .history import RECOVERED
from .models import Deletion


class CannotRecover(Exception):
    """Recovery refused; ``blocking`` is the deletion to recover first, if any."""

    def __init__(self, message, blocking=None):
        super().__init__(message)
        self.blocking = blocking


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
    _refuse_when_back_already(deletion, objects, keys)
    objects = _check_parents(objects, keys)
    kept = {id(obj) for obj in objects}
    records = sorted(
        (record for record in records if id(record.object) in kept),
        key=lambda record: _order(type(record.object)),
    )
    try:
        _put_back(deletion, records, objects, user, router.db_for_write(root_model))
    except IntegrityError as error:
        raise CannotRecover(
            f"“{deletion.title}” could not be recovered: another item now uses "
            "the same web address (slug) or position. Change or remove that "
            f"item, then recover again. (The database said: {error})"
        ) from error
    return root_model._default_manager.get(pk=deletion.object_id)


def _refuse_when_back_already(deletion, objects, keys):
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


def _put_back(deletion, records, objects, user, using):
    reason = RECOVERED + user.get_username()
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


def _record_history(objects, reason, user):
    by_model = defaultdict(list)
    for obj in objects:
        if hasattr(type(obj), "history"):
            by_model[type(obj)].append(obj)
    for model, instances in by_model.items():
        model.history.bulk_history_create(
            instances, default_user=user, default_change_reason=reason
        )
