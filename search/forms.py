"""The search box and its filters, read from the page's address."""

from django import forms

from editorial.content import search_kinds

from .models import OLD_KINDS

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
