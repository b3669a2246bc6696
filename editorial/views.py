from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse

from . import pagecache
from .history import is_publishable
from .models import EmailPreference, PendingChange, Status
from .review import due_for_review, review_window


def _publish_for_preview(obj):
    """Publish ``obj`` and any draft parents, inside the preview's transaction."""
    for field in obj._meta.concrete_fields:
        parent = getattr(obj, field.name, None) if field.is_relation else None
        if parent is not None and getattr(parent, "is_draft", False):
            _publish_for_preview(parent)
    if is_publishable(type(obj)):
        obj.status = Status.PUBLISHED
    # Rolled back anyway; models without history (handout presets) just save.
    getattr(obj, "save_without_historical_record", obj.save)()


def pk_or_404(model, value):
    """An id from a staff URL as the model's key; anything else is a 404, not a 500."""
    try:
        return model._meta.pk.to_python(unquote(value))
    except ValidationError as error:
        raise Http404(f"No {model._meta.verbose_name} with id {value!r}") from error


@staff_member_required
def preview(request, app_label, model_name, pk):
    """A draft (or a draft change) rendered by its page, then rolled back."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    if not admin.site.is_registered(model):
        raise Http404(f"{model._meta.verbose_name_plural} are not edited here")
    if not request.user.has_perm(f"{app_label}.view_{model_name}"):
        raise PermissionDenied
    obj = get_object_or_404(model, pk=pk_or_404(model, pk))
    pending = PendingChange.objects.for_object(obj)
    if pending is not None:
        pending.apply_to(obj)

    def save_related(obj):
        for name, values in getattr(obj, "_pending_m2m", {}).items():
            getattr(obj, name).set(values)

    return render_preview(request, obj, save_related)


def render_preview(request, obj, save_related=None):
    """``obj``, as it is in memory, rendered by its reader page, then rolled back.

    The page's own context function and template render it, so the preview is
    exactly what readers will see; nothing is saved because the transaction is
    rolled back, and nothing rendered is kept in the reader cache.
    ``save_related(obj)`` saves what hangs off ``obj`` (many-to-many choices,
    inline rows) once it has been saved.
    """
    admin_url = (
        reverse(admin_urlname(obj._meta, "change"), args=[obj.pk])
        if obj.pk is not None
        else reverse(admin_urlname(obj._meta, "add"))
    )
    html = None
    if hasattr(obj, "get_absolute_url"):
        with transaction.atomic(), pagecache.not_stored():
            _publish_for_preview(obj)
            if save_related is not None:
                save_related(obj)
            html = _render_page(request, obj, admin_url)
            transaction.set_rollback(True)
    if html is None:
        response = render(
            request,
            "editorial/preview_unavailable.html",
            {"object": obj, "admin_url": admin_url},
            status=404,
        )
    else:
        response = HttpResponse(html)
        response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _render_page(request, obj, admin_url):
    """The reader page at ``obj``'s address, or None if there is none to show."""
    try:
        match = resolve(obj.get_absolute_url().split("#")[0])
    except Resolver404:
        return None
    rules = getattr(match.func, "reader_page", None)
    if rules is None or rules.page is None:
        return None
    extra = {"preview": {"object": obj, "admin_url": admin_url}}
    try:
        return rules.page.render_to_string(request, extra, **match.kwargs)
    except Http404:
        return None


class OwnerFilterForm(forms.Form):
    owner = forms.ChoiceField(label="Owner", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(is_staff=True, is_active=True)
        self.fields["owner"].choices = [
            ("", "Anyone"),
            ("none", "No owner (every editor)"),
            *[
                (str(user.pk), user.get_full_name() or user.get_username())
                for user in staff
            ],
        ]

    def chosen(self):
        """A user, "none", or None for everyone (also when the choice is unknown)."""
        if not self.is_valid() or not self.cleaned_data["owner"]:
            return None
        value = self.cleaned_data["owner"]
        return value if value == "none" else get_user_model().objects.get(pk=value)


@staff_member_required
def review_due(request):
    today, horizon = review_window()
    owner_form = OwnerFilterForm(request.GET or None)
    context = {
        **admin.site.each_context(request),
        "title": "Review",
        "owner_form": owner_form,
        "items": due_for_review(owner=owner_form.chosen()),
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


class EmailPreferenceForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["weekly_digest"]


@staff_member_required
def email_settings(request):
    """A staff member's own email choices (the weekly digest, for editors)."""
    preference, _ = EmailPreference.objects.get_or_create(user=request.user)
    form = EmailPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        wanted = form.cleaned_data["weekly_digest"]
        messages.success(
            request,
            "Saved: you will be sent the weekly digest."
            if wanted
            else "Saved: you will not be sent the weekly digest.",
        )
        return redirect("editorial:email_settings")
    context = {
        **admin.site.each_context(request),
        "title": "Your email settings",
        "form": form,
        "has_email": bool(request.user.email),
    }
    return render(request, "editorial/admin/email_settings.html", context)
