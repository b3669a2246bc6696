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
    ORGANISATION = "organisation", "Local support"
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
    # The slug of the briefing the item belongs to; blank for shared items.
    briefing = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["title"]
        # Covers the audience and briefing filters, so SQLite can count and rank thousands of
        # matches without reading each row's long body (see backends.SQLiteBackend;
        # the kind filter needs no index: kinds are id ranges).
        indexes = [
            models.Index(
                fields=["id", "kind", "audiences", "briefing"], name="search_filters"
            )
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

    A search for any one of the terms finds items that use any of the others,
    and the words it "also finds" (one way: those do not find the terms).
    """

    terms = models.TextField(
        help_text="Words or phrases a reader may type, one per line, e.g. 'CSE' and "
        "'child sexual exploitation'. A search for one finds the others."
    )
    also_finds = models.TextField(
        blank=True,
        help_text="Optional: the guidance's own words these terms also find, one "
        "per line, without those finding the terms back. E.g. terms 'methadone' and "
        "'buprenorphine' also find 'drug', but a search for 'drug' does not widen "
        "to every medication.",
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional: why these belong together, for other editors.",
    )

    class Meta:
        ordering = ["terms"]

    def __str__(self):
        text = " = ".join(self.term_list)
        if self.finds_list:
            text += " → " + ", ".join(self.finds_list)
        return text

    @property
    def term_list(self):
        return split_terms(self.terms)

    @property
    def finds_list(self):
        return [t for t in split_terms(self.also_finds) if t not in self.term_list]

    @property
    def entry(self):
        """(what a reader may type, everything that finds) for search.query."""
        return (tuple(self.term_list), (*self.term_list, *self.finds_list))

    def clean(self):
        if len(self.term_list) + len(self.finds_list) < 2:
            raise ValidationError(
                {
                    "terms": "Give at least two words or phrases, or a word it also finds."
                }
            )
        if not self.term_list:
            raise ValidationError({"terms": "Give at least one word or phrase."})
        self.terms = "\n".join(self.term_list)
        self.also_finds = "\n".join(self.finds_list)


def normalised(text):
    """The words of a search that carry meaning, as best bets and the report
    compare them: lower case, question words and filler left out, in order."""
    from .query import parse

    return " ".join(parse(text).words)


class BestBet(models.Model):
    """Items an editor pins to the top of a search, marked "Recommended"."""

    queries = models.TextField(
        help_text="The searches this answers, one per line, e.g. 'how to ask' and "
        "'asking about selling sex'. Matched on their words (question words, "
        "capitals and punctuation do not matter)."
    )
    urls = models.TextField(
        "Items",
        help_text="The addresses of the items to show first, one per line, best "
        "first, as search results link to them, e.g. '/practice-points/"
        "ask-the-question/' or '/snapshot/encompass-snapshot-2021/#figure-"
        "domestic-abuse'. Only published items are shown.",
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional: why these items answer these searches.",
    )

    class Meta:
        ordering = ["queries"]
        verbose_name = "best bet"

    def __str__(self):
        return ", ".join(self.query_list)

    @property
    def query_list(self):
        return [
            q for q in (normalised(line) for line in self.queries.splitlines()) if q
        ]

    @property
    def url_list(self):
        return [u for u in (line.strip() for line in self.urls.splitlines()) if u]

    def clean(self):
        if not self.query_list:
            raise ValidationError({"queries": "Give at least one search it answers."})
        if not self.url_list:
            raise ValidationError({"urls": "Give at least one item's address."})
        found = set(
            Document.objects.filter(url__in=self.url_list).values_list("url", flat=True)
        )
        missing = [u for u in self.url_list if u not in found]
        if missing:
            raise ValidationError(
                {
                    "urls": "No published item has the address "
                    + ", ".join(missing)
                    + ". Copy the address of a search result."
                }
            )


class NoResultSearch(models.Model):
    """How often a search found nothing, per day: the tuning signal for editors.

    Only the normalised words (see ``normalised``) and a count per day are kept:
    no address, time of day, cookie or anything linking it to a request.
    """

    # Not reader content: a count must not change every cached page's version.
    reader_content = False

    day = models.DateField()
    words = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "words"]
        verbose_name = "search with no results"
        verbose_name_plural = "searches with no results"
        constraints = [
            models.UniqueConstraint(fields=["day", "words"], name="unique_no_result")
        ]

    def __str__(self):
        return f"{self.words} ({self.day}: {self.count})"
