"""The search engine, behind one small interface so views never see SQL.

SQLite uses FTS5 (porter stemming, bm25 with titles weighted above bodies);
PostgreSQL uses its English full-text search (weighted tsvector, GIN index),
through django.contrib.postgres's SearchQuery, SearchRank and SearchHeadline. A larger deployment could add an
OpenSearch backend here without touching views: ``search()`` is the interface.

Both give the same order: items whose title has every word first, then the rest;
in each, the exact phrase before scattered words, then the engine's rank. Both
show each kind's count only up to COUNT_LIMIT + 1.
"""

import logging
import math
import operator
import re
import traceback
from contextlib import nullcontext
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVectorField,
)
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Length
from django.db.models.sql import Query as SQLQuery
from django.utils.html import escape
from django.utils.safestring import mark_safe
from rapidfuzz import process
from rapidfuzz.distance import OSA

try:  # Optional: without it, run-together words are simply not split.
    import wordninja
except ImportError:  # pragma: no cover
    wordninja = None

from editorial.content import search_kinds

from . import semantic
from .models import DEFAULT_PRIOR, KIND_PRIORS, SHORT_BY_NATURE, Document
from .query import weak_phrase

logger = logging.getLogger(__name__)

# Engines wrap matched words in these private-use characters; the indexer strips
# them from content, so after escaping they can only ever become our <mark> tags.
START, STOP = "\ue000", "\ue001"
# SQLite's index holds each item's kind as one word between these marks
# (migration 0017), matched in the kind column only: no reader can type it.
KIND_MARK = "\ue002"
SNIPPET_WORDS = 32
# Results are counted up to this many per kind; past it the page says "more than".
COUNT_LIMIT = 1000
# Fewer items than this with every word are followed by items with some words:
# one weak match never hides what the other words find.
FEW = 3
WORDS = re.compile(r"\w+")
# Glossary entries are a line or two, and both engines favour short texts, so
# a definition that mentions "food" would outrank the practice point about it.
# Their scores count for half: the guidance comes first, definitions after.
GLOSSARY_WEIGHT = 0.5
GLOSSARY = ("glossary-term", GLOSSARY_WEIGHT)
# An item of a kind, in SQL: uncorrelated, so the engine finds the kind's ids
# once (from the search_kind index), not once per row.
OF_KIND = "{} IN (SELECT id FROM search_document WHERE kind = %s)"


# Texts this short are shown whole, never cut: every figure, with its note.
WHOLE_TEXT = 400


def whole_numbers(snippet, body):
    """The snippet without a number cut in two at either end: "…5%) of women"
    (from "23.5%") loses the "5%)", so no reader misreads a figure."""
    plain = _plain(snippet)
    parts = plain.strip("…").strip().split(" … ")
    first, last = parts[0][:30], parts[-1][-30:]
    if plain.startswith("…") and first[:1].isdigit():
        at = body.find(first)
        if at > 0 and _continues(body[::-1], len(body) - at):
            snippet = "…" + _drop_first_word(snippet[1:].lstrip())
    if plain.endswith("…") and last[-1:].isdigit():
        at = body.find(last)
        after = at + len(last) if at >= 0 else -1
        if 0 <= after < len(body) and _continues(body, after):
            snippet = _drop_last_word(snippet[:-1].rstrip()) + "…"
    return _with_notes(snippet, body)


# A recomputed figure's note, and the count that starts a figure.
NOTE = re.compile(r"\(The source briefing printed[^)]*\)")
FIGURE = re.compile(r"\b\d+ of \d+\b")
LONGEST_NOTE_TAIL = 300


def _with_notes(snippet, body):
    """Each part of a snippet cut inside a figure's sentence runs on to the end
    of its note ("…(The source briefing printed this as 20%.)"), so a recomputed
    percentage is never read without the printed one, and no part ends inside
    a note. PostgreSQL's headline may give several parts, joined by " … "."""
    body = " ".join(body.split())
    *parts, last = snippet.split(" … ")
    parts = [_part_with_note(part, body)[0] for part in parts]
    if last.endswith("…"):
        last, ends_at = _part_with_note(last.removesuffix("…"), body)
        last += "…" if ends_at < len(body) else ""
    return " … ".join([*parts, last])


def _plain(text):
    return text.replace(START, "").replace(STOP, "")


def _part_with_note(part, body):
    """The part, run on to its figure's note where it stops short of it, and
    where it now ends in the body (-1 where it cannot be found there)."""
    text = " ".join(_plain(part).strip("…").split())
    at = body.find(text) if text else -1
    if at < 0:
        return part, -1
    end = at + len(text)
    note = next((n for n in NOTE.finditer(body) if n.end() > end), None)
    if note is None or note.end() - end > LONGEST_NOTE_TAIL:
        return part, end
    owners = [m.start() for m in FIGURE.finditer(body, 0, note.start())]
    inside_note = note.start() < end
    figure_shown = bool(owners) and at <= owners[-1] < end
    if not (inside_note or figure_shown):
        return part, end
    return part.rstrip() + body[end : note.end()], note.end()


def _continues(body, at):
    """True when the number that ends before ``at`` goes on ("83" of "83%");
    on the reversed text, when the number starting there began earlier."""
    char, following = body[at], body[at + 1 : at + 2]
    return char.isdigit() or char in "%" or (char in ".," and following.isdigit())


def _drop_first_word(text):
    head, _, rest = text.partition(" ")
    # A match marker opened in the dropped word stays open: keep the balance.
    return (START if head.count(START) > head.count(STOP) else "") + rest


def _drop_last_word(text):
    rest, _, tail = text.rpartition(" ")
    return rest + (STOP if tail.count(STOP) > tail.count(START) else "")


def marked(text):
    """Escape everything, then turn the engine's match markers into <mark>."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our tags added


@dataclass(frozen=True)
class Narrowing:
    """The filters read from search_document's own columns."""

    audience: str = ""
    briefing: str = ""

    def __bool__(self):
        return bool(self.audience or self.briefing)


