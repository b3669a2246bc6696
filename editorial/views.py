from django.apps import apps
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse

from .history import is_publishable
from .models import PendingChange, Status
from .review import due_for_review, review_window


def _publish_for_preview(obj):
    """Publish ``obj`` and any draft parents, inside the preview's transaction."""
    for field in obj._meta.concrete_fields:
        parent = getattr(obj, field.name, None) if field.is_relation else None
        if parent is not None and getattr(parent, "is_draft", False):
            _publish_for_preview(parent)
    if is_publishable(type(obj)):
        obj.status = Status.PUBLISHED
    obj.save_without_historical_record()


@staff_member_required
def preview(request, app_label, model_name, pk):
    """A draft (or a draft change) rendered by its page, then rolled back.

    The page's own context function and template render it, so the preview is
    exactly what readers will see; nothing is saved because the transaction is
    rolled back.
    """
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    if not request.user.has_perm(f"{app_label}.view_{model_name}"):
        raise PermissionDenied
    obj = get_object_or_404(model, pk=pk)
    admin_url = reverse(admin_urlname(model._meta, "change"), args=[obj.pk])
    page_path = obj.get_absolute_url().split("#")[0]
    html = None
    with transaction.atomic():
        pending = PendingChange.objects.for_object(obj)
        if pending is not None:
            pending.apply_to(obj)
        _publish_for_preview(obj)
        for name, values in getattr(obj, "_pending_m2m", {}).items():
            getattr(obj, name).set(values)
        try:
            match = resolve(page_path)
            rules = getattr(match.func, "reader_page", None)
            if rules is not None and rules.page is not None:
                extra = {"preview": {"object": obj, "admin_url": admin_url}}
                html = rules.page.render_to_string(request, extra, **match.kwargs)
        except (Resolver404, Http404):
            html = None
        transaction.set_rollback(True)
    if html is None:
        return render(
            request,
            "editorial/preview_unavailable.html",
            {"object": obj, "admin_url": admin_url},
            status=404,
        )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@staff_member_required
def review_due(request):
    today, horizon = review_window()
    context = {
        **admin.site.each_context(request),
        "title": "Review",
        "items": due_for_review(),
        "pending_changes": [
            {
                "change": pending,
                "admin_url": reverse(
                    admin_urlname(pending.content_type.model_class()._meta, "change"),
                    args=[pending.object_id],
                ),
            }
            for pending in PendingChange.objects.waiting().select_related(
                "content_type", "created_by"
            )
        ],
        "today": today,
        "horizon": horizon,
    }
    return render(request, "editorial/admin/review_due.html", context)
