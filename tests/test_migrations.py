"""The squashed migrations: a new database (the test run's own, built by
`migrate`) applies each app's squashed migration, and a database that applied
the old migrations one by one has nothing left to do and the same tables,
columns, indexes, constraints and migration history."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

pytestmark = [
    pytest.mark.slow,
    # The old path is migrated on SQLite whatever the run's engine; the
    # squashed migrations hold schema operations only, written by Django for
    # every engine alike, and every PostgreSQL test run migrates them.
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="compared on SQLite, in the SQLite pass"
    ),
]


def described(using):
    """A database's schema and migration history, as Django reads them."""
    executor = MigrationExecutor(using)
    executor.loader.check_consistent_history(using)
    introspection = using.introspection
    with using.cursor() as cursor:
        schema = {
            table: {
                # Sorted: a column added later sits last in an upgraded table.
                "columns": sorted(
                    [c.name, c.type_code, c.null_ok, c.default]
                    for c in introspection.get_table_description(cursor, table)
                ),
                "constraints": _by_content(
                    introspection.get_constraints(cursor, table)
                ),
            }
            for table in introspection.table_names(cursor)
        }
    return json.loads(
        json.dumps(
            {
                "squashed": {
                    ".".join(key): [".".join(old) for old in migration.replaces]
                    for key, migration in executor.loader.disk_migrations.items()
                    if migration.replaces
                },
                "recorded": sorted(
                    ".".join(k) for k in MigrationRecorder(using).applied_migrations()
                ),
                "applied": sorted(
                    ".".join(k) for k in executor.loader.applied_migrations
                ),
                "to_do": [
                    f"{migration.app_label}.{migration.name}"
                    for migration, _ in executor.migration_plan(
                        executor.loader.graph.leaf_nodes()
                    )
                ],
                "schema": schema,
            },
            default=str,
        )
    )


def _by_content(constraints):
    # SQLite numbers unnamed constraints (fk_0, __unnamed_constraint_1__) in
    # column order, which differs in an upgraded table: compare them by content.
    unnamed = ("fk_", "__unnamed_constraint_")
    named = {k: v for k, v in constraints.items() if not k.startswith(unnamed)}
    others = [v for k, v in constraints.items() if k.startswith(unnamed)]
    return {**named, "unnamed": sorted(json.dumps(v, sort_keys=True) for v in others)}


# In a process of its own, so the old data migrations' queries reach that
# database, not the test run's. With replace_migrations=False Django's loader
# keeps the old migrations beside the squashed ones: aim at the old leaves.
# Then what `migrate` does after (post_migrate: triggers, roles, cache table).
MIGRATE_THE_OLD_WAY = """
import json, django
django.setup()
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from tests.test_migrations import described

executor = MigrationExecutor(connection)
executor.loader = MigrationLoader(connection, replace_migrations=False)
disk = executor.loader.disk_migrations
targets = [n for n in executor.loader.graph.leaf_nodes() if not disk[n].replaces]
executor.migrate(targets, executor.migration_plan(targets))
emit_post_migrate_signal(0, False, "default")
print(json.dumps(described(connection)))
"""


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("migrations")
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'old.sqlite3'}",
        "VAR_DIR": str(folder),
    }
    run = subprocess.run(
        [sys.executable, "-c", MIGRATE_THE_OLD_WAY],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def new(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return described(connection)


def test_a_new_database_applies_the_squashed_migrations(new):
    squashed = new["squashed"]
    assert {"guidance", "practice_points", "snapshot", "editorial"} <= {
        key.split(".")[0] for key in squashed
    }
    # Django records what a squashed migration replaces as applied with it.
    replaced = {old for olds in squashed.values() for old in olds}
    assert set(squashed) | replaced <= set(new["recorded"])
    assert new["to_do"] == []


def test_a_database_that_ran_the_old_migrations_has_nothing_left_to_do(upgraded, new):
    # Its history is recorded as the new database's is, so later migrations
    # (and a later squash) see the two alike.
    assert upgraded["recorded"] == new["recorded"]
    assert upgraded["applied"] == new["applied"]
    assert upgraded["to_do"] == []


def test_both_databases_have_the_same_schema(upgraded, new):
    assert sorted(upgraded["schema"]) == sorted(new["schema"])
    for table, description in upgraded["schema"].items():
        assert description == new["schema"][table], table