def _filters(kind, narrow):
    """SQL and params for the kind, narrow and briefing filters (on
    search_document ``d``)."""
    sql, params = "", []
    if kind:
        sql += " AND d.kind = %s"
        params.append(kind)
    if narrow.audience:
        # Items written for everyone (no audience) are for these readers too.
        sql += " AND (d.audiences LIKE %s OR d.audiences = '')"
        params.append(f"% {narrow.audience} %")
    if narrow.briefing:
        # Only the briefing's own items: those briefings share belong to none.
        sql += " AND d.briefing = %s"
        params.append(narrow.briefing)
    return sql, params


def _all_words_weight(kind, weight):
    """SQL for an item's weight among items with every word (``kind``,
    ``weight``: SQL naming its kind and stored weight): the stored weight
    (its kind's prior times a length factor), but an organisation's or a
    resource's prior alone. Their entries are short by nature (a name, an
    area, a line), so their length says nothing of how much they are about
    the words, and the engine's rank already favours short texts. Figures keep
    the length factor: "disclosing" must not bring back every figure that
    says "disclosed". The kinds and priors are the code's own constants."""
    whens = " ".join(
        f"WHEN '{name}' THEN {KIND_PRIORS[name]!r}" for name in SHORT_BY_NATURE
    )
    return f"(CASE {kind} {whens} ELSE {weight} END)"


def _prior(kind):
    """SQL for an item's kind prior alone (``kind``: SQL naming its kind): the
    weight among items whose title has every word, where a title's length
    says nothing (the engines favour short titles already)."""
    whens = " ".join(
        f"WHEN '{name}' THEN {KIND_PRIORS[name]!r}" for name in KIND_PRIORS
    )
    return f"(CASE {kind} {whens} ELSE {DEFAULT_PRIOR!r} END)"


def _kind_order(kind):
    """SQL (and params) for a kind's place in the filter: ties between equal
    scores go to the earlier kind, so a practice point comes before its own
    questions (which share its title)."""
    names = list(search_kinds())
    whens = " ".join("WHEN %s THEN %s" for _ in names)
    params = [value for n, name in enumerate(names) for value in (name, n)]
    return f"CASE {kind} {whens} ELSE %s END", [*params, len(names)]


# The kinds that answer a question about numbers first.
NUMBERS = ("figure", "snapshot")
# The kinds that answer a search for a service first.
SERVICES = ("organisation", "resource")
# The kind a search for someone to refer to or contact answers first.
CONTACTS = ("organisation",)


def idf(documents, matches):
    """How much finding a word says about an item: rare words say more."""
    return math.log((documents + 1) / (matches + 0.5))


@dataclass
class Hit:
    kind: str
    url: str
    title: str
    snippet: str
    briefing: str = ""  # the slug of the briefing it belongs to, if any
    briefing_title: str = ""  # its title, when the page names it

    @property
    def kind_label(self):
        return search_kinds().get(self.kind, self.kind)


