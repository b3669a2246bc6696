"""Who is responsible for an item: its owner, else its briefing's, else every editor."""

from django.contrib.auth import get_user_model

from .roles import EDITOR


def editors():
    """Active staff in the Editors group, with an address to write to."""
    return list(
        get_user_model()
        .objects.filter(groups__name=EDITOR, is_active=True, is_staff=True)
        .exclude(email="")
        .order_by("pk")
    )


def owner_of(obj):
    """The item's own owner, or its parent's (the briefing's); None if neither."""
    for item in (obj, _parent(obj)):
        owner = getattr(item, "owner", None)
        if owner is not None and owner.is_active:
            return owner
    return None


def responsible(obj, all_editors=None):
    """The people to remind about ``obj``: its owner, or else every editor."""
    owner = owner_of(obj)
    if owner is not None:
        return [owner]
    return editors() if all_editors is None else all_editors


def _parent(obj):
    parent = getattr(obj, "owner_parent", None)
    return parent() if callable(parent) else None
