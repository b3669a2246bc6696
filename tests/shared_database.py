"""The test database, migrated and loaded once per run and copied into each worker.

Migrating (about 100 migrations, most of the time spent by Django rendering
model states in Python) and loading the content cost each pytest-xdist worker
about 15 s of CPU. The first worker to get here builds the database as Django
and pytest-django always did and keeps a copy; the others wait for it and copy
it (the SQLite backup API into their in-memory database, or a PostgreSQL
template database), which takes well under a second. Every worker still gets a
database of its own, and every run still migrates a fresh one.

The run's controller makes a folder for the copy and removes it, and the
PostgreSQL template, at the end (``tests/conftest.py``). It also builds the
database, in a process of its own started before the workers (``python -m
tests.shared_database``): the build then runs while the workers start and
collect the tests, where one worker used to build while the other waited. A
run in one process (``-n0``) has no such folder and builds its database itself.
"""

import fcntl
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

RUN_DIR = "ENCOMPASS_TEST_RUN_DIR"


def set_up(verbosity):
    """Make this worker's test database with the content loaded.

    Returns what ``django.test.utils.teardown_databases`` takes.
    """
    run_dir = os.environ.get(RUN_DIR)
    if not run_dir or connection.vendor not in {"sqlite", "postgresql"}:
        return _build(verbosity)
    run_dir = Path(run_dir)
    with locked(run_dir / "database.lock"):
        record = run_dir / "database.json"
        if record.exists():
            return _copy(json.loads(record.read_text()), verbosity)
        databases = _build(verbosity)
        record.write_text(json.dumps(_keep(run_dir)))
        return databases


def start_run():
    """The controller's folder for the built database, shared with its workers.

    ``make test`` sets one for both of its pytest runs; that folder is its own
    to remove.
    """
    if os.environ.get(RUN_DIR):
        return False
    os.environ[RUN_DIR] = tempfile.mkdtemp(prefix="encompass-tests-")
    return True


_BUILDER = []  # the controller's building process


def start_building():
    """Controller: build the run's database in a new process, holding the
    lock the workers wait on until the database and its record are there.

    The lock goes to the new process as an open file it inherits: the lock
    stays held until that process ends, and a worker that finds no record
    after it (the build failed) builds the database itself, as before.
    """
    run_dir = Path(os.environ[RUN_DIR])
    if connection.vendor not in {"sqlite", "postgresql"}:
        return
    if (run_dir / "database.json").exists():
        return  # built by an earlier run of make test
    root = Path(__file__).resolve().parent.parent
    with (
        open(run_dir / "database.lock", "w") as lock,
        open(run_dir / "build.log", "w") as log,
    ):
        fcntl.flock(lock, fcntl.LOCK_EX)
        _BUILDER.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.shared_database", str(lock.fileno())],
                cwd=root,
                pass_fds=[lock.fileno()],
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        )


def _build_for_run(lock_fd):
    """The building process: the database and its record, then exit (the
    inherited ``lock_fd`` closes with it; locking the file again here would
    wait on this very lock)."""
    import django
    from django.test.utils import setup_test_environment, teardown_databases

    django.setup()
    setup_test_environment(debug=False)  # as pytest-django has it
    run_dir = Path(os.environ[RUN_DIR])
    databases = _build(verbosity=0)
    record = _keep(run_dir)
    if record["vendor"] == "postgresql":
        teardown_databases(databases, verbosity=0)  # the template stays
    (run_dir / "database.json").write_text(json.dumps(record))
    os.close(lock_fd)


def end_run():
    for builder in _BUILDER:
        builder.kill()  # only still running when the run ended first
        builder.wait()
    run_dir = os.environ.pop(RUN_DIR, None)
    if not run_dir:
        return
    record = Path(run_dir) / "database.json"
    if record.exists():
        kept = json.loads(record.read_text())
        if kept["vendor"] == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{kept["name"]}" WITH (FORCE)')
    shutil.rmtree(run_dir, ignore_errors=True)


def built():
    """What the first worker of this run recorded of the database it built, or
    None: ``{"vendor": ..., "name": ...}``, a file or a template database."""
    run_dir = os.environ.get(RUN_DIR)
    if not run_dir:
        return None
    # A worker building it now holds the lock: wait for it rather than build too.
    with locked(Path(run_dir) / "database.lock"):
        record = Path(run_dir) / "database.json"
        return json.loads(record.read_text()) if record.exists() else None