class TieredBackend:
    """The order both engines give, and how they find a page of it cheaply.

    Items whose title has every word come first: ranking them reads a
    titles-only index with short entries, and when they fill the page (broad
    queries: most items use the word somewhere) no body is ranked at all.
    Engines supply ``_literals(cursor, query, any_group)``: the match and the
    phrase as the engine writes them; ``_group_literals(cursor, query)``: each
    group's match alone; ``_has(literal)``: SQL true for an item the literal
    matches; ``_ranked(cursor, match, phrase, kind, narrow, limit, offset,
    titles, order)``: ids best first, among title matches, the rest, or all;
    ``_matches(match, kind, narrow)``: SQL selecting one row a match; and
    ``_rows(cursor, match, ids)``: {id: (kind, url, marked title, marked
    snippet, briefing)}.
    """

    def counts(self, query, *, narrow, any_group):
        """{kind: matches}, each shown as at most COUNT_LIMIT + 1: one query,
        reading each match's kind once from an index."""
        with connection.cursor() as cursor:
            match, _ = self._literals(cursor, query, any_group)
            matches, params = self._matches(match, "", narrow, select="d.kind")
            cursor.execute(
                f"SELECT kind, count(*) FROM ({matches}) c GROUP BY kind", params
            )
            return {
                kind: min(count, COUNT_LIMIT + 1) for kind, count in cursor.fetchall()
            }

    def matching(self, query, urls, *, narrow, any_group):
        """Which of these item addresses the query finds: one query."""
        with connection.cursor() as cursor:
            match, _ = self._literals(cursor, query, any_group)
            sql, params = self._matches(match, "", narrow, select="d.url")
            marks = ", ".join(["%s"] * len(urls))
            cursor.execute(f"{sql} AND d.url IN ({marks})", [*params, *urls])
            return {row[0] for row in cursor.fetchall()}

    def hits(self, query, *, kind, narrow, any_group, offset, limit, head=False):
        """One slice of the matches, best first, highlighted.

        With every word, items whose title has them all come first. With some
        of the words (``any_group``), items are ranked by how many of the
        query's words they contain, rarer words counting for more (like IDF),
        so an item with the rare words outranks one whose title has a common
        word. A question asking for a number puts figures first. ``head``:
        the few items with every word that a blend shows first.
        """
        with connection.cursor() as cursor:
            match, phrase = self._literals(cursor, query, any_group)
            order = self._order(cursor, query, any_group)
            if any_group:
                ids = self._fallback_ids(
                    cursor, query, (match, phrase, kind, narrow), offset, limit, order
                )
            elif query.services:
                # The kinds first, whether or not a title has the words.
                ids = self._ranked(
                    cursor, match, phrase, kind, narrow, limit, offset, None, order
                )
            else:
                ids = self._page_ids(
                    cursor, match, phrase, kind, narrow, offset, limit, order
                )
                if head and len(ids) > 1 and not self._plain(query):
                    # As in the fallback: the words cannot tell apart items
                    # of the same weight that all have every word.
                    vectors, tied = self._vectors_and_ties(cursor, query, ids, phrase)
                    ids = semantic.fuse(ids, vectors, query.text, tied)
            # Highlights and snippets for the page's items alone.
            rows = self._rows(cursor, match, ids) if ids else {}
        return [
            Hit(kind, url, marked(title), marked(text), briefing)
            for kind, url, title, text, briefing in (rows[i] for i in ids if i in rows)
        ]

    def _fallback_ids(self, cursor, query, where, offset, limit, order):
        """Ids of items with some of the words, best first: the best
        semantic.RERANK re-ordered by meaning as well (semantic.fuse), unless
        the order is the reader's (quoted words) or a kind's (a question about
        numbers or a definition, a search for a service)."""

        def ranked(limit, offset):
            return self._ranked(cursor, *where, limit, offset, None, order)

        if self._plain(query) or offset >= semantic.RERANK:
            return ranked(limit, offset)
        ids = ranked(semantic.RERANK, 0)
        if not ids:
            return ids
        vectors, tied = self._vectors_and_ties(cursor, query, ids, where[1])
        ids = semantic.fuse(ids, vectors, query.text, tied)
        if offset + limit > semantic.RERANK == len(ids):
            ids += ranked(offset + limit - semantic.RERANK, semantic.RERANK)
        return ids[offset : offset + limit]

    @staticmethod
    def _plain(query):
        """True when the words' order stands: the reader's (quoted words) or
        a kind's (a number or definition question, a search for a service),
        or without the semantic signal."""
        plain = query.quoted or query.numeric or query.defining or query.services
        return plain or semantic.active() is None

    def _vectors_and_ties(self, cursor, query, ids, phrase):
        """({id: its vector}, how many of the first ``ids`` tie on the words:
        the same score (the words' rarity times the item's weight) and the
        same place for the typed phrase). One query, for the RERANK items."""
        weights = self._group_weights(cursor, query) if len(query.groups) > 1 else []
        literals = [literal for literal, _ in weights]
        if phrase:
            literals.append(self._phrase_literal(phrase))
        has = "".join(f", {self._has(literal)}" for literal in literals)
        marks = ", ".join(["%s"] * len(ids))
        table = self.ID.split(".")[0]
        cursor.execute(
            f"SELECT {self.ID}, embedding, coalesce(weight, 1){has}"
            f" FROM search_document {table} WHERE {self.ID} IN ({marks})",
            [*literals, *ids],
        )
        vectors, keys = {}, {}
        for id, vector, weight, *found in cursor.fetchall():
            vectors[id] = vector and bytes(vector)
            score = weight * sum(
                w for (_, w), f in zip(weights, found, strict=False) if f
            )
            keys[id] = (round(score, 9), bool(found[-1]) if phrase else False)
        tied = 1
        while tied < len(ids) and keys.get(ids[tied]) == keys.get(ids[0]):
            tied += 1
        return vectors, tied

    def _order(self, cursor, query, any_group):
        """ORDER BY keys (SQL, params) to put first: figures for a number
        question, then the weight of the query's words an item contains."""
        sql, params = [], []
        if query.numeric:
            of_kinds = " OR ".join(OF_KIND.format(self.ID) for _ in NUMBERS)
            sql.append(f"({of_kinds}) DESC")
            params += NUMBERS
        if query.defining:
            sql.append(f"({OF_KIND.format(self.ID)}) DESC")
            params.append(GLOSSARY[0])
        if query.services:
            topics = self._topic_literals(cursor, query) if any_group else []
            # Someone to refer to or contact ("referral", "phone"): Local
            # support's organisations before the resources, as the page
            # points to Local support.
            firsts = [CONTACTS, SERVICES] if query.contacts else [SERVICES]
            for kinds in firsts:
                of_kinds = " OR ".join(OF_KIND.format(self.ID) for _ in kinds)
                if topics:
                    # With some of the words, only services that share a topic
                    # word come first: "mums avoiding services" asks about the
                    # mothers, and no service names them; "services in Dundee"
                    # still puts Dundee's first.
                    about = " OR ".join(self._has(literal) for literal in topics)
                    of_kinds = f"({of_kinds}) AND ({about})"
                sql.append(f"({of_kinds}) DESC")
                params += [*kinds, *topics]
        if any_group and len(query.groups) > 1:
            weights = self._group_weights(cursor, query)
            terms = []
            for literal, weight in weights:
                terms.append(f"(CASE WHEN {self._has(literal)} THEN %s ELSE 0 END)")
                params += [literal, weight]
            # The words' rarity, times the item's kind prior and length
            # (models.item_weight), unless the reader quoted words exactly.
            prior = "1" if query.quoted else self.WEIGHT
            sql.append("(" + " + ".join(terms) + f") * {prior} DESC")
        return "".join(f"{key}, " for key in sql), params

    def _topic_literals(self, cursor, query):
        """Each topic group's match (Query.topics), or none when the search
        is for a service alone ("referral")."""
        topics = query.topics
        if not topics or len(topics) == len(query.groups):
            return []
        literals = self._group_literals(cursor, query)
        return [
            lit for lit, g in zip(literals, query.groups, strict=True) if g in topics
        ]

    def _group_weights(self, cursor, query):
        """[(a group's match, its weight)]: one count of items per group,
        kept for the page (the order and the ties share it)."""
        kept = self.__dict__.setdefault("_kept_weights", {})
        key = tuple(query.groups)
        if key not in kept:
            kept[key] = self._count_group_weights(cursor, query)
        return kept[key]

    def _count_group_weights(self, cursor, query):
        literals = self._group_literals(cursor, query)
        counts, params = [], []
        for literal in literals:
            matches, match_params = self._matches(literal, "", Narrowing())
            counts.append(f", (SELECT count(*) FROM ({matches}) c)")
            params += match_params
        cursor.execute(
            "SELECT (SELECT count(*) FROM search_document)" + "".join(counts), params
        )
        documents, *matches = cursor.fetchone()
        return [
            (lit, idf(documents, n)) for lit, n in zip(literals, matches, strict=True)
        ]

    def _weight(self, titles):
        """What an item's rank is multiplied by: among title matches
        (``titles`` True), its kind's prior; with every word (False),
        _all_words_weight; with some of them or a kind first (None), its
        stored weight."""
        if titles:
            return self.PRIOR
        return self.ALL_WORDS_WEIGHT if titles is False else self.WEIGHT

    def _page_ids(self, cursor, match, phrase, kind, narrow, offset, limit, order):
        def ranked(limit, offset, titles):
            return self._ranked(
                cursor, match, phrase, kind, narrow, limit, offset, titles, order
            )

        ids = ranked(offset + limit, 0, titles=True)
        titled, ids = len(ids), ids[offset:]
        if len(ids) < limit:
            ids += ranked(limit - len(ids), max(0, offset - titled), titles=False)
        return ids


