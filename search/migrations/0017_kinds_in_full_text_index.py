"""Each item's kind, by name, as one word in search_fts's own ``kind`` column.

Since 0015 a kind is a name in search_document, and counting a broad search's
kinds looked up every match's row there (8 ms for 10,000 matches, against
0.3 ms when 0005's ids carried the kind). Now the full-text index holds the
kind, so a kind is counted and filtered by matching its word, and counting
stops past the limit, never leaving the index.

The word is the name between private-use marks, hyphens marked too
("\\ue002practice\\ue002point\\ue002"): one token the porter stemmer leaves
alone and no reader can type, matched in the kind column only. search_fts reads
it through the search_fts_content view, so snippets and 'rebuild' work as
before. The index is built afresh.

As 0002 notes, Django must never copy search_document on SQLite (some ALTERs
do): the triggers would be lost. The view now makes such a migration fail
("error in view search_fts_content") rather than lose them silently: drop the
triggers, search_fts and the view first and create them again after, as here,
or change the table with plain SQL (ALTER TABLE ... ADD COLUMN). PostgreSQL
reads a match's kind from the row it already checks: nothing changes there.
"""

from importlib import import_module

from django.db import migrations

# Frozen copy of search.backends.kind_word, in SQL.
MARK = "char(57346)"
KIND_WORD = f"{MARK} || replace({{}}, '-', {MARK}) || {MARK}"

FTS = [
    "CREATE VIEW search_fts_content AS SELECT id, title, body,"
    f" {KIND_WORD.format('kind')} AS kind FROM search_document",
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, kind,"
    " content='search_fts_content', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
]


def _fts(row):
    return (
        f"INSERT INTO search_fts(rowid, title, body, kind) VALUES ({row}.id,"
        f" {row}.title, {row}.body, {KIND_WORD.format(row + '.kind')});"
    )


def _fts_delete(row):
    return (
        "INSERT INTO search_fts(search_fts, rowid, title, body, kind) VALUES"
        f" ('delete', {row}.id, {row}.title, {row}.body,"
        f" {KIND_WORD.format(row + '.kind')});"
    )


WORDS = (
    "INSERT INTO search_words(rowid, title, body) VALUES ({0}.id, {0}.title, {0}.body);"
)
WORDS_DELETE = (
    "INSERT INTO search_words(search_words, rowid, title, body)"
    " VALUES ('delete', {0}.id, {0}.title, {0}.body);"
)
TITLES = "INSERT INTO search_titles(rowid, title) VALUES ({0}.id, {0}.title);"
TITLES_DELETE = (
    "INSERT INTO search_titles(search_titles, rowid, title)"
    " VALUES ('delete', {0}.id, {0}.title);"
)
CHANGED = "UPDATE search_changes SET changes = changes + 1;"

INSERTED = [_fts("new"), WORDS.format("new"), TITLES.format("new")]
DELETED = [_fts_delete("old"), WORDS_DELETE.format("old"), TITLES_DELETE.format("old")]
TRIGGERS = [
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN\n"
    + "\n".join([*INSERTED, CHANGED])
    + "\nEND",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN\n"
    + "\n".join([*DELETED, CHANGED])
    + "\nEND",
    "CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN\n"
    + "\n".join([*DELETED, *INSERTED, CHANGED])
    + "\nEND",
]
DROP_TRIGGERS = [
    "DROP TRIGGER search_document_au",
    "DROP TRIGGER search_document_ad",
    "DROP TRIGGER search_document_ai",
]
REBUILD = [
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
]

SQLITE_FORWARDS = [
    *DROP_TRIGGERS,
    "DROP TABLE search_fts",
    *FTS,
    *TRIGGERS,
    *REBUILD,
]
_0005 = import_module("search.migrations.0005_kind_ranges_and_titles")
SQLITE_BACKWARDS = [
    *DROP_TRIGGERS,
    "DROP TABLE search_fts",
    "DROP VIEW search_fts_content",
    # 0002's search_fts and 0005's triggers, as they were.
    *(
        s
        for s in import_module("search.migrations.0002_full_text_index").SQLITE_FORWARDS
        if s.startswith("CREATE VIRTUAL TABLE search_fts ")
    ),
    *_0005.TRIGGERS,
    *REBUILD,
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0016_library")]

    operations = [
        migrations.RunPython(_run(SQLITE_FORWARDS), _run(SQLITE_BACKWARDS)),
    ]
