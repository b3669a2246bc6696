"""The triggers that bump the content version on every write to a watched
table, in the same transaction (put on after every ``migrate``)."""

from django.db import connections

from .content import watched_models
from .version_row import CHANNEL, TABLE, TRIGGER_PREFIX


def watched_tables():
    return sorted({model._meta.db_table for model in watched_models()})


def _trigger_name(table, suffix=""):
    return f"{TRIGGER_PREFIX}{table}{suffix}"


SQLITE_BUMP = f"""
INSERT INTO {TABLE} (id, number, token, changed_at)
VALUES (1, 1, lower(hex(randomblob(8))), strftime('%Y-%m-%d %H:%M:%f', 'now'))
ON CONFLICT (id) DO UPDATE SET number = number + 1, token = excluded.token,
    changed_at = excluded.changed_at;
"""

# NOTIFY is delivered when the transaction commits, and not at all when it
# rolls back: listeners hear of exactly the versions readers can see.
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION editorial_bump_content_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO {TABLE} (id, number, token, changed_at)
    VALUES (1, 1, substr(md5(random()::text || clock_timestamp()::text), 1, 16),
            clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET number = {TABLE}.number + 1,
        token = EXCLUDED.token, changed_at = EXCLUDED.changed_at;
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def _sqlite_statements(table):
    # SQLite has row triggers only: one per kind of write.
    for action in ("INSERT", "UPDATE", "DELETE"):
        yield (
            f'CREATE TRIGGER IF NOT EXISTS "{_trigger_name(table, "_" + action)}" '
            f'AFTER {action} ON "{table}" BEGIN {SQLITE_BUMP} END'
        )


def _postgres_statements(table):
    # One statement-level trigger: a bulk update bumps the version once.
    yield (
        f'CREATE OR REPLACE TRIGGER "{_trigger_name(table)}" '
        f'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION editorial_bump_content_version()"
    )


def install_triggers(using="default", **kwargs):
    """Put the version trigger on every watched table (idempotent)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return
    tables = [table for table in watched_tables() if table in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            statements = _postgres_statements
        elif connection.vendor == "sqlite":
            statements = _sqlite_statements
        else:
            return
        for table in tables:
            for sql in statements(table):
                cursor.execute(sql)
