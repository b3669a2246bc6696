"""On SQLite, simultaneous saves queue instead of failing.

A gunicorn node (threads, as `make run` and production serve) over one SQLite
file: ten editors press Publish on ten different items at the same instant,
with and without readers searching for words nothing matches (each such
search is a write: the no-results report). Every Publish must succeed.
"""

import sqlite3
import threading
from functools import partial

import pytest

from tests.servers import (
    Browser,
    all_at_once,
    fetch,
    gunicorn,
    read_form,
    set_up_site,
    site_env,
    unique_word,
)
from tests.test_two_nodes import errors

# A SQLite site whatever the run's database: CI runs it in its SQLite pass.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.timing,
    pytest.mark.same_on_every_engine,
]
EDITORS = 10


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sqlite-writes")
    database = tmp / "db.sqlite3"
    env = site_env(f"sqlite:///{database}", tmp / "var", STATIC_ROOT=tmp / "static")
    set_up_site(env)
    with gunicorn(env, tmp / "node.log", workers=2) as served:
        served.database = database
        yield served


def items(database):
    """Ten items of two kinds: (admin path, field to add a word to, reader page)."""
    found = []
    with sqlite3.connect(database) as connection:
        for app, model, field, page in (
            ("practice_points", "practicepoint", "body", "/practice-points/{slug}/"),
            ("guidance", "glossaryterm", "definition", "/glossary/"),
        ):
            rows = connection.execute(
                f"SELECT id, slug FROM {app}_{model} ORDER BY id LIMIT {EDITORS // 2}"
            ).fetchall()
            found += [
                (f"/admin/{app}/{model}/{pk}/change/", field, page.format(slug=slug))
                for pk, slug in rows
            ]
    assert len(found) == EDITORS
    return found


def readers(base, stop, statuses):
    while not stop.is_set():
        statuses.append(fetch(base, f"/search/?q={unique_word('zorb')}").status)
        statuses.append(fetch(base, "/glossary/").status)


def publish_all_at_once(node, editor, points, with_readers):
    words = [unique_word() for _ in points]
    calls = []
    for (path, field, _), word in zip(points, words, strict=True):
        form = read_form(editor.get(path).text)
        text = form.get(field) + f" Keep {word} in mind."
        data = form.data(change_note="Queued", _publish="Publish", **{field: text})
        calls.append(partial(Browser(node.base, dict(editor.cookies)).post, path, data))
    stop, statuses = threading.Event(), []
    reading = [
        threading.Thread(target=readers, args=(node.base, stop, statuses))
        for _ in range(3 if with_readers else 0)
    ]
    for thread in reading:
        thread.start()
    try:
        answers = all_at_once(calls)
    finally:
        stop.set()
        for thread in reading:
            thread.join(timeout=30)
    return answers, words, statuses


@pytest.mark.parametrize("with_readers", [False, True], ids=["alone", "with-readers"])
def test_ten_simultaneous_publishes_all_succeed(node, with_readers):
    editor = Browser(node.base)
    editor.log_in()
    points = items(node.database)
    answers, words, statuses = publish_all_at_once(node, editor, points, with_readers)

    assert [a.status for a in answers] == [302] * EDITORS, [
        errors(a.text)[:300] for a in answers if a.status != 302
    ]
    for (_, _, page), word in zip(points, words, strict=True):
        assert word in fetch(node.base, page).text
    assert set(statuses) <= {200}, statuses
