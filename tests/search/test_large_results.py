"""Broad searches on a large index: title matches first, paging across tiers,
counts that stop past a limit, kinds by name, and the migrations that
brought them."""

import importlib
import re
import types

from django.apps import apps
from django.db import connection
from pytest_django.asserts import assertInHTML

from editorial.content import content_of, search_kinds
from search import backends, views
from search.models import Document
from search.query import parse
from tests.factories import (
    BriefingFactory,
    PracticePointFactory,
    SectionFactory,
)

from .test_search_page import result_urls, results, search_count


def all_pages(client, q, **params):
    """Result urls of every page, in order, and the first page's html."""
    first = results(client, q, **params)
    pages = (
        int(re.search(r"page 1 of (\d+)", first).group(1))
        if "page 1 of" in first
        else 1
    )
    urls = result_urls(first)
    for number in range(2, pages + 1):
        urls += result_urls(results(client, q, page=number, **params))
    return urls, first


def test_every_index_row_names_its_models_kind(content):
    rows = Document.objects.values_list("kind", "model")
    assert {kind for kind, _ in rows} >= {"practice-point", "section", "figure"}
    for kind, model in rows:
        assert kind == content_of(apps.get_model(model)).kind
        assert kind in search_kinds()


def test_rows_numbered_by_kind_before_kinds_were_names_are_still_found(
    client, no_content
):
    # Migration 0015 keeps every row as it was: 0005 gave this one a packed id.
    Document.objects.create(
        id=4 * 2**40 + 2 * 2**32 + 7,
        model="guidance.section",
        object_id=7,
        kind="section",
        title="Befriending",
        body="Befriending schemes.",
        url="/befriending/",
    )
    assert result_urls(results(client, "befriending", kind="section")) == [
        "/befriending/"
    ]
    assert result_urls(results(client, "befriending", kind="figure")) == []


def test_title_match_ranks_above_many_body_mentions_and_the_phrase(client, no_content):
    briefing = BriefingFactory()
    bodies = [
        SectionFactory(
            briefing=briefing,
            title=f"Clinic notes {n}",
            body="Sexual health. " * (n + 2) + "A sexual health clinic.",
        )
        for n in range(5)
    ]
    title = SectionFactory(
        briefing=briefing, title="Sexual health", body="Where to find a clinic."
    )
    scattered_title = SectionFactory(
        briefing=briefing, title="Health and sexual wellbeing", body="More help."
    )
    urls = result_urls(results(client, "sexual health"))
    # Title matches first, the exact phrase in a title before scattered words.
    assert urls[:2] == [title.get_absolute_url(), scattered_title.get_absolute_url()]
    assert set(urls[2:]) == {s.get_absolute_url() for s in bodies}


def test_pages_run_on_from_title_matches_into_body_matches(client, no_content):
    briefing = BriefingFactory()
    titled = [
        SectionFactory(briefing=briefing, title=f"Outreach team {n}", body="A team.")
        for n in range(4)
    ]
    bodies = [
        SectionFactory(
            briefing=briefing, title=f"Visit {n}", body="Outreach " * (n + 1)
        )
        for n in range(19)
    ]
    urls, first = all_pages(client, "outreach")
    assert "23 results for" in first and "page 1 of 3" in first
    assert len(urls) == len(set(urls)) == 23
    assert set(urls[:4]) == {s.get_absolute_url() for s in titled}
    assert set(urls[4:]) == {s.get_absolute_url() for s in bodies}
    # The same order as one long page gives.
    long_page = backends.search(parse("outreach"))[:50]
    assert [hit.url for hit in long_page] == urls


def test_counts_stop_past_the_limit(client, no_content, monkeypatch):
    monkeypatch.setattr(backends, "COUNT_LIMIT", 12)
    briefing = BriefingFactory()
    for n in range(15):
        SectionFactory(
            briefing=briefing, title=f"Drop-in {n}", body="A drop-in session."
        )
    point = PracticePointFactory(briefing=briefing, title="Run a drop-in")
    html = results(client, "drop-in")
    assert search_count(html).startswith("More than 12 results for")
    assert "page 1 of 2" in html
    assert "Showing the best 12: add words or choose a kind" in html
    assertInHTML('<option value="section">Briefing section (12+)</option>', html)
    assertInHTML('<option value="practice-point">Practice point (1)</option>', html)
    # The second page holds the 11th and 12th best, and there is no third.
    second = results(client, "drop-in", page=2)
    assert len(result_urls(second)) == 2 and 'rel="next"' not in second
    assert "There are no more results" in results(client, "drop-in", page=3)
    # A kind under the limit is counted exactly.
    html = results(client, "drop-in", kind="practice-point")
    assert result_urls(html) == [point.get_absolute_url()]
    assert search_count(html).startswith("1 result for")