def kind_word(kind):
    """A kind as the one word search_fts's kind column holds for it."""
    return KIND_MARK + kind.replace("-", KIND_MARK) + KIND_MARK


class SQLiteBackend(TieredBackend):
    """FTS5 tables: search_fts (stemmed title and body), search_titles (stemmed
    titles alone, for ranking title matches first) and search_words (plain
    words, for spelling).

    search_fts also holds each item's kind as a word (``kind_word``), so kinds
    are counted and filtered inside the index; audiences (and kinds among title
    matches) through the search_filters index, never reading a long body.
    """

    ID = "f.rowid"
    # Read from a covering index: never the row and its long body.
    WEIGHT = (
        "(SELECT coalesce(weight, 1) FROM search_document INDEXED BY search_weight"
        " WHERE id = f.rowid)"
    )
    # An item's kind, correlated and read from a covering index (as the weight is).
    KIND = "(SELECT kind FROM search_document INDEXED BY search_filters WHERE id = f.rowid)"
    ALL_WORDS_WEIGHT = _all_words_weight(KIND, WEIGHT)
    PRIOR = _prior(KIND)

    @staticmethod
    def _phrase(words):
        # Words are letters and digits only (search.query), so quoting is safe.
        return '"' + " ".join(words) + '"'

    def _group(self, group):
        return "(" + " OR ".join(map(self._phrase, group)) + ")"

    def _phrase_literal(self, phrase):
        return self._phrase(phrase)

    def _literals(self, cursor, query, any_group):
        ors = [self._group(g) for g in query.groups]
        return (" OR " if any_group else " AND ").join(ors), query.phrase

    @staticmethod
    def _has(literal):
        # Uncorrelated: SQLite finds the group's items once, not per row.
        return "f.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"

    def _group_literals(self, cursor, query):
        return [self._group(g) for g in query.groups]

    @staticmethod
    def _where(table, match, kind, narrow, join=False):
        """FROM and WHERE (and params) for one full-text table, with the filters."""
        if kind and table == "search_fts":
            # The kind's word in its own column: matched inside the index.
            match = f'({match}) AND kind : "{kind_word(kind)}"'
            kind = ""
        sql = f"FROM {table} f"
        if kind or narrow or join:
            # INDEXED BY: SQLite would otherwise read every matching row, long
            # body and all, just to check its kind, audiences and briefing.
            sql += " JOIN search_document d INDEXED BY search_filters ON d.id = f.rowid"
        filters, params = _filters(kind, narrow)
        return f"{sql} WHERE {table} MATCH %s{filters}", [match, *params]

    def _matches(self, match, kind, narrow, select="1"):
        where, params = self._where(
            "search_fts", match, kind, narrow, join=select != "1"
        )
        return f"SELECT {select} {where}", params

    def counts(self, query, *, narrow, any_group):
        """{kind: matches}, each stopping at COUNT_LIMIT + 1: one query, each
        kind counted by its word in the index, so a broad search never looks
        up its thousands of matches' rows."""
        with connection.cursor() as cursor:
            match, _ = self._literals(cursor, query, any_group)
            selects, params = [], []
            for kind in search_kinds():
                matches, match_params = self._matches(match, kind, narrow)
                selects.append(
                    f"SELECT %s, (SELECT count(*) FROM ({matches} LIMIT %s) c)"
                )
                params += [kind, *match_params, COUNT_LIMIT + 1]
            cursor.execute(" UNION ALL ".join(selects), params)
            return {kind: count for kind, count in cursor.fetchall() if count}

    def _ranked(
        self, cursor, match, phrase, kind, narrow, limit, offset, titles, order
    ):
        """Ids best first (the exact phrase, then bm25): among items whose title
        matches, from search_titles, or among the others, from search_fts (or
        among all, when ``titles`` is None). ``order``: keys to put first."""
        table = "search_titles" if titles else "search_fts"
        where, params = self._where(table, match, kind, narrow)
        order_by, order_params = "", []
        if phrase:
            # Uncorrelated, so SQLite finds the phrase's items once, not per row.
            order_by = (
                f"f.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s) DESC, "
            )
            order_params = [self._phrase(phrase)]
        weights = exclude = ""
        if not titles:
            # The kind column counts for nothing in the rank.
            weights = ", 10.0, 1.0, 0.0"
        if titles is False:
            # Items whose title matches were ranked from search_titles already.
            exclude = (
                " AND f.rowid NOT IN"
                " (SELECT rowid FROM search_titles WHERE search_titles MATCH %s)"
            )
            params = [*params, match]
        # SQLite keeps only the best LIMIT + OFFSET rows as it ranks.
        first, first_params = order
        kind_order, kind_params = "", []
        if titles:
            # Equal titles tie (a point and its questions). Correlated, so only
            # among title matches.
            kind_order, kind_params = _kind_order(self.KIND)
            kind_order += ", "
        cursor.execute(
            f"SELECT f.rowid {where}{exclude}"
            f" ORDER BY {first}{order_by}bm25({table}{weights})"
            f" * (CASE WHEN {OF_KIND.format('f.rowid')} THEN %s ELSE 1 END)"
            f" * {self._weight(titles)},"
            f" {kind_order}f.rowid LIMIT %s OFFSET %s",
            [
                *params,
                *first_params,
                *order_params,
                *GLOSSARY,
                *kind_params,
                limit,
                offset,
            ],
        )
        return [row[0] for row in cursor.fetchall()]

    def _rows(self, cursor, match, ids):
        cursor.execute(
            "SELECT f.rowid, d.kind, d.url,"
            " highlight(search_fts, 0, %s, %s),"
            # A short text (a figure with its count, denominator, percentage
            # and note) whole; a long one cut around the matches.
            " CASE WHEN length(d.body) <= %s THEN highlight(search_fts, 1, %s, %s)"
            " ELSE snippet(search_fts, 1, %s, %s, '…', %s) END, d.body, d.briefing"
            " FROM search_fts f JOIN search_document d ON d.id = f.rowid"
            " WHERE search_fts MATCH %s"
            f" AND f.rowid IN ({', '.join(['%s'] * len(ids))})",
            [START, STOP, WHOLE_TEXT, START, STOP]
            + [START, STOP, SNIPPET_WORDS, match, *ids],
        )
        return {
            id: (kind, url, title, whole_numbers(snippet, body), briefing)
            for id, kind, url, title, snippet, body, briefing in cursor.fetchall()
        }

    @staticmethod
    def optimise():
        """Merge the index into one b-tree per table: after a rebuild it is many
        small segments, which every lookup (snippets above all) must visit."""
        with connection.cursor() as cursor:
            for table in ("search_fts", "search_titles", "search_words"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    def known(self, words):
        """The words the indexed content uses."""
        vocabulary = self._vocabulary().documents
        return {word for word in words if word in vocabulary}

    def spellings(self, words):
        """{word: known word it is most like}, for words the content never uses."""
        vocabulary = self._vocabulary()
        corrections = {}
        for word in self._unmatched(words):
            if word not in vocabulary.documents:
                best = vocabulary.closest(word)
                if best:
                    corrections[word] = best
        return corrections

    def _unmatched(self, words):
        """The words the stemmed index cannot match: "makes" is not misspelt when
        the content says "make", though the plain-words vocabulary lacks it."""
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(
                    [
                        "SELECT %s WHERE NOT EXISTS (SELECT 1 FROM search_fts"
                        " WHERE search_fts MATCH %s)"
                    ]
                    * len(words)
                ),
                [value for word in words for value in (word, self._phrase([word]))],
            )
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _vocabulary():
        # Reading fts5vocab counts every doclist, so the words are kept per
        # process until the index changes: the triggers count every write.
        with connection.cursor() as cursor:
            cursor.execute("SELECT changes FROM search_changes")
            key = (connection.alias, *cursor.fetchone())
            if Vocabulary.cached is None or Vocabulary.cached.key != key:
                cursor.execute("SELECT term, doc FROM search_vocab")
                Vocabulary.cached = Vocabulary(key, dict(cursor.fetchall()))
        return Vocabulary.cached


