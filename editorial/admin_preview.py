"""Admin mixin for Preview: the reader page with the form's unsaved edits,
rendered and rolled back (``editorial.views.render_preview``)."""

from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst

from .admin_forms import EditorialInlineFormSet
from .admin_urls import admin_path
from .saving import edit_of
from .views import render_preview


class PreviewAdmin:
    def get_urls(self):
        return [
            admin_path(self, "add/preview/", self.preview_view, "preview_add"),
            admin_path(
                self, "<path:object_id>/preview/", self.preview_view, "preview_edit"
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = context.get("original")
        if obj is not None and obj.pk is not None:
            context["preview_url"] = preview_url(obj)
        if hasattr(self.model, "get_absolute_url"):
            context["preview_edit_url"] = (
                reverse(admin_urlname(self.opts, "preview_edit"), args=[obj.pk])
                if change and obj is not None
                else reverse(admin_urlname(self.opts, "preview_add"))
            )
        return super().render_change_form(request, context, add, change, **kwargs)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.formset, EditorialInlineFormSet):
            kwargs["previewing"] = edit_of(request).previewing
        return kwargs

    def preview_view(self, request, object_id=None):
        """The reader page with the form's unsaved edits, rendered and rolled back."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        add = object_id is None
        obj = self._previewed_object(request, object_id)
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        ModelForm = self.get_form(request, obj, change=not add, fields=fields)
        data = request.POST.copy()
        # A preview saves nothing, so it cannot overwrite anyone's edit: the
        # conflict check is for saving.
        data.pop("edit_version", None)
        form = ModelForm(data, request.FILES, instance=obj)
        edit_of(request).previewing = True
        # Django's own inline formsets for this form, exactly as a save builds them.
        formsets, _ = self._create_formsets(request, form.instance, change=not add)
        form_valid = form.is_valid()
        if not (all_valid(formsets) and form_valid):
            return self._preview_refused(request, obj, form, formsets)
        obj = form.save(commit=False)

        def save_related(obj):
            form.save_m2m()
            for formset in formsets:
                formset.instance = obj
                formset.save()

        return render_preview(request, obj, save_related)

    def _previewed_object(self, request, object_id):
        """The item being edited (None for a new one), if this user may edit it."""
        obj = None
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
        else:
            obj = self.get_object_or_404(request, object_id)
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        if not hasattr(self.model, "get_absolute_url"):
            raise Http404(f"{capfirst(self.opts.verbose_name_plural)} have no page.")
        return obj

    def _preview_refused(self, request, obj, form, formsets):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "This preview cannot be shown yet",
            "object": obj,
            "problems": form_problems(form, formsets),
        }
        response = TemplateResponse(
            request, "editorial/admin/preview_invalid.html", context, status=400
        )
        response["Cache-Control"] = "private, no-store"
        return response


def form_problems(form, formsets):
    """Every error in the form and its inline rows, each with the field's label."""
    problems = [(None, error) for error in form.non_field_errors()]
    problems += _field_problems(form, "")
    for formset in formsets:
        name = capfirst(formset.model._meta.verbose_name)
        problems += [(name, error) for error in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            problems += [
                (f"{name} {number}", error) for error in row.non_field_errors()
            ]
            problems += _field_problems(row, f"{name} {number}: ")
    return problems


def _field_problems(form, prefix):
    return [
        (prefix + capfirst(form.fields[name].label or name), error)
        for name, errors in form.errors.items()
        if name in form.fields
        for error in errors
    ]


def preview_url(obj):
    if not hasattr(obj, "get_absolute_url"):
        return None
    return reverse(
        "editorial:preview",
        args=[obj._meta.app_label, obj._meta.model_name, obj.pk],
    )
