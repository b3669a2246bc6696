import copy

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html

from .history import is_publishable
from .models import PendingChange
from .review import due_for_review, review_window

PREVIEW_BANNER = (
    '<div class="preview-banner" role="status"><strong>Preview.</strong> '
    "This is how readers will see {} once it is published. "
    '<a href="{}">Back to the editor</a></div>'
)


def _publish_for_preview(obj):
    """Publish ``obj`` and any draft parents, inside the preview's transaction."""
    for field in obj._meta.concrete_fields:
        parent = getattr(obj, field.name, None) if field.is_relation else None
        if parent is not None and getattr(parent, "status", None) == "draft":
            _publish_for_preview(parent)
    if is_publishable(type(obj)):
        obj.status = "published"
    obj.save_without_historical_record()


@staff_member_required
def preview(request, app_label, model_name, pk):
    """A draft (or a draft change) rendered by the real page, then rolled back.

    The reader's own view and templates render it, so the preview is exactly what
    readers will see; nothing is saved because the transaction is rolled back.
    """
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    if not request.user.has_perm(f"{app_label}.view_{model_name}"):
        raise PermissionDenied
    obj = get_object_or_404(model, pk=pk)
    admin_url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    page_path = obj.get_absolute_url().split("#")[0]
    with transaction.atomic():
        pending = PendingChange.objects.for_object(obj)
        if pending is not None:
            pending.apply_to(obj)
        _publish_for_preview(obj)
        for name, values in getattr(obj, "_pending_m2m", {}).items():
            getattr(obj, name).set(values)
        try:
            match = resolve(page_path)
            page_request = copy.copy(request)
            page_request.path = page_request.path_info = page_path
            page_request.resolver_match = match
            response = match.func(page_request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
        except (Resolver404, Http404):
            response = None
        transaction.set_rollback(True)
    if response is None or response.status_code != 200:
        return render(
            request,
            "editorial/preview_unavailable.html",
            {"object": obj, "admin_url": admin_url},
            status=404,
        )
    banner = format_html(PREVIEW_BANNER, obj, admin_url)
    response.content = response.content.replace(
        b'<main id="main-content"', banner.encode() + b'<main id="main-content"', 1
    )
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
                    f"admin:{pending.content_type.app_label}_"
                    f"{pending.content_type.model}_change",
                    args=[pending.object_id],
                ),
            }
            for pending in PendingChange.objects.select_related(
                "content_type", "created_by"
            )
        ],
        "today": today,
        "horizon": horizon,
    }
    return render(request, "editorial/admin/review_due.html", context)
