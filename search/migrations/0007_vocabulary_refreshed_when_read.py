"""PostgreSQL: refresh the spelling vocabulary when a misspelt search needs it,
not after every statement that writes the index.

Refreshing after each write cost about 2.4 s of the 4 s it takes to load the
content (and 0.3 s a save at 10,000 items). Now a write only marks the
vocabulary stale (one small row), and the next spelling lookup refreshes it
first, under a row lock so a write that lands meanwhile marks it stale again.
"""

from django.db import migrations

POSTGRESQL_FORWARDS = [
    "CREATE TABLE search_vocabulary_state (id integer PRIMARY KEY, stale boolean NOT NULL)",
    "INSERT INTO search_vocabulary_state VALUES (1, true)",
    """CREATE OR REPLACE FUNCTION search_vocabulary_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE search_vocabulary_state SET stale = true WHERE id = 1 AND NOT stale;
      RETURN NULL;
    END $$""",
]
POSTGRESQL_BACKWARDS = [
    """CREATE OR REPLACE FUNCTION search_vocabulary_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      REFRESH MATERIALIZED VIEW search_vocabulary;
      RETURN NULL;
    END $$""",
    "REFRESH MATERIALIZED VIEW search_vocabulary",
    "DROP TABLE search_vocabulary_state",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_more_synonyms")]

    operations = [migrations.RunPython(_run(POSTGRESQL_FORWARDS), _run(POSTGRESQL_BACKWARDS))]
