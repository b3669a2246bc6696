"""Queries are user input: engine syntax, huge, binary or marked-up text never breaks.

A NUL character is refused before search sees it (tests/test_bad_requests.py).
"""

import pytest

from search.query import MAX_CHARS, parse
from tests.factories import SectionFactory

HOSTILE = [
    '"',
    '"unbalanced phrase',
    "(",
    "food)",
    "*",
    "food*",
    "^food",
    "NEAR(food shelter)",
    "NEAR",
    "title:food",
    "body:",
    "food AND OR NOT shelter",
    "AND",
    "NOT food",
    "OR",
    "-food",
    "food & | ! <-> :*",
    "'); DROP TABLE search_document; --",
    "\ue000food\ue001",
    "🍞 food 🏠",
    "🙂",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">food',
    "%",
    "_",
    "\\",
    "food" * 2500,
    "food shelter " * 900,
    "a" * 10000,
    "Ⅻ ² ｆｏｏｄ",
    "é́́́́",
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_query_answers_200_and_is_escaped(client, content, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    main = html.split('id="main-content"', 1)[1]
    assert "<script>alert" not in main
    assert "<img src=x" not in main
    assert main.count("<mark>") == main.count("</mark>")


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_query_with_filters_and_pages(client, content, q):
    response = client.get(
        "/search/", {"q": q, "kind": "practice-point", "page": "2", "audience": q}
    )
    assert response.status_code == 200


def test_html_in_the_query_is_shown_escaped(client, content):
    html = client.get("/search/", {"q": "<b>food</b>"}).content.decode()
    assert "&lt;b&gt;food&lt;/b&gt;" in html
    assert "<mark>food</mark>" in html


def test_ten_thousand_characters_are_cut_with_a_note(client, content):
    html = client.get("/search/", {"q": "food " * 2000}).content.decode()
    assert "only its first words were used" in html
    assert "the-exchange-may-not-be-for-money" in html


def test_syntax_is_searched_as_plain_words(client, no_content):
    SectionFactory(title="Near the station", body="Body.")
    html = client.get("/search/", {"q": "NEAR"}).content.decode()
    assert "<mark>Near</mark> the station" in html


def test_parsed_query_holds_only_words():
    query = parse('NEAR("a" b*) col:x ^y AND -z 🙂 <i>', [])
    flat = [w for group in query.groups for alt in group for w in alt]
    assert all(w.isalnum() for w in flat)
    assert {"near", "col", "x", "y", "z"} <= set(flat)
    assert len(parse("x" * 10000).text) == MAX_CHARS