class Vocabulary:
    """Words of the indexed content, grouped by first letter (a typo keeps it),
    where rapidfuzz finds those a slip or two away."""

    cached = None

    def __init__(self, key, documents):
        self.key, self.documents, self.by_letter = key, documents, {}
        for term in documents:
            self.by_letter.setdefault(term[:1], []).append(term)

    def closest(self, word):
        found = process.extract(
            word,
            self.by_letter.get(word[:1], ()),
            scorer=OSA.distance,
            score_cutoff=slips(word),
            limit=None,
        )
        return likely_meant(word, [(term, self.documents[term]) for term, *_ in found])


def slips(word):
    """How many slips a typo of ``word`` may hold (see likely_meant)."""
    return 1 if len(word) < 9 else 2


def likely_meant(word, candidates):
    """The known word a reader most likely meant by ``word``, or None.

    ``candidates``: (known word, items using it), found by rapidfuzz (SQLite)
    or pg_trgm (PostgreSQL). A
    typo keeps the first letter and is one slip away (a letter extra, missing,
    wrong or swapped with the next), or two in words of nine letters or more.
    So "employabilty" meant "employability", but "housing" did not mean "using",
    nor "sleeping" "seeing": those are words the content simply does not use.
    """
    allowed = slips(word)
    best = None
    for known, uses in candidates:
        if known[:1] != word[:1] or known == word:
            continue
        distance = OSA.distance(word, known, score_cutoff=allowed)
        if distance <= allowed and (best is None or (distance, -uses, known) < best):
            best = (distance, -uses, known)
    return best[2] if best else None


def forget_vocabulary():
    """Called by the indexer: the next spelling check reads the words afresh."""
    Vocabulary.cached = None


def _sql(expression):
    """(SQL, params) of a django.contrib.postgres expression, to use inside the
    hand-written queries the engines share."""
    query = SQLQuery(Document)
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(expression.resolve_expression(query))
    return sql, list(params)


def _tsquery_literal(text):
    """A tsquery kept as text (see PostgreSQLBackend._literals), as a value:
    not SearchQuery, which would parse and stem its words a second time."""
    return Cast(Value(text), SearchQueryField())


def _column(name, output_field):
    # The tsvector columns are generated by migrations on PostgreSQL alone
    # (SQLite has FTS5 tables instead), so the model, shared by both engines,
    # has no field to name them by.
    return RawSQL(name, (), output_field=output_field)


