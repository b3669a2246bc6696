"""The extra pages a model's admin adds to Django's own."""

from django.urls import path


def admin_path(model_admin, route, view, name):
    """A page of this model's admin, for staff only, named as Django names its
    own pages ("guidance_briefing_<name>", for reverse("admin:...")).
    """
    opts = model_admin.opts
    return path(
        route,
        model_admin.admin_site.admin_view(view),
        name=f"{opts.app_label}_{opts.model_name}_{name}",
    )
