"""The briefing admin, with "Import a briefing" (editors only) and downloads of
any briefing as Word or Markdown.

It extends guidance's BriefingAdmin from above, so guidance never imports this app.
"""

import secrets

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from editorial.admin_urls import admin_path
from editorial.roles import can_publish
from editorial.views import pk_or_404
from guidance.admin import BriefingAdmin
from guidance.models import Briefing

from . import briefings, formats
from .forms import ImportForm
from .structure import BriefingDocument
from .views import download

SESSION_PREFIX = "briefing-import:"
# At most this many previews kept per editor; older ones are forgotten.
KEPT_PREVIEWS = 3


class ImportExportBriefingAdmin(BriefingAdmin):
    change_form_template = "admin/documents/briefing_change_form.html"
    change_list_template = "admin/documents/briefing_change_list.html"

    def get_urls(self):
        return [
            admin_path(self, "import/", self.import_view, "import"),
            admin_path(
                self, "<str:object_id>/export/<str:kind>/", self.export_view, "export"
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        # Editors only: an import makes a whole briefing at once.
        return can_publish(request.user) and self.has_add_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": self.has_import_permission(request)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def export_view(self, request, object_id, kind):
        if kind not in formats.CONTENT_TYPES:
            raise Http404("Downloads are .docx or .md")
        if not self.has_view_permission(request):
            raise PermissionDenied
        briefing = get_object_or_404(Briefing, pk=pk_or_404(Briefing, object_id))
        # Editors circulate drafts for comment: everything, drafts included.
        doc = briefings.document_from_briefing(briefing, published_only=False)
        response = download(doc, briefing.slug, kind)
        response["Cache-Control"] = "private, no-store"
        return response

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a briefing",
            "opts": self.opts,
            "max_megabytes": formats.MAX_UPLOAD // 1024 // 1024,
        }
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            doc = form.read()
            if doc is not None:
                slug = form.cleaned_data["slug"] or briefings.short_slug(doc.title)
                if not slug:
                    form.add_error(
                        "slug",
                        "No address can be made from this title: type one, "
                        "such as “housing-briefing”.",
                    )
                elif Briefing.objects.filter(slug=slug).exists():
                    form.add_error(
                        "slug",
                        f"A briefing with the address “{slug}” already exists. "
                        "Choose another address.",
                    )
                else:
                    token = self._keep(
                        request, doc, form.cleaned_data["file"].name, slug
                    )
                    return render(
                        request,
                        "admin/documents/import_preview.html",
                        {**context, "title": "Check the import", "doc": doc,
                         "slug": slug, "token": token,
                         "new_sources": briefings.new_sources(doc),
                         "filename": form.cleaned_data["file"].name},
                    )  # fmt: skip
        context["form"] = form
        return render(request, "admin/documents/import_briefing.html", context)

    def _keep(self, request, doc, filename, slug):
        """The parsed upload, kept server-side in the editor's session until confirmed."""
        kept = [k for k in request.session.keys() if k.startswith(SESSION_PREFIX)]
        for key in kept[: max(0, len(kept) - KEPT_PREVIEWS + 1)]:
            del request.session[key]
        token = secrets.token_urlsafe(16)
        request.session[SESSION_PREFIX + token] = {
            "doc": doc.to_dict(),
            "filename": filename,
            "slug": slug,
        }
        return token

    def _confirm(self, request):
        kept = request.session.pop(SESSION_PREFIX + request.POST["token"], None)
        if kept is None:
            messages.error(
                request,
                "That preview has expired or was already imported. Upload the "
                "file again.",
            )
            return HttpResponseRedirect(reverse("admin:guidance_briefing_import"))
        doc = BriefingDocument.from_dict(kept["doc"])
        try:
            briefing = briefings.create_briefing(
                doc, kept["slug"], kept["filename"], request.user
            )
        except briefings.SlugTaken:
            messages.error(
                request,
                f"A briefing with the address “{kept['slug']}” was created since "
                "the preview. Nothing was imported: upload the file again with "
                "another address.",
            )
            return HttpResponseRedirect(reverse("admin:guidance_briefing_import"))
        messages.success(
            request,
            f"Imported “{briefing.title}” from {kept['filename']} as drafts: "
            f"{doc.counted()}. Readers see nothing until an editor publishes them.",
        )
        return HttpResponseRedirect(
            reverse(admin_urlname(Briefing._meta, "change"), args=[briefing.pk])
        )


admin.site.unregister(Briefing)
admin.site.register(Briefing, ImportExportBriefingAdmin)
