"""The GET form that narrows a list to one briefing, audience or topic."""

from django import forms

ALL_BRIEFINGS = ("", "All briefings")
EVERYONE = ("", "Everyone")
ALL_TOPICS = ("", "All topics")


class LibraryFilterForm(forms.Form):
    """Which briefings (or which of their items) a reader wants to see.

    A choice the site does not have is left off with a message saying so, and
    the list shows everything else: a reader always gets a page.
    """

    briefing = forms.ChoiceField(
        required=False,
        label="Briefing",
        error_messages={
            "invalid_choice": "The briefing asked for is not published here, so "
            "every briefing is shown."
        },
    )
    audience = forms.ChoiceField(
        required=False,
        label="Written for",
        error_messages={
            "invalid_choice": "The readers asked for are not ones the guidance is "
            "written for, so items for everyone are shown."
        },
    )
    topic = forms.ChoiceField(
        required=False,
        label="Topic",
        error_messages={
            "invalid_choice": "No published briefing has the topic asked for, so "
            "every topic is shown."
        },
    )

    def __init__(self, data, *, briefings, audiences=(), fields=("briefing",)):
        super().__init__(data, auto_id="filter-%s")
        self.fields["briefing"].choices = [
            ALL_BRIEFINGS,
            *((b.slug, b.title) for b in briefings),
        ]
        self.fields["audience"].choices = [
            EVERYONE,
            *((a.slug, a.name) for a in audiences),
        ]
        # Only the topics editors gave: none given, no topic filter.
        topics = sorted({b.topic for b in briefings if b.topic}, key=str.casefold)
        self.fields["topic"].choices = [ALL_TOPICS, *((t, t) for t in topics)]
        if not topics:
            fields = [name for name in fields if name != "topic"]
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        self.is_valid()  # a choice with an error is left off; the message says so

    def value(self, name):
        """The cleaned choice, or "" when it was left off or could not be used."""
        return self.cleaned_data.get(name) or ""

    @property
    def narrowed(self):
        return any(self.value(name) for name in self.fields)


def for_audience(items, audience):
    """Items written for these readers, or for everyone (no audience set)."""
    if not audience:
        return list(items)
    return [
        item
        for item in items
        if not item.audiences.all()
        or any(a.slug == audience for a in item.audiences.all())
    ]