class PostgreSQLBackend(TieredBackend):
    """A weighted tsvector column (title A, body B) with a GIN index, and a
    title-only tsvector with its own GIN index for the title matches.

    The reader's query becomes a tsquery literal first, so the planner sees a
    constant and can weigh the GIN indexes against reading a kind's id range.
    """

    ID = "d.id"
    WEIGHT = "coalesce(d.weight, 1)"
    ALL_WORDS_WEIGHT = _all_words_weight("d.kind", WEIGHT)
    PRIOR = _prior("d.kind")

    # ts_headline's options for a long text: up to two passages around the
    # matches (a short text is highlighted whole).
    CUT = {
        "max_words": SNIPPET_WORDS,
        "min_words": 12,
        "short_word": 2,
        "max_fragments": 2,
        "fragment_delimiter": " … ",
    }
    # ts_rank's weights for D, C, B and A: the title (A) ten times the body (B).
    WEIGHTS = [0.1, 0.1, 0.1, 1.0]

    @staticmethod
    def _tsquery(groups, any_group):
        """(SQL, params) of one tsquery: each group's phrases joined by ||,
        the groups by && (or ||), built with django.contrib.postgres's
        SearchQuery (websearch_to_tsquery('english', ...) per phrase)."""

        def phrase(words):
            # Words are letters and digits only: quoted, they are one phrase.
            text = '"' + " ".join(words) + '"'
            return SearchQuery(text, search_type="websearch", config="english")

        joined = [
            reduce(operator.or_, map(phrase, PostgreSQLBackend._searched(group)))
            for group in groups
        ]
        return _sql(reduce(operator.or_ if any_group else operator.and_, joined))

    @staticmethod
    def _searched(group):
        """A group's alternatives as searched here. English full text drops a
        phrase's stop words: "stays with him" would be "stay", and find every
        item using it (SQLite keeps the phrase). Where the vocabulary gives
        other words, those alone."""
        return [a for a in group if not weak_phrase(a)] or group

    def __init__(self):
        self._known_literals = {}
        # {a one-term query's tsquery text: its alternatives' texts}, for
        # _rank_sql: kept with the literals.
        self._alternatives = {}

    def _literals(self, cursor, query, any_group):
        """The query and its phrase as tsquery text (the phrase may be None).

        Kept for the next call: a page's counts and its hits share them.
        """
        key = (tuple(query.groups), query.phrase, any_group)
        if key not in self._known_literals:
            tsquery, params = self._tsquery(query.groups, any_group)
            phrase = "NULL"
            # A typed phrase of stop words and one word ("her choice") is that
            # word alone here (English full text drops the stop words), and
            # would put every item using the word first; SQLite keeps the
            # phrase ("her choice" is in no item there).
            if query.phrase and not weak_phrase(query.phrase):
                phrase, phrase_params = self._tsquery([(query.phrase,)], False)
                params += phrase_params
            alternatives = self._phrase_alternatives(query)
            parts = ""
            for alternative in alternatives:
                sql, alternative_params = self._tsquery([(alternative,)], False)
                parts += f", ({sql})::text"
                params += alternative_params
            cursor.execute(f"SELECT ({tsquery})::text, ({phrase})::text{parts}", params)
            match, phrase, *texts = cursor.fetchone()
            if texts:
                self._alternatives[match] = list(dict.fromkeys(texts))
            self._known_literals[key] = (match, phrase)
        return self._known_literals[key]

    @classmethod
    def _phrase_alternatives(cls, query):
        """A one-term query's alternatives, when one is a phrase ("foster
        care" widened to "looked after children", "care system"...): ranked
        each on its own (_rank_sql). Otherwise none."""
        if len(query.groups) != 1:
            return []
        searched = cls._searched(query.groups[0])
        return searched if any(len(a) > 1 for a in searched) else []

    def _rank_sql(self, vector, match, titles):
        """(SQL, params) of an item's rank: ts_rank, normalisation 1.

        ts_rank scores each word of the query wherever it is found, even a
        word of a phrase the item does not have: "foster care" widened to
        "looked after children" scored the figures titled "Where their
        children were" on "children". For one term with phrase alternatives,
        each alternative scores only in the items it matches, and a phrase as
        a phrase, summed: as SQLite's bm25 scores each phrase of the query.
        """
        weights = None if titles else self.WEIGHTS

        def ranked(text):
            return _sql(
                SearchRank(
                    _column(vector, SearchVectorField()),
                    _tsquery_literal(text),
                    weights=weights,
                    normalization=1,
                )
            )

        alternatives = self._alternatives.get(match)
        if not alternatives:
            return ranked(match)
        terms, params = [], []
        for text in alternatives:
            rank, rank_params = ranked(text)
            terms.append(f"(CASE WHEN {vector} @@ %s::tsquery THEN {rank} ELSE 0 END)")
            params += [text, *rank_params]
        return "(" + " + ".join(terms) + ")", params

    @staticmethod
    def _has(literal):
        return "d.vector @@ %s::tsquery"

    @staticmethod
    def _phrase_literal(phrase):
        return phrase  # the tsquery text _literals gave

    def _group_literals(self, cursor, query):
        # Kept, as _literals are: the weights and a service's topics share them.
        key = ("groups", tuple(query.groups))
        if key not in self._known_literals:
            parts, params = [], []
            for group in query.groups:
                sql, group_params = self._tsquery([group], False)
                parts.append(f"({sql})::text")
                params += group_params
            cursor.execute(f"SELECT {', '.join(parts)}", params)
            self._known_literals[key] = list(cursor.fetchone())
        return self._known_literals[key]

    @staticmethod
    def _matches(match, kind, narrow, select="1"):
        filters, params = _filters(kind, narrow)
        return (
            f"SELECT {select} FROM search_document d"
            f" WHERE d.vector @@ %s::tsquery{filters}",
            [match, *params],
        )

    def _ranked(
        self, cursor, match, phrase, kind, narrow, limit, offset, titles, order
    ):
        """Ids best first (the exact phrase, then ts_rank): among items whose
        title matches, or among the others (or among all, when ``titles`` is
        None). Normalisation 1 divides by 1 + log(length), as bm25 favours
        short texts, so "Tara" the resource outranks a long text naming it
        (2, by the length, lifts short figures over the guidance: "sells
        pics" loses its practice point from the top three).
        ``order``: keys to put first."""
        vector = "d.title_vector" if titles else "d.vector"
        if titles is None:
            where, where_params = "d.vector @@ %s::tsquery", [match]
        elif titles:
            where, where_params = "d.title_vector @@ %s::tsquery", [match]
        else:
            where = "d.vector @@ %s::tsquery AND NOT d.title_vector @@ %s::tsquery"
            where_params = [match, match]
        first, first_params = order
        rank, rank_params = self._rank_sql(vector, match, titles)
        filters, filter_params = _filters(kind, narrow)
        kind_order, kind_params = _kind_order("d.kind")
        # The rank is SearchRank's; what is ranked before it (the phrase, the
        # caller's keys) and the weights after it are plain SQL, shared with
        # the counts and with SQLite's ranking.
        cursor.execute(
            f"SELECT d.id FROM search_document d WHERE {where}{filters}"
            f" ORDER BY {first}coalesce({vector} @@ %s::tsquery, false) DESC,"
            f" {rank}"
            f" * (CASE WHEN {OF_KIND.format('d.id')} THEN %s ELSE 1 END)"
            f" * {self._weight(titles)} DESC,"
            f" {kind_order}, d.id LIMIT %s OFFSET %s",
            [
                *where_params,
                *filter_params,
                *first_params,
                phrase,
                *rank_params,
                *GLOSSARY,
                *kind_params,
                limit,
                offset,
            ],
        )
        return [row[0] for row in cursor.fetchall()]

    def _rows(self, cursor, match, ids):
        query = _tsquery_literal(match)

        def headline(field, **options):
            return SearchHeadline(
                field,
                query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                **options,
            )

        found = (
            Document.objects.filter(id__in=ids)
            .alias(length=Length("body"))
            .annotate(
                marked_title=headline("title", highlight_all=True),
                # A short text (a figure with its count, denominator,
                # percentage and note) whole; a long one cut around the matches.
                snippet=Case(
                    When(
                        length__lte=WHOLE_TEXT,
                        then=headline("body", highlight_all=True),
                    ),
                    default=headline("body", **self.CUT),
                ),
            )
            .order_by()
            .values_list(
                "id", "kind", "url", "marked_title", "snippet", "body", "briefing"
            )
        )
        return {
            id: (
                kind,
                url,
                title,
                whole_numbers(self._cut_marks(snippet, body), body),
                briefing,
            )
            for id, kind, url, title, snippet, body, briefing in found
        }

    @staticmethod
    def _cut_marks(snippet, body):
        """An ellipsis where the snippet cuts the text, as FTS5's snippet() has."""

        def words(text):  # ts_headline may drop the punctuation at either end
            return " ".join(WORDS.findall(text))

        plain = _plain(snippet)
        parts = [words(part) for part in plain.split(" … ")]
        first, last = parts[0], parts[-1]
        body = words(body)
        if not first:
            return snippet
        if not body.startswith(first):
            snippet = "…" + snippet
        if not body.endswith(last):
            snippet += "…"
        return snippet

    @staticmethod
    def optimise():
        """After a rebuild: merge the GIN indexes' pending lists, which every
        search would otherwise scan from end to end (60 ms at 10,000 items)
        until autovacuum came by, and fresh statistics, so the planner can tell
        a rare word (use the GIN index) from a common one (read a kind's ids)."""
        with connection.cursor() as cursor:
            for index in ("search_document_vector", "search_document_title_vector"):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute("ANALYZE search_document")

    @staticmethod
    def _refresh_vocabulary_if_stale(cursor):
        """Writes to the index only mark the vocabulary stale (migration 0007).

        The row lock makes a write that lands during the refresh wait, then
        mark it stale again, so no word is ever left out for good.
        """
        cursor.execute(
            "SELECT stale FROM search_vocabulary_state WHERE id = 1 FOR UPDATE"
        )
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("REFRESH MATERIALIZED VIEW search_vocabulary")
            cursor.execute("UPDATE search_vocabulary_state SET stale = false")

    def known(self, words):
        """The words the indexed content uses."""
        with connection.cursor() as cursor, transaction.atomic():
            self._refresh_vocabulary_if_stale(cursor)
            cursor.execute(
                "SELECT word FROM search_vocabulary WHERE word = ANY(%s)", [list(words)]
            )
            return {row[0] for row in cursor.fetchall()}

    def spellings(self, words):
        """{word: known word it most likely meant}, for words the content never
        uses: candidates by trigram similarity (pg_trgm), chosen as on SQLite."""
        with connection.cursor() as cursor:
            # Words the stemmed index matches are not misspelt ("makes": "make").
            cursor.execute(
                "SELECT q.term FROM unnest(%s::text[]) AS q(term) WHERE NOT EXISTS"
                " (SELECT 1 FROM search_document d"
                " WHERE d.vector @@ plainto_tsquery('english', q.term))",
                [list(words)],
            )
            words = [row[0] for row in cursor.fetchall()]
            if not words:
                return {}
            with transaction.atomic():
                self._refresh_vocabulary_if_stale(cursor)
                # Below pg_trgm's 0.3 default, so one slip in a short word
                # ("drog") still finds its word; the trigram index serves it.
                cursor.execute("SET LOCAL pg_trgm.similarity_threshold = 0.2")
                cursor.execute(
                    "SELECT q.term, v.word, v.ndoc FROM unnest(%s::text[]) AS q(term)"
                    " JOIN search_vocabulary AS v ON v.word %% q.term",
                    [list(words)],
                )
                candidates = {}
                for term, word, uses in cursor.fetchall():
                    candidates.setdefault(term, []).append((word, uses))
        corrections = {}
        for word in words:
            found = candidates.get(word, [])
            if any(known == word for known, _ in found):
                continue  # the content uses it: not a misspelling
            best = likely_meant(word, found)
            if best:
                corrections[word] = best
        return corrections


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgreSQLBackend}


