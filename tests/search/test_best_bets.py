"""Best bets: items an editor pins to searches, shown first as "Recommended"."""

import pytest
from django.core.exceptions import ValidationError

from search.models import BestBet
from tests.pages import parse

ASK = "/practice-points/ask-the-question/"


def recommended(client, q):
    html = client.get("/search/", {"q": q}).content.decode()
    boxes = parse(html).find_all("ol", class_="search-results--recommended")
    return [a["href"] for box in boxes for a in box.find_all("a")]


def test_a_best_bet_shows_first_marked_recommended(client, content):
    html = client.get("/search/", {"q": "How do I ask?"}).content.decode()
    assert recommended(client, "How do I ask?") == [ASK]
    assert "<strong>Recommended</strong>" in html
    # Not listed twice: the ordinary results leave it out.
    results = parse(html).find("ol", class_="search-results", start="1")
    assert ASK not in [a["href"] for a in results.find_all("a")]


def test_best_bets_match_on_words_not_punctuation_or_question_words(client, content):
    BestBet.objects.create(queries="Sugar  DADDY?", urls=ASK)
    assert recommended(client, "what is a sugar daddy") == [ASK]
    assert recommended(client, "sugar") == []


def test_a_best_bet_for_a_search_with_no_results_still_shows(client, content):
    BestBet.objects.create(queries="qwertyzz", urls=ASK)
    html = client.get("/search/", {"q": "qwertyzz"}).content.decode()
    assert recommended(client, "qwertyzz") == [ASK]
    assert "Suggestions" not in html


def test_an_unpublished_item_is_left_out(client, content):
    BestBet.objects.create(queries="qwertyzz", urls="/no/such/item/\n" + ASK)
    assert recommended(client, "qwertyzz") == [ASK]


def test_an_editor_can_only_pin_published_items(db, content):
    bet = BestBet(queries="qwertyzz", urls="/no/such/item/")
    with pytest.raises(ValidationError, match="No published item"):
        bet.full_clean()


def test_seeded_for_each_area(client, content):
    assert recommended(client, "support in Glasgow") == ["/local-support/routes-out/"]
    assert recommended(client, "Aberdeen") == [
        "/local-support/aberdeen-cyrenians/",
        "/local-support/alcohol-drug-action-aberdeen/",
    ]
