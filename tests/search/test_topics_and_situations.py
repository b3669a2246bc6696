"""A search for a service with other words puts first only the services about
those words, and situations as workers type them find the guidance (issue 25)."""

import pytest

from search.query import parse
from tests.search.test_fresh_wording import (
    DIVERSITY,
    EXCHANGE,
    HIDE,
    PRESSURED,
    RISK,
)
from tests.search.test_search_page import result_urls, results

LONG_TERM = "/practice-points/long-term-impact/"
PERSON_CENTRED = "/practice-points/person-centred-approach/"
UNDER_18 = "/snapshot/encompass-snapshot-2021/#figure-under-18-when-first-involved"
SERVICES = ("/local-support/", "/resources/")


def test_the_topic_of_a_service_search_is_its_other_words():
    query = parse("mothers avoiding services")
    assert query.services
    assert query.topics == [(("mothers",),), (("avoiding",),)]
    assert parse("referral").topics == []


def test_a_service_that_shares_no_topic_word_is_not_put_first(client, content):
    # "services" asks about the mothers here: no service names them.
    urls = result_urls(results(client, "mothers avoiding services"))
    assert urls and not urls[0].startswith(SERVICES)
    assert "/briefings/selling-or-exchanging-sex/research-from-canada/" in urls[:3]


def test_a_service_about_the_other_words_still_comes_first(client, content):
    urls = result_urls(results(client, "services in Dundee for women"))
    assert urls[0] == "/local-support/vice-versa/"


@pytest.mark.parametrize(
    ("q", "urls"),
    [
        # Worded apart from the scratch queries the entries were written for.
        ("is she an unfit mum", {DIVERSITY}),
        ("still affected years later", {LONG_TERM}),
        ("how old was she when she first started", {UNDER_18}),
        ("swaps sex for a meal", {EXCHANGE}),
        ("she wants to carry on selling", {RISK}),
        ("which words to use with her", {PERSON_CENTRED}),
        ("do I have to tell the police", {HIDE}),
        ("partner pressuring her to sell", {EXCHANGE, PRESSURED}),
    ],
)
def test_situations_find_the_guidance(client, content, q, urls):
    assert urls & set(result_urls(results(client, q))[:3])
