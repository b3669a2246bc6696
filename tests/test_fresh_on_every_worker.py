"""SQLite on one machine, several gunicorn workers: each keeps reader pages in
its own memory and learns of a new content version from ``PRAGMA
data_version`` without a query, so a change is on every worker's next page."""

import sqlite3

import pytest

from tests.servers import fetch, gunicorn, html_text, set_up_site, site_env

# A SQLite site whatever the run's database: CI runs it in its SQLite pass.
pytestmark = [pytest.mark.integration, pytest.mark.same_on_every_engine]

SLUG = "trauma-informed-approach"
PATH = f"/practice-points/{SLUG}/"
READS = 24  # each on a new connection, spread over the workers


def test_a_change_is_on_every_workers_next_page(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = site_env(f"sqlite:///{database}", tmp_path, STATIC_ROOT=tmp_path / "static")
    set_up_site(env)
    with gunicorn(env, tmp_path / "gunicorn.log", workers=3) as node:
        for round in range(3):
            # Every worker has the page in memory before the change.
            for _ in range(READS):
                assert fetch(node.base, PATH).status == 200
            title = f"Trauma-informed approach, round {round}"
            # Straight in the database, as another process's save lands.
            with sqlite3.connect(database) as writer:
                writer.execute(
                    "UPDATE practice_points_practicepoint SET title = ? WHERE slug = ?",
                    [title, SLUG],
                )
            writer.close()
            stale = [
                n
                for n in range(READS)
                if title not in html_text(fetch(node.base, PATH).text)
            ]
            assert not stale, f"round {round}: {len(stale)} of {READS} reads stale"
