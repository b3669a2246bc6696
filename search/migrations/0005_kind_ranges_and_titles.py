"""Faster search on large indexes: ids by kind, a titles index, a change counter.

- Document ids are re-numbered into one range per kind (search.models.document_id),
  so SQLite counts and filters kinds by rowid range instead of reading rows.
- SQLite gains search_titles, an FTS5 index of titles alone: items whose title
  matches rank first, and ranking them reads only short title doclists.
  PostgreSQL gains a title tsvector (with a GIN index) for the same order.
- PostgreSQL's spelling vocabulary becomes a materialized view with a trigram
  index, refreshed by a trigger.
- SQLite gains search_changes, a counter the triggers bump on every write, so
  each process knows cheaply when its cached spelling vocabulary is stale.

The triggers are created again here: they now keep three indexes in step.
"""

from importlib import import_module

from django.db import migrations

# Frozen copies of search.models.KIND_NUMBERS and MODEL_NUMBERS as they were here.
KIND_NUMBERS = {
    "practice-point": 1,
    "prompt": 2,
    "reflective-question": 3,
    "section": 4,
    "briefing": 5,
    "figure": 6,
    "snapshot": 7,
    "organisation": 8,
    "quote": 9,
    "resource": 10,
    "research": 11,
    "glossary-term": 12,
}
MODEL_NUMBERS = {
    "guidance.briefing": 1,
    "guidance.section": 2,
    "guidance.quote": 3,
    "guidance.researchreference": 4,
    "guidance.resource": 5,
    "guidance.glossaryterm": 6,
    "practice_points.practicepoint": 7,
    "practice_points.prompt": 8,
    "practice_points.reflectivequestion": 9,
    "snapshot.snapshot": 10,
    "snapshot.figure": 11,
    "snapshot.studyfigure": 12,
    "snapshot.organisation": 13,
}


def _case(column, numbers):
    whens = " ".join(f"WHEN '{key}' THEN {number}" for key, number in numbers.items())
    return f"CASE {column} {whens} END"


# New ids are all at least 2**40, so no row can take an id another still has.
RENUMBER = (
    "UPDATE search_document SET id ="
    f" ({_case('kind', KIND_NUMBERS)}) * 1099511627776"
    f" + ({_case('model', MODEL_NUMBERS)}) * 4294967296 + object_id"
)
# Rows the new scheme cannot number (none in practice) are dropped, not guessed:
# `rebuild_search_index` writes them again.
UNNUMBERABLE = (
    "DELETE FROM search_document WHERE kind NOT IN ({}) OR model NOT IN ({})"
    " OR object_id >= 4294967296".format(
        ", ".join(f"'{k}'" for k in KIND_NUMBERS),
        ", ".join(f"'{m}'" for m in MODEL_NUMBERS),
    )
)
# Back to ids below 2**40 that stay unique: the model's range and the item's pk.
RENUMBER_BACK = "UPDATE search_document SET id = {}"

TRIGGERS = [
    """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
  INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
  INSERT INTO search_words(rowid, title, body) VALUES (new.id, new.title, new.body);
  INSERT INTO search_titles(rowid, title) VALUES (new.id, new.title);
  UPDATE search_changes SET changes = changes + 1;
END""",
    """CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_words(search_words, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_titles(search_titles, rowid, title)
    VALUES ('delete', old.id, old.title);
  UPDATE search_changes SET changes = changes + 1;
END""",
    """CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
  INSERT INTO search_fts(search_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_words(search_words, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_titles(search_titles, rowid, title)
    VALUES ('delete', old.id, old.title);
  INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
  INSERT INTO search_words(rowid, title, body) VALUES (new.id, new.title, new.body);
  INSERT INTO search_titles(rowid, title) VALUES (new.id, new.title);
  UPDATE search_changes SET changes = changes + 1;
END""",
]

SQLITE_FORWARDS = [
    "DROP TRIGGER search_document_au",
    "DROP TRIGGER search_document_ad",
    "DROP TRIGGER search_document_ai",
    UNNUMBERABLE,
    RENUMBER,
    "CREATE VIRTUAL TABLE search_titles USING fts5(title,"
    " content='search_document', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TABLE search_changes (changes INTEGER NOT NULL)",
    "INSERT INTO search_changes (changes) VALUES (0)",
    *TRIGGERS,
    # The full-text indexes still hold the old ids: build them afresh.
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_words(search_words) VALUES ('rebuild')",
    "INSERT INTO search_titles(search_titles) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER search_document_au",
    "DROP TRIGGER search_document_ad",
    "DROP TRIGGER search_document_ai",
    "DROP TABLE search_titles",
    "DROP TABLE search_changes",
    RENUMBER_BACK.format("id % 1099511627776"),
    "DROP TABLE search_vocab",
    "DROP TABLE search_words",
    "DROP TABLE search_fts",
    # 0002's tables and triggers, as they were.
    *import_module("search.migrations.0002_full_text_index").SQLITE_FORWARDS,
]
POSTGRESQL_FORWARDS = [
    UNNUMBERABLE,
    RENUMBER,
    "ALTER TABLE search_document ADD COLUMN title_vector tsvector GENERATED ALWAYS AS"
    " (to_tsvector('english'::regconfig, title)) STORED",
    "CREATE INDEX search_document_title_vector ON search_document"
    " USING gin (title_vector)",
    # The spelling vocabulary, read by trigram similarity: ts_stat over every
    # item took 200 ms at 10,000 items, so it is kept as a materialized view that
    # the database refreshes after each statement that writes the index.
    "CREATE MATERIALIZED VIEW search_vocabulary AS"
    " SELECT word, ndoc FROM ts_stat('SELECT words FROM search_document')",
    "CREATE INDEX search_vocabulary_word ON search_vocabulary"
    " USING gin (word gin_trgm_ops)",
    """CREATE FUNCTION search_vocabulary_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      REFRESH MATERIALIZED VIEW search_vocabulary;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER search_document_vocabulary"
    " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON search_document"
    " FOR EACH STATEMENT EXECUTE FUNCTION search_vocabulary_refresh()",
]
POSTGRESQL_BACKWARDS = [
    "DROP TRIGGER search_document_vocabulary ON search_document",
    "DROP FUNCTION search_vocabulary_refresh()",
    "DROP MATERIALIZED VIEW search_vocabulary",
    "ALTER TABLE search_document DROP COLUMN title_vector",
    RENUMBER_BACK.format("mod(id, 1099511627776)"),
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_glossary_term_kind")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARDS, "postgresql": POSTGRESQL_FORWARDS}),
            _run({"sqlite": SQLITE_BACKWARDS, "postgresql": POSTGRESQL_BACKWARDS}),
        ),
    ]
