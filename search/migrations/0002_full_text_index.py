"""The full-text index beside search_document, in each engine's own way.

SQLite: two external-content FTS5 tables kept in step by triggers: search_fts
(porter stemming, for matching and ranking) and search_words (plain words, read
through the search_vocab fts5vocab table for spelling suggestions).

PostgreSQL: a generated, weighted tsvector column (title A, body B) with a GIN
index, a plain-words tsvector for the spelling vocabulary, and pg_trgm.

Note for later migrations: if Django ever rebuilds search_document on SQLite
(some ALTERs copy the table), the triggers must be created again.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body,"
    " content='search_document', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_words USING fts5(title, body,"
    " content='search_document', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2', detail=none)",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_words, 'row')",
    """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
      INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
      INSERT INTO search_words(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
      INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
      INSERT INTO search_words(search_words, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
      INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
      INSERT INTO search_words(search_words, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
      INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
      INSERT INTO search_words(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_words(search_words) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER search_document_au",
    "DROP TRIGGER search_document_ad",
    "DROP TRIGGER search_document_ai",
    "DROP TABLE search_vocab",
    "DROP TABLE search_words",
    "DROP TABLE search_fts",
]
POSTGRESQL_FORWARDS = [
    "ALTER TABLE search_document ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    " setweight(to_tsvector('english'::regconfig, title), 'A') ||"
    " setweight(to_tsvector('english'::regconfig, body), 'B')) STORED",
    "CREATE INDEX search_document_vector ON search_document USING gin (vector)",
    "ALTER TABLE search_document ADD COLUMN words tsvector GENERATED ALWAYS AS ("
    " to_tsvector('simple'::regconfig, title || ' ' || body)) STORED",
]
POSTGRESQL_BACKWARDS = [
    "ALTER TABLE search_document DROP COLUMN words",
    "DROP INDEX search_document_vector",
    "ALTER TABLE search_document DROP COLUMN vector",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARDS, "postgresql": POSTGRESQL_FORWARDS}),
            _run({"sqlite": SQLITE_BACKWARDS, "postgresql": POSTGRESQL_BACKWARDS}),
        ),
    ]