@contextmanager
def copying():
    """Held while copying a PostgreSQL template: one copy of it at a time."""
    with locked(Path(os.environ[RUN_DIR]) / "database.lock"):
        yield


def copy_sqlite(source, target):
    """Copy one SQLite database over another, each a file path or an open
    connection (left open: an in-memory database lives as long as it)."""
    opened = []

    def connect(database):
        if isinstance(database, sqlite3.Connection):
            return database
        opened.append(sqlite3.connect(database))
        return opened[-1]

    try:
        connect(source).backup(connect(target))
    finally:
        for database in opened:
            database.close()


def copy_postgres(cursor, template, name):
    """Make database ``name`` a copy of ``template`` (which nobody may be
    connected to), through ``cursor`` on the same server; ``DROP ... WITH
    (FORCE)`` ends any session a server left on the old ``name``."""
    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


_SNAPSHOT = []  # SQLite: this worker's database as set up, in memory


def take_snapshot():
    """Keep this worker's database as set up, to put back after a test that
    commits (flush and reload take about 2 s of CPU). SQLite: a copy in memory;
    PostgreSQL: the run's template database ``test_..._built`` is that copy.
    False when there is none (PostgreSQL in one process without ``make test``)."""
    if connection.vendor == "postgresql":
        kept = built()
        return bool(kept and kept["vendor"] == "postgresql")
    if connection.vendor != "sqlite":
        return False
    connection.ensure_connection()
    snapshot = sqlite3.connect(":memory:", check_same_thread=False)
    copy_sqlite(connection.connection, snapshot)
    _SNAPSHOT.append(snapshot)
    return True


def restore_snapshot():
    """Put the database as set up back, every row and sequence; False when
    there is no copy to put back."""
    if _SNAPSHOT:
        connection.ensure_connection()
        copy_sqlite(_SNAPSHOT[0], connection.connection)
        return True
    kept = built() if connection.vendor == "postgresql" else None
    if not kept or kept["vendor"] != "postgresql":
        return False
    # A new copy of the template, as when this worker set up (about a second
    # of the server's time, no Python). The listener and every connection to
    # this database go first; DROP ... WITH (FORCE) ends any a server left.
    from editorial import versions

    versions.stop_watchers()
    connections.close_all()
    with copying(), connection._nodb_cursor() as cursor:
        copy_postgres(cursor, kept["name"], connection.settings_dict["NAME"])
    return True


@contextmanager
def locked(path):
    """An exclusive lock on ``path`` shared by the run's processes."""
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build(verbosity):
    from django.test.utils import setup_databases

    databases = setup_databases(
        verbosity=verbosity, interactive=False, aliases={"default"}
    )
    call_command("load_content", verbosity=0)
    return databases


def _keep(run_dir):
    """Copy the database just built for the other workers; what they need to know."""
    if connection.vendor == "sqlite":
        path = run_dir / "database.sqlite3"
        connection.ensure_connection()
        copy_sqlite(connection.connection, path)
        return {"vendor": "sqlite", "name": str(path)}
    from editorial import versions

    # CREATE DATABASE ... TEMPLATE needs nobody connected to the template.
    versions.stop_watchers()
    connections.close_all()
    name = connection.settings_dict["NAME"] + "_built"
    with connection._nodb_cursor() as cursor:
        copy_postgres(cursor, connection.settings_dict["NAME"], name)
    return {"vendor": "postgresql", "name": name}


def _copy(kept, verbosity):
    """This worker's test database as a copy of the one the first worker built.

    Does what Django's ``create_test_db`` does, with a copy in place of migrate.
    """
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    test_name = creation._get_test_db_name()
    if verbosity >= 1:
        print(f"Copying the built test database into {test_name}...")
    if connection.vendor == "sqlite":
        if not creation.is_in_memory_db(test_name):
            return _build(verbosity)  # a file per worker: nothing to copy into
    else:
        with connection._nodb_cursor() as cursor:
            copy_postgres(cursor, kept["name"], test_name)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        # The in-memory database lives as long as this connection (Django's own
        # test set-up keeps it open the same way).
        copy_sqlite(kept["name"], connection.connection)
    return [(connection, old_name, True)]


if __name__ == "__main__":
    _build_for_run(int(sys.argv[1]))