def get_backend():
    return BACKENDS[connection.vendor]()


class Results:
    """What a search found, read as a Paginator reads a list: count(), then a slice.

    Counting runs first and decides what is shown: items with every word, else
    those a spelling correction finds, else items with some of the words.
    Counts stop past COUNT_LIMIT, and so do the pages a reader can turn to.
    """

    def __init__(self, query, *, synonyms=(), kind="", audience="", briefing=""):
        self.query, self.synonyms = query, synonyms
        self.kind, self.narrow = kind, Narrowing(audience, briefing)
        self.backend = get_backend()
        self.corrected_query = None  # the spelling-corrected Query, if offered
        self.showing_corrected = False  # hits are for the corrected query
        self.any_words = False  # few or no items had every word: some words too
        self.all_words_total = 0  # when any_words: the items with every word first
        self._kind_counts = None

    @property
    def kind_counts(self):
        """{kind: matches}, each count stopping a little past COUNT_LIMIT."""
        if self._kind_counts is None:
            self._kind_counts = self._count() if self.query else {}
        return self._kind_counts

    @property
    def total(self):
        return self._total(self.kind_counts)

    @property
    def more(self):
        """True when there are more results than COUNT_LIMIT."""
        return self.total > COUNT_LIMIT

    @property
    def path(self):
        """How the page found its items, for the quality benchmark."""
        if self.showing_corrected:
            return "spelling"
        return "fallback" if self.any_words else "all-words"

    @property
    def shown_query(self):
        return self.corrected_query if self.showing_corrected else self.query

    def count(self):
        """The results a reader can page through: the best COUNT_LIMIT at most."""
        return min(self.total, COUNT_LIMIT)

    def __getitem__(self, items):
        start, stop, _ = items.indices(self.count())
        if stop <= start:
            return []
        if not self.all_words_total:
            return self._hits(self.any_words, start, stop - start)
        # Blended: the few items with every word, then those with some.
        first = self._hits(False, 0, self.all_words_total, head=True)
        shown, found = first[start:stop], {hit.url for hit in first}
        wanted = stop - start - len(shown)
        if wanted > 0:
            offset = max(0, start - len(first))
            more = self._hits(True, offset, wanted + len(first))
            shown += [hit for hit in more if hit.url not in found][:wanted]
        return shown

    def matching(self, urls):
        """Which of these item addresses are among the results (best bets
        shown apart are counted once)."""
        if not urls or not self.total:
            return set()
        return self._guarded(
            self.backend.matching,
            set(),
            self.shown_query,
            urls=list(urls),
            narrow=self.narrow,
            any_group=self.any_words,
        )

    def _hits(self, any_group, offset, limit, head=False):
        return self._guarded(
            self.backend.hits,
            [],
            self.shown_query,
            kind=self.kind,
            narrow=self.narrow,
            any_group=any_group,
            offset=offset,
            limit=limit,
            head=head,
        )

    def _total(self, counts):
        return counts.get(self.kind, 0) if self.kind else sum(counts.values())

    def _counts(self, query, any_group=False):
        return self._guarded(
            self.backend.counts, {}, query, narrow=self.narrow, any_group=any_group
        )

    def _count(self):
        """Every word; else a spelling correction (or run-together words
        split); else any of the words. Fewer than FEW items with every word
        are followed by those with some of them."""
        query = self.query
        counts = self._counts(query)
        total = self._total(counts)
        if total >= FEW or (total and len(query.groups) < 2):
            return counts
        if total:
            blended = self._counts(query, any_group=True)
            if self._total(blended) > total:
                # A question for a number or a definition ranks its kind first
                # over the whole blend, not after the few items with every word.
                first = not (query.numeric or query.defining or query.services)
                self.any_words, self.all_words_total = True, total if first else 0
                return blended
            return counts
        backend = self.backend
        corrections = backend.spellings(query.checkable) if query.checkable else {}
        corrections |= split_words(
            backend, [w for w in query.checkable if w not in corrections]
        )
        corrected = query.replaced(corrections, self.synonyms) if corrections else None
        if corrected:
            corrected_counts = self._counts(corrected)
            if self._total(corrected_counts):
                self.corrected_query, self.showing_corrected = corrected, True
                return corrected_counts
        if len(query.groups) > 1:
            # The reader's own words: a correction is only offered, never
            # imposed here, and only if it would find something.
            counts = self._counts(query, any_group=True)
            self.any_words = bool(self._total(counts))
            offered = corrected and self._offered(query, corrections)
            if offered and self._total(self._counts(offered, any_group=True)):
                self.corrected_query = offered
        return counts

    def _offered(self, query, corrections):
        """The correction offered as "Did you mean": its words the index
        knows, without the typed words it neither knows nor could correct
        ("riskreduction zzqxv": "risk reduction")."""
        typed = [word for word in query.checkable if word not in corrections]
        unknown = set(typed) - self.backend.known(typed)
        return (
            query.replaced(corrections | dict.fromkeys(unknown, ""), self.synonyms)
            or None
        )

    def _guarded(self, method, failed, query, **kwargs):
        # Inside a transaction, a savepoint, so a failure cannot poison it; in
        # autocommit (a reader's request) a failed statement harms nothing, and
        # BEGIN and COMMIT would be two more round trips.
        guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with guard:
                return method(query, **kwargs)
        except DatabaseError as error:
            # Input cannot reach the engine as syntax; this guards the unforeseen.
            # Never the reader's words, not even inside the database's message:
            # only the kind of error and where in the code it happened.
            logger.error(
                "Search failed: %s at\n%s",
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )
            return failed


