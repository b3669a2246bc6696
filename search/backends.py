"""The search engine, behind one small interface so views never see SQL.

SQLite uses FTS5 (porter stemming, bm25 with titles weighted above bodies);
PostgreSQL uses its English full-text search (weighted tsvector, GIN index,
websearch_to_tsquery, ts_rank, ts_headline). A larger deployment could add an
OpenSearch backend here without touching views: ``search()`` is the interface.
"""

import difflib
import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Kind

logger = logging.getLogger(__name__)

# Engines wrap matched words in these private-use characters; the indexer strips
# them from content, so after escaping they can only ever become our <mark> tags.
START, STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 32


def marked(text):
    """Escape everything, then turn the engine's match markers into <mark>."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our tags added


def _filters(kind, audience):
    """SQL for the kind and audience filters, shared by both engines."""
    sql, params = "", []
    if kind:
        sql += " AND d.kind = %s"
        params.append(kind)
    if audience:
        sql += " AND d.audiences LIKE %s"
        params.append(f"% {audience} %")
    return sql, params


def _page(rows, counts, kind):
    """Rows of (kind, url, marked title, marked snippet) and {kind: count}."""
    return Page(
        hits=[Hit(k, url, marked(title), marked(text)) for k, url, title, text in rows],
        total=counts.get(kind, 0) if kind else sum(counts.values()),
        kind_counts=counts,
    )


@dataclass
class Hit:
    kind: str
    url: str
    title: str
    snippet: str

    @property
    def kind_label(self):
        return Kind(self.kind).label if self.kind in Kind.values else self.kind


@dataclass
class Page:
    hits: list = field(default_factory=list)
    total: int = 0
    kind_counts: dict = field(default_factory=dict)


class SQLiteBackend:
    """FTS5 tables search_fts (stemmed) and search_words (for spelling)."""

    FILTERS = "search_document d INDEXED BY search_filters"

    @staticmethod
    def _phrase(words):
        # Words are letters and digits only (search.query), so quoting is safe.
        return '"' + " ".join(words) + '"'

    def _match(self, groups, any_group):
        ors = ["(" + " OR ".join(map(self._phrase, g)) + ")" for g in groups]
        return (" OR " if any_group else " AND ").join(ors)

    def search(self, query, *, kind, audience, any_group, offset, limit):
        match = self._match(query.groups, any_group)
        filters, filter_params = _filters(None, audience)
        kind_filter, kind_params = _filters(kind, audience)
        # Only join the documents when a filter needs them: ranking then reads
        # nothing but the full-text index.
        ranked = "search_fts f"
        if kind_filter:
            ranked += f" JOIN {self.FILTERS} ON d.id = f.rowid"
        order, order_params = "", []
        if query.phrase:
            # Uncorrelated, so SQLite finds the phrase's items once, not per row.
            order = (
                "f.rowid IN (SELECT rowid FROM search_fts"
                " WHERE search_fts MATCH %s) DESC, "
            )
            order_params = [self._phrase(query.phrase)]
        with connection.cursor() as cursor:
            # INDEXED BY: SQLite would otherwise read every matching row, long
            # body and all, just to check its kind and audiences.
            cursor.execute(
                "SELECT d.kind, count(*) FROM search_fts f"
                f" JOIN {self.FILTERS} ON d.id = f.rowid"
                f" WHERE search_fts MATCH %s{filters} GROUP BY d.kind",
                [match, *filter_params],
            )
            counts = dict(cursor.fetchall())
            # The page's ids alone: SQLite keeps only the best LIMIT + OFFSET rows
            # as it ranks, and highlights nothing it will not show.
            cursor.execute(
                f"SELECT f.rowid FROM {ranked} WHERE search_fts MATCH %s{kind_filter}"
                f" ORDER BY {order}bm25(search_fts, 10.0, 1.0), f.rowid"
                " LIMIT %s OFFSET %s",
                [match, *kind_params, *order_params, limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
            rows = {}
            if ids:
                cursor.execute(
                    "SELECT f.rowid, d.kind, d.url,"
                    " highlight(search_fts, 0, %s, %s),"
                    " snippet(search_fts, 1, %s, %s, '…', %s)"
                    " FROM search_fts f JOIN search_document d ON d.id = f.rowid"
                    " WHERE search_fts MATCH %s"
                    f" AND f.rowid IN ({', '.join(['%s'] * len(ids))})",
                    [START, STOP, START, STOP, SNIPPET_WORDS, match, *ids],
                )
                rows = {row[0]: row[1:] for row in cursor.fetchall()}
        return _page([rows[i] for i in ids if i in rows], counts, kind)

    @staticmethod
    def optimise():
        """Merge the index into one b-tree per table: after a rebuild it is many
        small segments, which every lookup (snippets above all) must visit."""
        with connection.cursor() as cursor:
            for table in ("search_fts", "search_words"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    def spellings(self, words):
        """{word: known word it is most like}, for words the content never uses."""
        vocabulary = self._vocabulary()
        corrections = {}
        for word in words:
            if word not in vocabulary.documents:
                best = vocabulary.closest(word)
                if best:
                    corrections[word] = best
        return corrections

    @staticmethod
    def _vocabulary():
        # Reading fts5vocab counts every doclist, so the words are kept per
        # process until the index changes (any refresh adds rows or removes some).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), max(id), total(object_id) FROM search_document"
            )
            key = (connection.alias, *cursor.fetchone())
            if Vocabulary.cached is None or Vocabulary.cached.key != key:
                cursor.execute("SELECT term, doc FROM search_vocab")
                Vocabulary.cached = Vocabulary(key, dict(cursor.fetchall()))
        return Vocabulary.cached


class Vocabulary:
    """Words of the indexed content, found again by shared trigrams like pg_trgm."""

    cached = None

    def __init__(self, key, documents):
        self.key, self.documents, self.trigrams = key, documents, {}
        for term in documents:
            for trigram in self._trigrams(term):
                self.trigrams.setdefault(trigram, []).append(term)

    @staticmethod
    def _trigrams(word):
        padded = f"  {word} "
        return {padded[i : i + 3] for i in range(len(padded) - 2)}

    def closest(self, word, cutoff=0.8):
        shared = {}
        for trigram in self._trigrams(word):
            for term in self.trigrams.get(trigram, ()):
                shared[term] = shared.get(term, 0) + 1
        likely = sorted(shared, key=shared.get, reverse=True)[:50]
        scored = [
            (
                difflib.SequenceMatcher(None, word, term).ratio(),
                self.documents[term],
                term,
            )
            for term in likely
        ]
        scored = [entry for entry in scored if entry[0] >= cutoff]
        return max(scored)[2] if scored else None


def forget_vocabulary():
    """Called by the indexer: the next spelling check reads the words afresh."""
    Vocabulary.cached = None


class PostgreSQLBackend:
    """A weighted tsvector column (title A, body B) with a GIN index."""

    HEADLINE = (
        f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=12, "
        'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
    )
    TITLE_HEADLINE = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"

    @staticmethod
    def _tsquery(groups, any_group):
        sql, params = [], []
        for group in groups:
            alternatives = ["websearch_to_tsquery('english', %s)"] * len(group)
            sql.append("(" + " || ".join(alternatives) + ")")
            # Words are letters and digits only: quoted, they are one phrase.
            params += ['"' + " ".join(words) + '"' for words in group]
        return (" || " if any_group else " && ").join(sql), params

    def search(self, query, *, kind, audience, any_group, offset, limit):
        tsquery, tsquery_params = self._tsquery(query.groups, any_group)
        phrase_sql, phrase_params = "NULL::tsquery", []
        if query.phrase:
            phrase_sql, phrase_params = self._tsquery([(query.phrase,)], False)
        q = f"WITH q AS (SELECT {tsquery} AS query, {phrase_sql} AS phrase) "
        q_params = [*tsquery_params, *phrase_params]
        filters, filter_params = _filters(None, audience)
        kind_filter, kind_params = _filters(kind, audience)
        with connection.cursor() as cursor:
            cursor.execute(
                q + "SELECT d.kind, count(*) FROM search_document d, q"
                f" WHERE d.vector @@ q.query{filters} GROUP BY d.kind",
                [*q_params, *filter_params],
            )
            counts = dict(cursor.fetchall())
            # Normalisation 1 divides by 1 + log(length), as bm25 favours short
            # documents, so "Tara" the resource outranks a long text naming it.
            cursor.execute(
                q + ", page AS ("
                " SELECT d.id, d.kind, d.url, d.title, d.body,"
                " coalesce(d.vector @@ q.phrase, false) AS phrase_hit,"
                " ts_rank('{0.1, 0.1, 0.1, 1.0}', d.vector, q.query, 1) AS score"
                " FROM search_document d, q"
                f" WHERE d.vector @@ q.query{kind_filter}"
                " ORDER BY phrase_hit DESC, score DESC, d.id LIMIT %s OFFSET %s)"
                " SELECT page.kind, page.url,"
                " ts_headline('english', page.title, q.query, %s),"
                " ts_headline('english', page.body, q.query, %s)"
                " FROM page, q ORDER BY page.phrase_hit DESC, page.score DESC, page.id",
                [
                    *q_params,
                    *kind_params,
                    limit,
                    offset,
                    self.TITLE_HEADLINE,
                    self.HEADLINE,
                ],
            )
            rows = cursor.fetchall()
        return _page(rows, counts, kind)

    @staticmethod
    def optimise():
        """Nothing to do: GIN indexes merge their pending list themselves."""

    def spellings(self, words):
        """{word: known word most like it}, by trigram similarity (pg_trgm)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT q.term, v.word FROM unnest(%s::text[]) AS q(term)"
                " JOIN ts_stat('SELECT words FROM search_document') AS v"
                " ON v.word %% q.term"
                " ORDER BY q.term, v.word = q.term DESC,"
                " similarity(v.word, q.term) DESC, v.ndoc DESC, v.word",
                [list(words)],
            )
            best = {}
            for term, word in cursor.fetchall():
                best.setdefault(term, word)
        return {word: best[word] for word in words if best.get(word, word) != word}


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgreSQLBackend}


