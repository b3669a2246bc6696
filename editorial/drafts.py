"""Draft revisions of published items: what the admin's Save draft, Publish,
Unpublish and Discard draft do, and what an editor is told before unpublishing."""

from django.core import serializers

from .history import is_publishable
from .models import PendingChange, Status
from .roles import can_publish

# Fields that only say where an item sits in a list. A reorder changes them on
# the live item and in its waiting draft, so publishing the draft later does not
# move the item back.
REORDER_FIELDS = {"position"}


def stored_copy(obj):
    """The item as it is in the database (``obj`` may hold unsaved edits)."""
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def is_live(obj):
    stored = stored_copy(obj) if is_publishable(type(obj)) else None
    return stored is not None and stored.status == Status.PUBLISHED


def save_draft_revision(obj, form, user):
    """Keep the form's edits to a live item as a new draft revision."""
    m2m = [
        (field.name, form.cleaned_data[field.name])
        for field in obj._meta.many_to_many
        if field.name in form.cleaned_data
    ]
    note = form.cleaned_data.get("change_note", "")
    return PendingChange.store(obj, m2m, note, user)


def can_discard(user, draft):
    return can_publish(user) or (
        draft.created_by_id is not None and draft.created_by_id == user.pk
    )


def reordered_values(obj, fields):
    """The reorder fields among ``fields``, as a draft revision stores them."""
    wanted = REORDER_FIELDS.intersection(fields)
    if not wanted:
        return {}
    data = serializers.serialize("python", [obj])[0]["fields"]
    return {name: data[name] for name in wanted if name in data}


def keep_reorder_in_draft(obj, fields):
    """After ``obj`` moved in its list, move its waiting draft too."""
    values = reordered_values(obj, fields)
    draft = PendingChange.objects.for_object(obj) if values else None
    if draft is not None:
        draft.keep_in_step(values)
    return draft


def reorder_as_draft(obj, fields, user):
    """A contributor's reorder of a live item: a draft on top of any waiting one."""
    values = reordered_values(obj, fields)
    draft = PendingChange.objects.for_object(obj)
    if draft is not None:
        draft.keep_in_step(values)
        return draft
    live = stored_copy(obj)
    for name in values:
        setattr(live, name, getattr(obj, name))
    m2m = [(f.name, getattr(live, f.name).all()) for f in obj._meta.many_to_many]
    return PendingChange.store(live, m2m, "", user)


def pages_linking_to(obj):
    """The reader pages that show or cite ``obj``, as (kind, title, url) rows.

    Its own page, the published items it belongs to (a section's briefing) and
    the published items that point at it (practice points that cite a quote).
    """
    rows = []
    if hasattr(obj, "get_absolute_url"):
        rows.append((obj._meta.verbose_name, str(obj), obj.get_absolute_url()))
    for field in obj._meta.concrete_fields:
        if field.many_to_one and hasattr(field.related_model, "get_absolute_url"):
            parent = getattr(obj, field.name)
            if parent is not None and getattr(parent, "is_published", True):
                rows.append(_row(parent))
    for relation in obj._meta.related_objects:
        model = relation.related_model
        if not hasattr(model, "get_absolute_url") or relation.one_to_one:
            continue
        related = getattr(obj, relation.get_accessor_name()).all()
        if is_publishable(model):
            related = related.published()
        rows += [_row(item) for item in related]
    return list(dict.fromkeys(rows))


def _row(item):
    return (item._meta.verbose_name, str(item), item.get_absolute_url())
