"""What changed between two versions of an item, in words an editor can read.

django-simple-history shows each changed field as ``old → new``, cut to 100
characters: an added sentence in a long markdown field never shows. Here text
fields are compared word by word (``difflib``) and shown whole, with additions
and removals marked; other fields show their old and new values by name.
"""

import datetime
import difflib
import re
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.template_utils import HistoricalRecordContextHelper

from . import wording

# Words with the space after them, so the text reads as it was written and a
# change of spacing alone (a new blank line) is not a change of words.
TOKENS = re.compile(r"^\s+|\S+\s*")

EMPTY = "(empty)"


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


def word_diff(old, new):
    """``new`` against ``old`` as a list of segments, nothing left out."""
    before, after = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(
        None, [t.strip() for t in before], [t.strip() for t in after], autojunk=False
    )
    segments = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(after[j1:j2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("removed", "".join(before[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("added", "".join(after[j1:j2])))
    return segments


def is_text(field):
    """Fields worth comparing word by word (markdown fields are TextFields)."""
    return isinstance(field, models.CharField | models.TextField) and not (
        field.choices or isinstance(field, models.SlugField)
    )


def display(field, value):
    """A value as the editor chose it: choice labels, names, Yes/No."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


class ReadableChanges(HistoricalRecordContextHelper):
    """Each changed field with its label: a word diff, or its old and new value."""

    def context_for_delta_changes(self, delta):
        changes = []
        for change in delta.changes:
            field = self.model._meta.get_field(change.field)
            row = {"field": wording.label(field)}
            if is_text(field):
                row["words"] = word_diff(change.old, change.new)
            else:
                old = self.prepare_delta_change_value(change, change.old)
                new = self.prepare_delta_change_value(change, change.new)
                row["old"], row["new"] = display(field, old), display(field, new)
            changes.append(row)
        return changes
