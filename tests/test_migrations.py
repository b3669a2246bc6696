"""The squashed migrations: a new database is built from each app's squashed
migration, and a database that applied the old migrations one by one sees
nothing left to do and has the same tables, columns, indexes and constraints.

Both databases here are SQLite files whatever the run's engine: the squashed
migrations hold schema operations only, which Django writes for every engine."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

# Run in a process of its own, so every query (the old data migrations' too)
# reaches this database and not the test run's. With replace_migrations=False
# Django's loader keeps the old migrations: the path an existing site took.
MIGRATE_AND_DESCRIBE = """
import json, sys, django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

executor = MigrationExecutor(connection)
targets = executor.loader.graph.leaf_nodes()
if sys.argv[1] == "old":
    # The graph then holds old and squashed migrations side by side: aim at
    # the old ones' leaves.
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    disk = executor.loader.disk_migrations
    targets = [n for n in executor.loader.graph.leaf_nodes() if not disk[n].replaces]
executor.migrate(targets, executor.migration_plan(targets))

after = MigrationExecutor(connection)
after.loader.check_consistent_history(connection)
squashed = {k: m.replaces for k, m in after.loader.disk_migrations.items() if m.replaces}
introspection = connection.introspection

def described(constraints):
    # SQLite numbers unnamed constraints (fk_0, __unnamed_constraint_1__) in
    # column order, which differs in an upgraded table: compare them by content.
    unnamed = ("fk_", "__unnamed_constraint_")
    named = {k: v for k, v in constraints.items() if not k.startswith(unnamed)}
    others = [v for k, v in constraints.items() if k.startswith(unnamed)]
    return {**named, "unnamed": sorted(json.dumps(v, sort_keys=True) for v in others)}

with connection.cursor() as cursor:
    schema = {
        table: {
            # Sorted: a column added later sits last in an upgraded table.
            "columns": sorted(
                [c.name, c.type_code, c.null_ok, c.default]
                for c in introspection.get_table_description(cursor, table)
            ),
            "constraints": described(introspection.get_constraints(cursor, table)),
        }
        for table in introspection.table_names(cursor)
    }
print(json.dumps({
    "squashed": {".".join(k): [".".join(r) for r in v] for k, v in squashed.items()},
    "recorded": sorted(".".join(k) for k in MigrationRecorder(connection).applied_migrations()),
    "applied": sorted(".".join(k) for k in after.loader.applied_migrations),
    "to_do": [".".join(k) for k, _ in after.migration_plan(after.loader.graph.leaf_nodes())],
    "schema": schema,
}, default=str))
"""


def migrated(folder, how):
    """A SQLite database migrated the old way or the squashed way, described."""
    env = {"DATABASE_URL": f"sqlite:///{folder / how}.sqlite3", "VAR_DIR": str(folder)}
    run = subprocess.run(
        [sys.executable, "-c", MIGRATE_AND_DESCRIBE, how],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    return migrated(tmp_path_factory.mktemp("migrations"), "old")


@pytest.fixture(scope="module")
def new(tmp_path_factory):
    return migrated(tmp_path_factory.mktemp("migrations"), "squashed")


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
    # (and any squash after this one) see the two alike.
    assert upgraded["recorded"] == new["recorded"]
    assert upgraded["applied"] == new["applied"]
    assert upgraded["to_do"] == []


def test_both_databases_have_the_same_schema(upgraded, new):
    assert sorted(upgraded["schema"]) == sorted(new["schema"])
    for table, description in upgraded["schema"].items():
        assert description == new["schema"][table], table
