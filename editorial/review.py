"""Which content is overdue or due for review soon."""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


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


def due_for_review():
    """Items overdue, due within the window, or never given a review date."""
    today, _ = review_window()
    items = []
    for model in reviewed_models():
        opts = model._meta
        for obj in _due(model):
            due = obj.next_review_due
            items.append(
                {
                    "kind": opts.verbose_name,
                    "object": obj,
                    "due": due,
                    "overdue": due is not None and due < today,
                    "unscheduled": due is None,
                    "admin_url": reverse(admin_urlname(opts, "change"), args=[obj.pk]),
                }
            )
    items.sort(key=lambda item: (item["due"] is not None, item["due"] or today))
    return items


def due_count():
    return sum(_due(model).count() for model in reviewed_models())
