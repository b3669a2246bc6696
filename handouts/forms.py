"""The handout builder's form: what a handout holds, read from its address.

A handout is nothing but its query string (title, audience, session date, notes,
discreet, and an ordered list of `item` ids such as `practice-point:ask-the-question` or
`question:ask-the-question.money-or-goods`), so it can be shared and bookmarked
with no stored state. Anything a reader can type into that URL is checked here.
"""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from django.utils.translation import ngettext

from .selection import (
    ITEM_ID,
    MAX_AUDIENCE,
    MAX_FILTER,
    MAX_ID,
    MAX_ITEMS,
    MAX_NOTES,
    MAX_TITLE,
    Handout,
    current_id,
    kinds,
)

TRUE_VALUES = {"1", "on", "true", "yes"}
UNKNOWN_BRIEFING = (
    "The briefing asked for is not published here, so the builder shows another "
    "briefing's items."
)
DATE_LEFT_OFF = (
    "The session date was left off: write it as year-month-day, such as 2026-03-31."
)


class TextField(forms.CharField):
    """Text that is cut to ``max_length`` when longer (its message says so)."""

    def to_python(self, value):
        # NUL bytes have no place in a handout: they become spaces, not an error.
        return super().to_python(value).replace("\x00", " ")

    def usable(self, value):
        return self.to_python(value)[: self.max_length].rstrip()


class AddressField(forms.CharField):
    """An address part (a slug) that is never an error, only found or not."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        return self.to_python(value)[:MAX_ID]


class LineField(TextField):
    """One line: runs of spaces and line breaks become one space."""

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


class NotesField(TextField):
    widget = forms.Textarea

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").strip()


class YesField(forms.BooleanField):
    """A tick box that is ticked by 1, on, true or yes (in the address)."""

    def to_python(self, value):
        return str(value).strip().lower() in TRUE_VALUES


class ItemIdsField(forms.Field):
    """Item ids in the order given, each once; unreadable ones are left out."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return list(
            dict.fromkeys(current_id(item_id.strip()) for item_id in value or ())
        )

    def validate(self, value):
        unreadable = sum(not self.readable(item_id) for item_id in value)
        chosen = len(value) - unreadable
        errors = []
        if unreadable:
            errors.append(
                ngettext(
                    "%(count)s item in the address could not be read and was left out.",
                    "%(count)s items in the address could not be read and were "
                    "left out.",
                    unreadable,
                )
                % {"count": f"{unreadable:,}"}
            )
        if chosen > MAX_ITEMS:
            errors.append(
                f"A handout holds at most {MAX_ITEMS} items: only the first "
                f"{MAX_ITEMS} of the {chosen:,} chosen are used."
            )
        if errors:
            raise forms.ValidationError(errors)

    @staticmethod
    def readable(item_id):
        match = ITEM_ID.match(item_id) if len(item_id) <= MAX_ID else None
        return bool(match) and match["kind"] in kinds()

    def usable(self, value):
        return [i for i in self.to_python(value) if self.readable(i)][:MAX_ITEMS]


class OrderField(ItemIdsField):
    """Item ids in one field, space-separated: a single hidden input, as
    controls sharing a name are for checkbox groups. Only ever a hint."""

    widget = forms.HiddenInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.split()
        return super().to_python(value)

    def validate(self, value):
        pass


class ButtonField(forms.ChoiceField):
    """What one of the builder's buttons asks for; an unknown value is ``refused``."""

    widget = forms.HiddenInput

    def __init__(self, *, choices, refused):
        super().__init__(
            required=False,
            choices=choices,
            error_messages={"invalid_choice": refused},
        )


