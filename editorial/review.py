"""Which content is overdue or due for review soon, or needs details filled in."""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .owners import owner_of


def review_window():
    today = timezone.localdate()
    return today, today + datetime.timedelta(days=settings.REVIEW_DUE_WITHIN_DAYS)


def reviewed_models():
    """Content models with review dates (history models excluded)."""
    return [
        model
        for model in apps.get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
        and any(f.name == "next_review_due" for f in model._meta.fields)
    ]


def _due(model):
    _, horizon = review_window()
    return model._default_manager.filter(
        Q(next_review_due__lte=horizon) | Q(next_review_due__isnull=True)
    )


def _with_owners(model, queryset):
    related = [f.name for f in model._meta.concrete_fields if f.name == "owner"]
    if any(f.name == "briefing" for f in model._meta.concrete_fields):
        related.append("briefing__owner")
    return queryset.select_related(*related)


def _candidates(model):
    """Items due, and (for kinds that can lack them) items that need details."""
    if not hasattr(model, "needs_details"):
        return _with_owners(model, _due(model))
    # Few enough to look at one by one (organisations, further resources).
    due = set(_due(model).values_list("pk", flat=True))
    items = _with_owners(model, model._default_manager.all())
    if model._meta.model_name == "resource":
        items = items.select_related("link_check")
    return [obj for obj in items if obj.pk in due or obj.needs_details]


def due_for_review(owner=None):
    """Items overdue, due within the window, never given a review date, or
    needing details (an organisation with no contact details, a resource whose
    link is unchecked or broken). ``owner``: a user's items only, or "none"
    for items nobody owns (every editor's)."""
    today, horizon = review_window()
    items = []
    for model in reviewed_models():
        opts = model._meta
        for obj in _candidates(model):
            due = obj.next_review_due
            responsible = owner_of(obj)
            if owner == "none" and responsible is not None:
                continue
            if owner not in (None, "none") and responsible != owner:
                continue
            items.append(
                {
                    "kind": opts.verbose_name,
                    "object": obj,
                    "due": due,
                    "overdue": due is not None and due < today,
                    "unscheduled": due is None,
                    "due_soon": due is not None and today <= due <= horizon,
                    "needs_details": bool(getattr(obj, "needs_details", False)),
                    "owner": responsible,
                    "admin_url": reverse(admin_urlname(opts, "change"), args=[obj.pk]),
                }
            )
    items.sort(key=lambda item: (item["due"] is not None, item["due"] or today))
    return items


def due_count():
    return sum(_due(model).count() for model in reviewed_models())
