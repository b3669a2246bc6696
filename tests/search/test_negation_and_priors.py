"""Negation typed any way finds the situation it describes, and among items
with every word a short service is not pushed down for its length twice."""

import pytest

from search import backends
from search.models import Synonym
from search.query import parse
from tests.search.test_search_page import result_urls, results

HIDE = "/practice-points/individuals-may-hide-their-involvement/"
NETWORK = "/resources/#encompass-network"
HIDING = [(("not tell",), ("hide",))]


@pytest.mark.parametrize(
    "text",
    [
        "won't tell",
        "wont tell",
        "she doesn't tell anyone",
        "didnt tell",
        "mightn't tell",
    ],
)
def test_a_negative_contraction_finds_a_term_written_with_not(text):
    assert parse(text, HIDING).groups[0] == (("hide",),)


def test_a_phrase_with_not_is_never_searched():
    # PostgreSQL reads "not tell" as "tell": the engines would differ.
    found = parse("she won't tell", [("not tell", "keeps it secret")]).groups[0]
    assert found == (("keeps", "it", "secret"),)


def test_without_a_term_a_negation_is_left_out_and_named():
    query = parse("she can't tell anyone", [])
    assert query.groups == [] and "cant" in query.ignored
    assert "won" not in parse("she won't cope", []).words


@pytest.mark.parametrize(
    "q",
    [
        # Worded apart from the quality set's queries.
        "she won't say what she does for money",
        "she hasn't told her worker",
        "she doesnt want anyone to know",
        "she does not see it as selling",
    ],
)
def test_not_telling_finds_the_guidance_on_hiding_involvement(client, content, q):
    assert result_urls(results(client, q))[0] == HIDE


def test_the_negation_vocabulary_finds_only_the_guidance_on_hiding(content):
    # Its own words ("hide", "barrier to disclosure", "formal exchange") are
    # the source's, in one practice point: the entries add no other item.
    synonyms = [s.entry for s in Synonym.objects.all()]
    for q in ("won't tell", "doesn't see it as"):
        found = backends.search(parse(q, synonyms), synonyms=synonyms)
        assert [hit.url for hit in found[0:10]] == [HIDE]


def test_with_every_word_a_short_service_is_not_pushed_down_for_its_length(
    client, content
):
    # Every organisation repeats the network's "specialist support agencies
    # in Scotland"; the network's own short entry says it first.
    assert result_urls(results(client, "support agencies in Scotland"))[0] == NETWORK