def get_backend():
    return BACKENDS[connection.vendor]()


@dataclass
class Results:
    query: object
    page: Page
    number: int
    per_page: int
    corrected_query: object = None  # the spelling-corrected Query, if offered
    showing_corrected: bool = False  # hits are for the corrected query
    any_words: bool = False  # no item had every word: hits have some of them

    @property
    def pages(self):
        return max(1, -(-self.page.total // self.per_page))

    @property
    def first(self):
        return (self.number - 1) * self.per_page + 1


def search(query, *, synonyms=(), kind="", audience="", number=1, per_page=10):
    """Best first: every word, else a spelling correction, else any of the words."""
    backend = get_backend()
    results = Results(query, Page(), number, per_page)
    if not query:
        return results
    offset = (number - 1) * per_page

    def run(q, any_group=False):
        try:
            # A savepoint, so a failure cannot poison the request's transaction.
            with transaction.atomic():
                return backend.search(
                    q,
                    kind=kind,
                    audience=audience,
                    any_group=any_group,
                    offset=offset,
                    limit=per_page,
                )
        except DatabaseError:
            # Input cannot reach the engine as syntax; this guards the unforeseen.
            logger.exception("Search failed for %r", q.text)
            return Page()

    results.page = run(query)
    if results.page.total:
        return results
    corrections = backend.spellings(query.checkable) if query.checkable else {}
    if corrections:
        results.corrected_query = query.replaced(corrections, synonyms)
        page = run(results.corrected_query)
        if page.total:
            results.page, results.showing_corrected = page, True
            return results
    if len(query.groups) > 1:
        # The reader's own words: a correction is only offered, never imposed here.
        results.page = run(query, any_group=True)
        results.any_words = bool(results.page.total)
    return results
