import math
import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from editorial.content import FieldKeyManager, search_kinds, searchable_models

# Kinds the search address (?kind=) used to name otherwise: still understood.
OLD_KINDS = {"prompt": "question"}


# How much an item of each kind is worth: the guidance (practice points,
# sections, questions) before definitions, services and places, and those
# before a figure, a quote or a research title, which share words only in
# passing. Times a length factor (item_weight).
KIND_PRIORS = {
    "practice-point": 1.0,
    "section": 1.0,
    "question": 0.9,
    "reflective-question": 0.9,
    "briefing": 0.8,
    "glossary-term": 0.7,
    "organisation": 0.7,
    "resource": 0.7,
    "snapshot": 0.6,
    "figure": 0.5,
    "quote": 0.5,
    "research": 0.5,
}
# A kind not listed above.
DEFAULT_PRIOR = 0.5
# Kinds whose entries are short by nature (a name, an area, a line): among
# items with every word, weighed by their prior alone (search.backends).
SHORT_BY_NATURE = ("organisation", "resource")
# Texts this long (in words) or longer count in full; shorter ones a little
# less, so a one-line quote does not beat a page on one shared word.
FULL_LENGTH = 100


def item_weight(kind, title, body):
    """An item's weight in the fallback ranking: its kind's prior times a
    factor for its length (0.2 for a title alone, 1 from FULL_LENGTH words)."""
    words = len(title.split()) + len(body.split())
    length = min(1.0, (1 + math.log1p(words)) / (1 + math.log1p(FULL_LENGTH)))
    return round(KIND_PRIORS.get(kind, DEFAULT_PRIOR) * length, 4)


class Document(models.Model):
    """One published item as the search index holds it: a copy, rebuilt at will.

    The full-text index itself lives beside this table and is kept in step by
    the database: an FTS5 table and triggers on SQLite, a generated tsvector
    column with a GIN index on PostgreSQL (see the 0001 migration).
    """

    # Readers see the index: a rebuild refreshes cached pages.
    reader_data = True

    model = models.CharField(max_length=100, help_text="app_label.model_name")
    object_id = models.PositiveBigIntegerField()
    # By name ("practice-point"): the kinds are those content models declare.
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # Space-delimited with a space at each end, so "% slug %" matches whole slugs.
    audiences = models.CharField(max_length=500, blank=True)
    # The slug of the briefing the item belongs to; blank for shared items.
    briefing = models.CharField(max_length=50, blank=True)
    # Its place among items that share only some of a search's words (see
    # item_weight), set by the indexer.
    # Null only for rows written before it (ALTER TABLE ADD COLUMN on SQLite:
    # a copy of the table would lose its full-text triggers).
    weight = models.FloatField(null=True, blank=True)
    # The item's meaning as the embedding model sees it (search.semantic):
    # float32 bytes, set by the indexer; null without the model.
    embedding = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        # Covers the kind, audience and briefing filters, so SQLite can count
        # and rank thousands of matches without reading each row's long body
        # (see backends.SQLiteBackend).
        indexes = [
            models.Index(
                fields=["id", "kind", "audiences", "briefing"], name="search_filters"
            ),
            # The ids of one kind, for ranking figures or glossary terms apart.
            models.Index(fields=["kind", "id"], name="search_kind"),
            # Each match's weight in the fallback, without reading its body.
            models.Index(fields=["id", "weight"], name="search_weight"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "object_id"], name="unique_search_document"
            )
        ]

    def __str__(self):
        return f"{search_kinds().get(self.kind, self.kind)}: {self.title}"


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

    # What a search finds: a change refreshes cached result pages.
    reader_data = True
    # Kept in fixtures/search.json (load_content, export_content).
    editor_data = True

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

    objects = FieldKeyManager("terms")

    class Meta:
        ordering = ["terms"]

    def __str__(self):
        text = " = ".join(self.term_list)
        if self.finds_list:
            text += " → " + ", ".join(self.finds_list)
        return text

    def natural_key(self):
        return (self.terms,)

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

    # What a search shows first: a change refreshes cached result pages.
    reader_data = True
    # Kept in fixtures/search.json, its items named by their natural keys.
    editor_data = True

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

    objects = FieldKeyManager("queries")

    class Meta:
        ordering = ["queries"]
        verbose_name = "best bet"

    def __str__(self):
        return ", ".join(self.query_list)

    def natural_key(self):
        return (self.queries,)

    @classmethod
    def to_fixture(cls, fields):
        """Its fields as fixtures keep them: each item by its model and natural
        key (["practice_points.practicepoint", "ask-the-question"]), not by its
        address, so a renamed page or a new address scheme keeps the bet."""
        fields = dict(fields)
        addresses = [line.strip() for line in fields.pop("urls").splitlines()]
        fields["items"] = [
            item_key(address, fields["queries"]) for address in addresses if address
        ]
        return fields

    @classmethod
    def from_fixture(cls, fields):
        """The fields ``to_fixture`` wrote, each item back at its address."""
        fields = dict(fields)
        items = fields.pop("items", None)
        if not items:
            raise ValueError("it names no items")
        fields["urls"] = "\n".join(item_address(item) for item in items)
        return fields

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


def item_key(address, queries=""):
    """[model label, *natural key] of the item at a search result's address."""
    item = _item_at(address)
    if item is None:
        bet = ", ".join(queries.splitlines()[:2])
        raise ValueError(
            f"the best bet for '{bet}' shows {address}, and no item has that "
            "address: pick its item again in the admin, then export"
        )
    return [item._meta.label_lower, *item.natural_key()]


def _item_at(address):
    document = Document.objects.filter(url=address).first()
    if document is not None:
        return apps.get_model(document.model)._default_manager.get(
            pk=document.object_id
        )
    # Not in the index (a draft or a withdrawn item): every item, as indexed.
    for model in searchable_models():
        for item in model._default_manager.all():
            if item.search_document().url == address:
                return item
    return None


def item_address(key):
    """A search result's address for [model label, *natural key]."""
    label, *natural_key = key if isinstance(key, list) else [key]
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise ValueError(f"{label!r} is not a kind of item") from None
    if model not in searchable_models():
        raise ValueError(f"{label!r} is not a kind of item search shows")
    try:
        item = model._default_manager.get_by_natural_key(*natural_key)
    except (model.DoesNotExist, TypeError):
        raise ValueError(
            f"no {model._meta.verbose_name} is named {natural_key}"
        ) from None
    return item.search_document().url


class NoResultSearch(models.Model):
    """How often a search found nothing, per day: the tuning signal for editors.

    Only the normalised words (see ``normalised``) and a count per day are kept:
    no address, time of day, cookie or anything linking it to a request.
    """

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
