"""PostgreSQL ranks as SQLite does where they differed (issue 25, the
closing stop's diagnosis): a term widened into phrases scores each phrase
only where it is found, and a typed phrase that PostgreSQL would read as one
word does not put every item using that word first. CI runs these on
PostgreSQL as well as SQLite."""

import pytest
from django.db import connection

from search.backends import PostgreSQLBackend
from search.query import parse
from tests.search.test_fresh_wording import EXCHANGE, LOTC
from tests.search.test_search_page import result_urls, results

LOTC_FIGURES = "/snapshot/#study-figure-lotc-"


def test_a_term_widened_into_phrases_finds_the_research_first(client, content):
    """ "foster care" is one term whose entry has phrases ("looked after
    children", "care system", "taken into care"). ts_rank scored every word
    of them wherever it was found, so the short figures titled "Where their
    children were" outranked the research they come from, on "children"
    alone; SQLite's bm25 scores each phrase as a phrase."""
    urls = result_urls(results(client, "foster care"))
    assert urls[0] == LOTC
    assert all(url.startswith(LOTC_FIGURES) for url in urls[1:4])


def test_only_a_one_term_query_with_phrases_is_ranked_by_its_alternatives():
    entry = [("foster care", "looked after children", "care system")]
    assert PostgreSQLBackend._phrase_alternatives(parse("foster care", entry)) == [
        ("foster", "care"),
        ("looked", "after", "children"),
        ("care", "system"),
    ]
    # One word and its plural: ts_rank already scores each alone.
    assert not PostgreSQLBackend._phrase_alternatives(
        parse("woman", [("woman", "women")])
    )
    # Several terms keep ts_rank, which weighs how close together they are.
    assert not PostgreSQLBackend._phrase_alternatives(parse("foster care kids", entry))


def test_a_typed_phrase_read_as_one_word_is_not_preferred(client, content):
    """ "her choice" (the choice and consent entry) is "choice" alone on
    PostgreSQL: preferred as the typed phrase, it put the three practice
    points that say "choice" above the one about choosing and consent
    ("voluntarily", "consenting behaviour"). SQLite finds the phrase in no
    item and ranks by the words, as PostgreSQL now does."""
    query = parse("she says it is her choice", [("her choice", "voluntarily")])
    assert query.phrase == ("her", "choice")
    assert result_urls(results(client, "she says it is her choice"))[0] == EXCHANGE


def test_the_alternatives_come_with_the_querys_own_literal(
    content, django_assert_num_queries
):
    """The alternatives' tsquery texts are read in the query that reads the
    search's own: no query more for the page."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's own ranking")
    backend = PostgreSQLBackend()
    query = parse("foster care", [("foster care", "looked after children")])
    with django_assert_num_queries(1), connection.cursor() as cursor:
        literals = backend._literals(cursor, query, False)
        # Kept: a page's counts and hits share them.
        assert backend._literals(cursor, query, False) == literals
    match, phrase = literals
    assert phrase == "'foster' <-> 'care'"
    assert match == "'foster' <-> 'care' | 'look' <2> 'children'"
    assert backend._alternatives[match] == [
        "'foster' <-> 'care'",
        "'look' <2> 'children'",
    ]