class HandoutForm(forms.Form):
    """The builder's choices, and a handout's address (the same fields).

    Nothing is refused: a field with an error is cut short or left off, and its
    message says which, so an old or hand-edited address still prints.
    """

    title = LineField(
        required=False,
        max_length=MAX_TITLE,
        widget=forms.TextInput(attrs={"placeholder": "Handout for practitioners"}),
        error_messages={
            "max_length": "The title was cut to %(limit_value)d characters."
        },
    )
    audience = LineField(
        required=False,
        max_length=MAX_AUDIENCE,
        error_messages={
            "max_length": "The audience was cut to %(limit_value)d characters."
        },
    )
    date = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[
            MinValueValidator(datetime.date(2000, 1, 1)),
            MaxValueValidator(datetime.date(2100, 12, 31)),
        ],
        error_messages={
            "invalid": DATE_LEFT_OFF,
            "min_value": DATE_LEFT_OFF,
            "max_value": DATE_LEFT_OFF,
        },
    )
    notes = NotesField(
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "Trainer notes are limited to %(limit_value)d characters: "
            "the %(show_value)d given were cut short."
        },
    )
    discreet = YesField(
        required=False,
        help_text="For a handout you may give to a woman: a plain cover titled "
        "“Information and support”, and nothing around the items you choose (cover, "
        "running header, back page, file name, PDF details) that names this site "
        "or the subject.",
    )
    qr = YesField(
        required=False,
        label="Print a QR code on the discreet handout",
        help_text="Off unless you tick it. The code opens a plain page with the "
        "handout’s text only, but anyone who scans it reaches this site’s address.",
    )
    item = ItemIdsField(required=False)
    # The handout's order when the builder showed it, to read its positions by.
    previous = OrderField(required=False)
    # Not part of a handout: the builder's list shown narrowed to these words.
    q = LineField(
        required=False,
        max_length=MAX_FILTER,
        label="Show items containing…",
        error_messages={
            "max_length": "The words to show items by were cut to "
            "%(limit_value)d characters."
        },
    )
    # Not part of a handout either: in a library, whose items the list shows.
    # Never an error here: the builder says when no briefing is published at
    # this address (a handout's own page has no use for it).
    briefing = AddressField(label="Show the items of", widget=forms.Select)
    # The words the list was shown narrowed to, so Enter (the form's first,
    # hidden button) can tell new filter words from a finished handout.
    shown = LineField(required=False, max_length=MAX_FILTER, widget=forms.HiddenInput)
    action = ButtonField(
        choices=[
            ("filter", "Show matching items"),
            ("briefing", "Show its items"),
            ("update", "Update the count"),
            ("enter", "Enter in a field"),
            ("clear", "Clear all"),
        ],
        refused="The address asked for something the builder does not do, so the "
        "handout is shown.",
    )
    format = ButtonField(
        choices=[("html", "Build handout"), ("pdf", "Download PDF")],
        refused="The address asked for a format this site does not make, so the "
        "page is shown.",
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, auto_id="handout-%s", **kwargs)
        # The builder gives each item it lists a position field, `order.<id>`.
        for item_id in self.fields["item"].usable(self["item"].data):
            if f"order.{item_id}" in self.data:
                self.fields[f"order.{item_id}"] = forms.IntegerField(
                    required=False,
                    min_value=1,
                    max_value=MAX_ITEMS,
                    widget=forms.HiddenInput,
                    error_messages=dict.fromkeys(
                        ("invalid", "min_value", "max_value"),
                        f"The position of {item_id} was left off: positions are "
                        f"whole numbers from 1 to {MAX_ITEMS}.",
                    ),
                )

    @classmethod
    def showing(cls, handout, errors=None, text="", catalogue=None, scope=None):
        """The form filled in from a handout, with the errors that shaped it.

        The builder shows a handout as it was read (a title cut short, a date
        left off), so each message sits by a field that shows what it says.
        ``text`` is what the list is narrowed to and ``scope`` the briefing
        whose items it shows; each briefing offered says how many of its items
        are chosen.
        """
        data = QueryDict(handout.querystring(), mutable=True)
        if text:
            data["q"] = data["shown"] = text
        if scope:
            data["briefing"] = scope.slug
            chosen = catalogue.chosen_by_briefing(handout.item_ids)
        form = cls(data)
        form.is_valid()
        if scope:
            form.fields["briefing"].widget.choices = [
                (b.slug, f"{b.title} ({chosen[b.slug]} chosen)")
                if b.slug in chosen
                else (b.slug, b.title)
                for b in catalogue.briefings
            ]
        for name, field_errors in (errors or {}).items():
            form.add_error(name if name in form.fields else None, field_errors)
        return form

    def value(self, name):
        """A field's cleaned value, or what can be used of it after an error."""
        if name in self.cleaned_data:
            return self.cleaned_data[name]
        usable = getattr(self.fields[name], "usable", None)
        return usable(self[name].data) if usable else None

    def handout(self):
        """The handout these choices make, with a notice for every error."""
        self.is_valid()
        return Handout(
            title=self.value("title"),
            audience=self.value("audience"),
            session_date=self.value("date"),
            notes=self.value("notes"),
            discreet=self.value("discreet"),
            qr=self.value("qr"),
            item_ids=self._ordered(self.value("item"), self.value("previous")),
            notices=[error for errors in self.errors.values() for error in errors],
        )

    def _ordered(self, item_ids, previous):
        """Items by their positions (1 first), the unnumbered after, as listed.

        The builder numbers the chosen items 1, 2, 3 ... in their handout order,
        so a number a trainer types usually meets an item that kept it. Then,
        as in a list where one item moves, an item new to the handout or moved
        up goes before the one that kept the number, and one moved down after.
        """
        was = {item_id: n for n, item_id in enumerate(previous, start=1)}

        def key(indexed):
            index, item_id = indexed
            position = self.cleaned_data.get(f"order.{item_id}")
            if position is None:
                return (1, 0, 0, index)
            before = was.get(item_id, position + 1)
            moved = (position > before) - (position < before)  # -1 up, 1 down
            return (0, position, moved, index)

        return [item_id for _, item_id in sorted(enumerate(item_ids), key=key)]
