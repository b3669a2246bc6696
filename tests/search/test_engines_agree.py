"""Both engines read the vocabulary's phrases alike, and the words' ties are
decided by meaning (issue 25): what this stop's diagnosis of PostgreSQL
against SQLite changed. CI runs these on PostgreSQL as well as SQLite."""

import pytest

from search.query import parse, weak_phrase
from tests.factories import ResearchReferenceFactory, SectionFactory
from tests.search.test_fresh_wording import EXCHANGE, RISK
from tests.search.test_search_page import result_urls, results


def test_a_phrase_of_stop_words_and_one_word_is_weak():
    assert weak_phrase(("stays", "with", "him"))
    assert weak_phrase(("in", "care"))
    assert not weak_phrase(("children", "in", "care"))
    assert not weak_phrase(("re", "traumatisation"))


def test_a_typed_weak_phrase_is_not_its_one_word_on_either_engine(client, content):
    """ "stays with him" is in the vocabulary's entry for going back to a
    partner; PostgreSQL's English full text would read it as "stay" and find
    the somewhere-to-stay question and every item using "stay"."""
    assert ("stays", "with", "him") in parse(
        "stays with him", [("stays with him", "coercer")]
    ).groups[0]
    urls = result_urls(results(client, "why does she stay with him"))
    assert urls[0] == EXCHANGE
    assert "/practice-points/ask-the-question/#prompt-somewhere-to-stay" not in urls


def test_among_title_matches_the_guidance_comes_first(client, no_content, settings):
    """Titles with every word: the kind's prior decides over a title's
    length, so a short reference title does not beat the guidance."""
    ResearchReferenceFactory(title="Trauma informed")
    SectionFactory(title="Taking a trauma informed approach in practice")
    urls = result_urls(results(client, "trauma informed"))
    assert len(urls) == 2
    assert urls[0].startswith("/briefings/")


def test_a_question_with_one_common_word_finds_the_guidance(client, content):
    """ "what support can I tell her about" is "support": titles of figures
    ("Most common barriers to accessing social support") came first."""
    assert result_urls(results(client, "what support can I tell her about"))[0] == RISK


@pytest.mark.parametrize("q", ["referral", "signposting", "phone number", "refer her"])
def test_someone_to_refer_to_is_local_supports_organisation(client, content, q):
    """PostgreSQL ranked the short Tara resource above the organisations."""
    assert result_urls(results(client, q))[0].startswith("/local-support/")


def test_other_searches_for_a_service_rank_resources_with_organisations(
    client, content
):
    assert parse("referral").contacts
    query = parse("which organisations are in the Encompass Network")
    assert query.services and not query.contacts
    urls = result_urls(
        results(client, "which organisations are in the Encompass Network")
    )
    assert urls[0] == "/resources/#encompass-network"
