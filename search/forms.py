"""The search box and its filters, read from the page's address; the form
editors pin best bets with."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.text import Truncator

from editorial.content import search_kinds

from .models import OLD_KINDS, BestBet, Document

ALL_KINDS = ("", "All kinds")
EVERYONE = ("", "Everyone")
ALL_BRIEFINGS = ("", "All briefings")
SITE_SEARCH_FORM = "site-search"  # the id of the header's search form


class SearchForm(forms.Form):
    """What a reader asked the search for.

    A filter or page that cannot be used is left off with a message saying so,
    and the search runs on the rest: a reader always gets results.
    """

    # Any text at all: search.query.parse makes it safe and says when it cut it
    # short. (A CharField would refuse a NUL byte outright.)
    q = forms.Field(required=False, label="Words to search for")
    kind = forms.ChoiceField(
        required=False,
        label="Kind of item",
        choices=lambda: [ALL_KINDS, *search_kinds().items()],
        error_messages={
            "invalid_choice": "The kind of item asked for is not one this site "
            "has, so every kind is shown."
        },
    )
    audience = forms.ChoiceField(
        required=False,
        label="Written for",
        error_messages={
            "invalid_choice": "The readers asked for are not ones the guidance is "
            "written for, so results for everyone are shown."
        },
    )
    briefing = forms.ChoiceField(
        required=False,
        label="From the briefing",
        error_messages={
            "invalid_choice": "The briefing asked for is not published here, so "
            "results from every briefing are shown."
        },
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "Page numbers are whole numbers, so the first page is shown.",
            "min_value": "Pages start at 1, so the first page is shown.",
        },
    )

    def __init__(self, data, *, audiences, briefings=()):
        if data.get("kind") in OLD_KINDS:  # addresses from before a kind's rename
            data = data.copy()
            data["kind"] = OLD_KINDS[data["kind"]]
        super().__init__(data, auto_id="search-%s")
        self.fields["audience"].choices = [
            EVERYONE,
            *((audience.slug, audience.name) for audience in audiences),
        ]
        self.fields["briefing"].choices = [
            ALL_BRIEFINGS,
            *((briefing.slug, briefing.title) for briefing in briefings),
        ]
        # The filters sit under the heading but belong to the header's search
        # form, so the page has one search box and new words keep the filters.
        for name in ("kind", "audience", "briefing"):
            self.fields[name].widget.attrs["form"] = SITE_SEARCH_FORM

    def value(self, name, default=""):
        """The cleaned value of a field, or ``default`` when it was left off."""
        return self.cleaned_data.get(name) or default


class BestBetForm(forms.ModelForm):
    """A best bet's items picked from a list of published items, or pasted as
    full addresses from the browser: only each address's path (and #part) is
    kept, as search results link to them."""

    add_item = forms.ChoiceField(
        required=False,
        label="Add an item",
        help_text="Pick a published item to show first for these searches. It is "
        "added to the end of the list of items below when you save. To add "
        "several, save and continue, then pick the next.",
    )
    # The site's own host names besides ALLOWED_HOSTS (the admin sets the one
    # the editor is using), so an address copied from the browser is accepted.
    site_hosts = ()

    class Meta:
        model = BestBet
        fields = ["queries", "add_item", "urls", "note"]
        labels = {"queries": "Searches", "urls": "Items shown first"}
        help_texts = {
            "queries": "The searches these items answer, one per line, e.g. 'how "
            "to ask' and 'asking about selling sex'. Capitals, punctuation and "
            "question words such as 'how do I' do not matter.",
            "urls": "One item per line, best first. Paste the address from your "
            "browser's address bar (e.g. https://…/practice-points/ask-the-"
            "question/) or a search result's link: only the part after the site's "
            "name is kept. Only published items are shown to readers.",
            "note": "Optional, for other editors: why these items answer these "
            "searches. Readers never see it.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty here is fine when an item is picked from the list instead.
        self.fields["urls"].required = False
        self.fields["add_item"].choices = [("", "Choose an item…"), *item_choices()]

    def clean_urls(self):
        paths, problems = [], []
        for line in self.cleaned_data["urls"].splitlines():
            line = line.strip()
            if not line:
                continue
            path = self._path(line)
            if path is None:
                problems.append(line[:80])
            elif path not in paths:
                paths.append(path)
        if problems:
            raise forms.ValidationError(
                "These are not addresses of pages on this site: "
                + "; ".join(problems)
                + ". Paste the address of a page from this site, or pick the item "
                "from the list."
            )
        return "\n".join(paths)

    def clean(self):
        cleaned = super().clean()
        picked = cleaned.get("add_item")
        if picked and "urls" in cleaned:
            paths = cleaned["urls"].splitlines()
            if picked not in paths:
                cleaned["urls"] = "\n".join([*paths, picked])
        return cleaned

    def _path(self, line):
        """The path and #part of an address on this site, or None."""
        if len(line) > Document._meta.get_field("url").max_length or "\x00" in line:
            return None
        try:
            parts = urlsplit(line)
        except ValueError:  # such as an unclosed [ in the host
            return None
        if parts.scheme or parts.netloc:
            host, _ = split_domain_port(parts.netloc.rpartition("@")[2])
            if parts.scheme not in {"http", "https"} or not self._ours(host):
                return None
        if not parts.path.startswith("/"):
            return None
        path = parts.path
        # A page's address typed without its final slash.
        if not path.endswith("/") and Document.objects.filter(url=path + "/").exists():
            path += "/"
        return path + (f"#{parts.fragment}" if parts.fragment else "")

    def _ours(self, host):
        allowed = [*settings.ALLOWED_HOSTS, *self.site_hosts]
        if settings.DEBUG:
            allowed += [".localhost", "127.0.0.1", "[::1]"]
        return bool(host) and validate_host(host, allowed)


def item_choices():
    """Published items by kind, as (kind's name, [(address, title)])."""
    kinds = search_kinds()
    grouped = {}
    for kind, title, url in Document.objects.order_by("kind", "title").values_list(
        "kind", "title", "url"
    ):
        label = Truncator(title).chars(90)
        grouped.setdefault(kind, []).append((url, label))
    return [
        (kinds.get(kind, kind), grouped[kind])
        for kind in [*kinds, *sorted(set(grouped) - set(kinds))]
        if kind in grouped
    ]
