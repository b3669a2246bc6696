from django.contrib import admin
from django.http.request import split_domain_port
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from . import report
from .forms import BestBetForm
from .models import BestBet, NoResultSearch, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note"]
    search_fields = ["terms", "also_finds", "note"]


@admin.register(BestBet)
class BestBetAdmin(admin.ModelAdmin):
    form = BestBetForm
    list_display = ["__str__", "urls", "note"]
    search_fields = ["queries", "urls", "note"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # An address copied from the browser names the host the editor is on.
        host = split_domain_port(request.get_host())[0]
        return type(form.__name__, (form,), {"site_hosts": (host,)})


@admin.register(NoResultSearch)
class NoResultSearchAdmin(admin.ModelAdmin):
    """The report: searches that found nothing, seen at least SHOWN_FROM times.

    Read-only: counts are written by the search page and deleted after
    KEEP_DAYS. Each line links to a new synonym or best bet for its words.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)
        rows = [
            {
                "words": words,
                "total": total,
                "last": last,
                "synonym": reverse("admin:search_synonym_add")
                + "?"
                + urlencode({"terms": words}),
                "best_bet": reverse("admin:search_bestbet_add")
                + "?"
                + urlencode({"queries": words}),
            }
            for words, total, last in report.shown()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Searches with no results",
            "rows": rows,
            "shown_from": report.SHOWN_FROM,
            "keep_days": report.KEEP_DAYS,
        }
        return TemplateResponse(
            request, "admin/search/noresultsearch/report.html", context
        )
