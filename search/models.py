import functools
import re

from django.core.exceptions import ValidationError
from django.db import models

from editorial.content import searchable_models


class Kind(models.TextChoices):
    """Kinds of item a reader can find, in the order the filter offers them."""

    PRACTICE_POINT = "practice-point", "Practice point"
    QUESTION = "question", "Example question"
    REFLECTIVE_QUESTION = "reflective-question", "Reflective question"
    SECTION = "section", "Briefing section"
    BRIEFING = "briefing", "Briefing"
    FIGURE = "figure", "Figure"
    SNAPSHOT = "snapshot", "Snapshot"
    ORGANISATION = "organisation", "Organisation"
    QUOTE = "quote", "In their words"
    RESOURCE = "resource", "Resource"
    RESEARCH = "research", "Research"
    GLOSSARY_TERM = "glossary-term", "Glossary term"


# Kinds the search address (?kind=) used to name otherwise: still understood.
OLD_KINDS = {"prompt": Kind.QUESTION.value}

# Document ids are partitioned by kind: each kind owns one range of 2**40 ids,
# and within it each indexed model one range of 2**32 (its Content's
# search_number). SQLite's full-text index can then count and filter by kind
# with rowid ranges, never reading the rows. The numbers are stored in ids:
# give a new kind or model a new number, never renumber (migration 0005 froze
# these to re-number existing rows).
KIND_NUMBERS = {
    Kind.PRACTICE_POINT.value: 1,
    Kind.QUESTION.value: 2,
    Kind.REFLECTIVE_QUESTION.value: 3,
    Kind.SECTION.value: 4,
    Kind.BRIEFING.value: 5,
    Kind.FIGURE.value: 6,
    Kind.SNAPSHOT.value: 7,
    Kind.ORGANISATION.value: 8,
    Kind.QUOTE.value: 9,
    Kind.RESOURCE.value: 10,
    Kind.RESEARCH.value: 11,
    Kind.GLOSSARY_TERM.value: 12,
}
KIND_SPAN = 1 << 40
MODEL_SPAN = 1 << 32


@functools.cache
def model_numbers():
    """{"app_label.model_name": number} of every model the index holds."""
    return {
        model._meta.label_lower: number for model, number in searchable_models().items()
    }


def document_id(kind, model, object_id):
    """The index id of one item: its kind's range, its model's, then its own pk."""
    if not 0 < object_id < MODEL_SPAN:
        raise ValueError(f"Cannot index {model} {object_id}: pk out of range.")
    number = model_numbers()[model]
    return KIND_NUMBERS[kind] * KIND_SPAN + number * MODEL_SPAN + object_id


def kind_ids(kind):
    """The first and last document id a kind can have."""
    first = KIND_NUMBERS[kind] * KIND_SPAN
    return first, first + KIND_SPAN - 1


class Document(models.Model):
    """One published item as the search index holds it: a copy, rebuilt at will.

    The full-text index itself lives beside this table and is kept in step by
    the database: an FTS5 table and triggers on SQLite, a generated tsvector
    column with a GIN index on PostgreSQL (see the 0001 migration).
    """

    model = models.CharField(max_length=100, help_text="app_label.model_name")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # Space-delimited with a space at each end, so "% slug %" matches whole slugs.
    audiences = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["title"]
        # Covers the audience filter, so SQLite can count and rank thousands of
        # matches without reading each row's long body (see backends.SQLiteBackend;
        # the kind filter needs no index: kinds are id ranges).
        indexes = [
            models.Index(fields=["id", "kind", "audiences"], name="search_filters")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "object_id"], name="unique_search_document"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


def split_terms(text):
    """Editor text to terms: one per line or comma, blanks and repeats dropped."""
    terms = []
    for term in re.split(r"[\n,]", text or ""):
        term = " ".join(term.split()).lower()
        if term and term not in terms:
            terms.append(term)
    return terms


class Synonym(models.Model):
    """Words and phrases in the field's vocabulary that mean the same thing.

    A search for any one of them finds items that use any of the others.
    """

    terms = models.TextField(
        help_text="Two or more words or phrases that mean the same, one per line, "
        "e.g. 'CSE' and 'child sexual exploitation'. A search for one finds the others."
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional: why these belong together, for other editors.",
    )

    class Meta:
        ordering = ["terms"]

    def __str__(self):
        return " = ".join(self.term_list)

    @property
    def term_list(self):
        return split_terms(self.terms)

    def clean(self):
        if len(self.term_list) < 2:
            raise ValidationError({"terms": "Give at least two words or phrases."})
        self.terms = "\n".join(self.term_list)
