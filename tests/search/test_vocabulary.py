"""The practitioner vocabulary and how a question is read."""

import pytest

from search.models import Synonym
from search.query import parse, words_of
from tests.search.test_search_page import result_urls, results

DRUGS = "/practice-points/drug-and-alcohol-use-may-be-a-factor/"


def test_the_seeded_vocabulary_covers_the_fields_with_150_terms_or_more(db):
    notes = set(Synonym.objects.values_list("note", flat=True))
    for field in [
        "sex industry and online selling",
        "exploitation and abuse",
        "children's services and child protection",
        "substances and treatment",
        "money, benefits and housing",
        "health and mental health",
        "justice and police",
        "uk and us spellings, irregular plurals",
    ]:
        assert f"Practitioner vocabulary: {field}." in notes
    terms = [t for s in Synonym.objects.all() for t in s.term_list]
    assert len(terms) >= 150


def test_every_phrase_the_vocabulary_finds_is_the_briefings(db, source_text):
    source = f" {' '.join(words_of(source_text))} "
    for synonym in Synonym.objects.exclude(also_finds=""):
        for phrase in synonym.finds_list:
            assert f" {' '.join(words_of(phrase))} " in source, phrase


@pytest.mark.parametrize(
    ("q", "url"),
    [
        ("methadone", DRUGS),
        ("buprenorphine", DRUGS),
        ("sugar daddy", "/practice-points/the-exchange-may-not-be-for-money/"),
        ("punters", "/research/#making-pimps-and-sex-buyers-visible"),
        ("universal credit", "/practice-points/risk-reduction-and-support-to-exit/"),
        ("behavior", "/practice-points/the-exchange-may-not-be-for-money/"),
        ("person centered approach", "/practice-points/person-centred-approach/"),
    ],
)
def test_field_words_find_what_the_briefing_says_in_its_own(client, content, q, url):
    assert result_urls(results(client, q))[0] == url


def test_one_way_terms_do_not_find_back(client, content):
    # "methadone" finds the drug and alcohol practice point; "drug" is not
    # widened to medications (nor would it find more: the content has none).
    query = parse("drug", [s.entry for s in Synonym.objects.all()])
    assert query.groups == [(("drug",),)]
    widened = parse("methadone", [s.entry for s in Synonym.objects.all()])
    assert ("substance", "misuse") in widened.groups[0]


def test_irregular_plurals_find_each_other(db):
    synonyms = [s.entry for s in Synonym.objects.all()]
    assert ("women",) in parse("woman", synonyms).groups[0]
    assert ("child",) in parse("children", synonyms).groups[0]


def test_question_words_filler_and_contractions_are_left_out_and_named(client, db):
    query = parse("she won't tell me if she sells sex")
    assert query.words == ["sells", "sex"]
    assert "won" not in query.words
    assert {"tell", "she"} <= set(query.ignored)
    html = results(client, "what should I ask")
    assert "Words left out: what, should, i." in html


def test_number_and_definition_questions_are_recognised():
    assert parse("how many women had children removed").numeric
    assert parse("what proportion experienced domestic abuse").numeric
    assert parse("54%").numeric
    assert not parse("domestic abuse").numeric
    assert parse("what is CSE").defining


def test_number_questions_favour_figures(client, content):
    urls = result_urls(results(client, "how many women had anxiety or depression"))
    assert urls[0] == "/snapshot/encompass-snapshot-2021/#figure-anxiety-or-depression"


def test_a_definition_question_favours_the_glossary(client, content):
    assert result_urls(results(client, "what is CSE"))[0] == "/glossary/#cse"


def test_with_some_words_rarer_words_outrank_a_title_with_a_common_one(client, content):
    # No item has every word; "sex" is in most titles, "nudes" and "clinic" few.
    html = results(client, "sex injecting zzzz")
    assert "No item contains all of your words" in html
    assert result_urls(html)[0] == DRUGS


def test_a_word_in_the_vocabulary_is_never_corrected(client, content):
    html = results(client, "staff")
    assert "Did you mean" not in html and "stuff" not in html