def test_counts_past_the_limit_read_as_a_floor(monkeypatch):
    monkeypatch.setattr(backends, "COUNT_LIMIT", 1000)
    assert views._count_text(1000) == "1,000"
    assert views._count_text(1001) == "1,000+"
    assert views._count_text(7) == "7"


def test_spelling_vocabulary_notices_writes_it_was_not_told_of(client, no_content):
    SectionFactory(title="Advocacy", body="Independent advocacy.")
    assert 'href="?q=advocacy"' in results(client, "advocasy")
    # Another process's write: straight to the index, this process is not told.
    Document.objects.create(
        model="guidance.section",
        object_id=999_999,
        kind="section",
        title="Befriending",
        body="Befriending schemes.",
        url="/befriending/",
    )
    html = results(client, "befriendng")
    assert 'href="?q=befriending"' in html


def _run_migration(statements, name="0005_kind_ranges_and_titles"):
    """Run a migration's statements for this engine, as its RunPython would."""
    with connection.cursor() as cursor:
        editor = types.SimpleNamespace(connection=connection, execute=cursor.execute)
        migration = importlib.import_module(f"search.migrations.{name}")
        if name.startswith("0017"):  # SQLite only
            migration._run(getattr(migration, f"SQLITE_{statements}"))(None, editor)
            return
        migration._run(
            {
                "sqlite": getattr(migration, f"SQLITE_{statements}"),
                "postgresql": getattr(migration, f"POSTGRESQL_{statements}"),
            }
        )(None, editor)


KINDS_IN_INDEX = "0017_kinds_in_full_text_index"


def test_migration_renumbers_an_existing_index_and_can_be_reversed(client, content):
    def rows():
        # Not the ids: 0005 packs a kind into them, which ids no longer need.
        return sorted(Document.objects.values_list("model", "object_id", "title"))

    # 0008 renamed a kind since: the index as 0005 knew it, and back.
    renamed = importlib.import_module("search.migrations.0008_question_kind")
    before = rows()
    found = result_urls(results(client, "food"))
    _run_migration("BACKWARDS", KINDS_IN_INDEX)
    renamed.rename("question", "prompt")(apps, None)
    _run_migration("BACKWARDS")
    assert all(id < 2**40 for id in Document.objects.values_list("id", flat=True))
    _run_migration("FORWARDS")
    renamed.rename("prompt", "question")(apps, None)
    _run_migration("FORWARDS", KINDS_IN_INDEX)
    assert rows() == before
    assert result_urls(results(client, "food")) == found
    assert result_urls(results(client, "women", kind="figure"))


def _document(n, kind, title="Befriending", body="Befriending schemes."):
    return Document.objects.create(
        model="guidance.section",
        object_id=n,
        kind=kind,
        title=title,
        body=body,
        url=f"/item-{n}/",
    )


def _kind_counts(q):
    return backends.search(parse(q)).kind_counts


def test_kinds_are_counted_and_filtered_by_the_kind_the_index_holds(client, no_content):
    for n in range(3):
        _document(n + 1, "section")
    figure = _document(4, "figure")
    assert _kind_counts("befriending") == {"section": 3, "figure": 1}
    assert result_urls(results(client, "befriending", kind="figure")) == ["/item-4/"]
    # The index follows a kind that changes, and an item that goes.
    Document.objects.filter(url="/item-1/").update(kind="figure")
    figure.delete()
    assert _kind_counts("befriending") == {"section": 2, "figure": 1}
    assert result_urls(results(client, "befriending", kind="figure")) == ["/item-1/"]


def test_a_kinds_name_typed_as_a_word_finds_only_items_that_use_it(no_content):
    # The kind is in the index, but only as a word no reader can type.
    _document(1, "practice-point", body="Befriending schemes.")
    _document(2, "section", title="Points", body="A practice point.")
    assert _kind_counts("practice point") == {"section": 1}
    assert _kind_counts("figure") == {}


def test_migration_putting_kinds_in_the_index_can_be_reversed(client, content):
    if connection.vendor != "sqlite":
        return  # PostgreSQL reads the kind from the row: 0017 changes nothing
    counts = _kind_counts("women")
    figures = result_urls(results(client, "women", kind="figure"))
    assert figures and len(counts) > 2
    _run_migration("BACKWARDS", KINDS_IN_INDEX)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM search_fts LIMIT 1")
        assert [c[0] for c in cursor.description] == ["title", "body"]
    _run_migration("FORWARDS", KINDS_IN_INDEX)
    assert _kind_counts("women") == counts
    assert result_urls(results(client, "women", kind="figure")) == figures
