"""The content version: one notion of freshness for every cache and ETag.

The tables readers see are the content models' (editorial.content.watched_models),
history and many-to-many tables included. After every ``migrate``, a trigger is
put on each of them that bumps ``ContentVersion`` in the same
transaction as the write. Signals would miss ``queryset.update()``, raw SQL and
``loaddata``; a trigger misses nothing, and a rolled-back write rolls the
version back with it.
"""

import datetime
import threading
from contextlib import contextmanager
from typing import NamedTuple

from django.db import connections

from .content import watched_models

TABLE = "editorial_contentversion"
TRIGGER_PREFIX = "content_version_"


class Version(NamedTuple):
    number: int
    token: str
    changed_at: datetime.datetime | None

    @property
    def key(self):
        return f"{self.number}.{self.token}"


EMPTY = Version(0, "", None)


_request = threading.local()


def current(using="default"):
    """The version now committed: read once per reader request, else one query."""
    remembered = getattr(_request, "version", None)
    if remembered is not None:
        return remembered
    return read(using)


@contextmanager
def remembered(version):
    """Within a reader request, the version its cache key was made from."""
    _request.version = version
    try:
        yield
    finally:
        _request.version = None


def read(using="default"):
    """The version now committed, in one small query.

    Raw SQL: this runs on every reader request, and the ORM's query building
    cost more than the query itself.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, token, changed_at FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return EMPTY
    number, token, changed_at = row
    if isinstance(changed_at, str):  # SQLite keeps text
        changed_at = datetime.datetime.fromisoformat(changed_at)
    if changed_at is not None and changed_at.tzinfo is None:
        changed_at = changed_at.replace(tzinfo=datetime.UTC)
    return Version(number, token, changed_at)


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

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION editorial_bump_content_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO {TABLE} (id, number, token, changed_at)
    VALUES (1, 1, substr(md5(random()::text || clock_timestamp()::text), 1, 16),
            clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET number = {TABLE}.number + 1,
        token = EXCLUDED.token, changed_at = EXCLUDED.changed_at;
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