def split_words(backend, words):
    """{word: its words apart} for words typed run together ("riskreduction":
    "risk reduction"), split by wordninja's English word frequencies, and only
    when the index uses every part (and not the word itself)."""
    if not words or wordninja is None:
        return {}
    splits = {}
    for word in set(words) - backend.known(words):
        parts = wordninja.split(word)
        letters = [part for part in parts if not part.isdigit()]
        if len(parts) > 1 and all(len(part) > 1 for part in letters):
            if set(letters) <= backend.known(letters):
                splits[word] = " ".join(parts)
    return splits


def items(urls):
    """Hits for these item addresses, in this order: best bets. Items no longer
    published (so no longer indexed) are left out."""
    found = {doc.url: doc for doc in Document.objects.filter(url__in=urls)}
    hits = []
    for url in urls:
        if url in found:
            doc = found[url]
            words = doc.body.split()
            text = " ".join(words[:SNIPPET_WORDS])
            if len(words) > SNIPPET_WORDS:
                text += "…"
            hits.append(
                Hit(doc.kind, url, marked(doc.title), marked(text), doc.briefing)
            )
    return hits


def search(query, *, synonyms=(), kind="", audience="", briefing=""):
    """Best first: every word, else a spelling correction, else any of the words.

    Nothing runs until the results are counted or sliced (by a Paginator).
    """
    return Results(
        query, synonyms=synonyms, kind=kind, audience=audience, briefing=briefing
    )
