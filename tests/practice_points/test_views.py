"""What a reader sees on the practice point list and on each practice point's page."""

import datetime

import pytest
from django.utils import timezone

from guidance.models import Section
from practice_points.models import PracticePoint
from tests.factories import (
    AudienceFactory,
    BriefingFactory,
    PracticeListFactory,
    PracticePointFactory,
    PromptFactory,
    QuoteFactory,
    ReflectiveQuestionFactory,
    ResearchReferenceFactory,
)
from tests.pages import page_of

LIST = "/practice-points/"


def pager(client, url):
    """Where a page's previous and next links go: {"prev": ..., "next": ...}."""
    links = page_of(client, url).find("nav", class_="pager").find_all("a", rel=True)
    return {" ".join(link["rel"]): link["href"] for link in links}


def test_list_shows_published_points_in_order_with_their_summary_and_audiences(
    client, no_content
):
    briefing = BriefingFactory()
    social_work = AudienceFactory(name="Social workers")
    second = PracticePointFactory(
        briefing=briefing, position=2, title="Second", summary="Two."
    )
    first = PracticePointFactory(
        briefing=briefing,
        position=1,
        title="First",
        summary="One.",
        audiences=[social_work],
    )
    PracticePointFactory(briefing=briefing, position=3, title="Draft", status="draft")
    PracticePointFactory(briefing=BriefingFactory(status="draft"), title="Hidden")

    cards = page_of(client, LIST).find("ol", class_="card-list").find_all("li")
    assert [card.find("h2").text for card in cards] == ["First", "Second"]
    assert [card.find("a")["href"] for card in cards] == [
        first.get_absolute_url(),
        second.get_absolute_url(),
    ]
    assert "One." in cards[0].text and "Two." in cards[1].text
    # The two are for different readers: each card says who.
    assert cards[0].find(class_="audiences").text == "Written for social workers"


def test_list_says_when_nothing_is_published(client, no_content):
    PracticePointFactory(status="draft")
    page = page_of(client, LIST)
    assert "No practice points have been published yet." in page.text
    assert not page.find_all("a", rel="next")


def test_point_page_shows_its_body_lists_questions_quotes_and_sources_in_order(
    client, no_content
):
    source = ResearchReferenceFactory(title="Inside Outside")
    point = PracticePointFactory(
        title="Ask the question",
        position=4,
        body="Ask **directly**.",
        closing="Closing words.",
        audiences=[AudienceFactory(name="Substance misuse professionals")],
        references=[source],
        quotes=[QuoteFactory(source=source, speaker="Wendy", text="Her words.")],
    )
    PracticeListFactory(
        practice_point=point,
        title="What sex may be exchanged for",
        intro="Sex may be exchanged for:",
        items=["Food", "Shelter"],
    )
    prompt = PromptFactory(practice_point=point, text="Has anyone asked you?")
    ReflectiveQuestionFactory(practice_point=point, text="What do I assume?")

    page = page_of(client, point.get_absolute_url())
    assert page.find("h1").text == "Ask the question"
    assert page.find("title").text.startswith("Ask the question")
    assert page.find(class_="eyebrow").text == "Practice point 4"
    assert page.find("p", class_="audiences").text == (
        "Written for substance misuse professionals"
    )
    article = page.find("article")
    assert "directly" in [bold.text for bold in article.find_all("strong")]  # markdown
    practice_list = page.find("section", class_="practice-list")
    assert practice_list.find("h2").text == "What sex may be exchanged for"
    assert [item.text for item in practice_list.find("ul").find_all("li")] == [
        "Food",
        "Shelter",
    ]
    # A search result for a prompt links to it on this page.
    assert page.find("li", id=prompt.anchor).text == "“Has anyone asked you?”"
    quote = page.find("figure", class_="quote")
    assert quote.find("blockquote").get_text(strip=True) == "Her words."
    assert quote.find("figcaption").text == "Wendy, Inside Outside"
    sources = page.find("section", class_="sources")
    assert sources.find("a")["href"] == source.get_absolute_url()

    text = article.text
    order = [
        "Ask directly.",
        "Sex may be exchanged for:",
        "Example questions to ask",
        "Her words.",
        "Reflective questions",
        "What do I assume?",
        "Closing words.",
        "Sources",
    ]
    assert [text.index(words) for words in order] == sorted(
        text.index(words) for words in order
    )


def test_point_page_leaves_out_draft_children_and_withdrawn_quotes(client, no_content):
    draft_quote = QuoteFactory(text="A draft quote.", status="draft")
    withdrawn = QuoteFactory(text="Withdrawn words.", withdrawn_at=timezone.now())
    point = PracticePointFactory(quotes=[draft_quote, withdrawn])
    ReflectiveQuestionFactory(practice_point=point, text="Draft?", status="draft")
    PromptFactory(practice_point=point, text="Also a draft?", status="draft")
    PracticeListFactory(practice_point=point, title="Draft list", status="draft")

    text = page_of(client, point.get_absolute_url()).text
    for hidden in [
        "A draft quote.",
        "Withdrawn words.",
        "Draft?",
        "Also a draft?",
        "Draft list",
        # A heading with nothing under it is left out too.
        "Reflective questions",
        "Example questions to ask",
    ]:
        assert hidden not in text, hidden


def test_point_page_names_its_briefing_and_when_it_was_last_reviewed(
    client, no_content
):
    briefing = BriefingFactory(title="Selling or exchanging sex")
    point = PracticePointFactory(
        briefing=briefing, last_reviewed=datetime.date(2024, 5, 1)
    )
    page = page_of(client, point.get_absolute_url())
    meta = page.find("p", class_="meta")
    assert meta.find("a")["href"] == f"{briefing.get_absolute_url()}#{point.slug}"
    assert "Last reviewed 1 May 2024" in page.find("p", class_="page-dates").text


def test_points_link_previous_and_next_past_drafts(client, no_content):
    briefing = BriefingFactory()
    first, draft, last = (
        PracticePointFactory(briefing=briefing, position=n, status=status)
        for n, status in [(1, "published"), (2, "draft"), (3, "published")]
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    # Before the first point comes the list of them.
    assert pager(client, first.get_absolute_url()) == {
        "prev": LIST,
        "next": last.get_absolute_url(),
    }
    assert pager(client, last.get_absolute_url()) == {"prev": first.get_absolute_url()}


def test_point_of_a_draft_briefing_is_404(client, no_content):
    point = PracticePointFactory(briefing=BriefingFactory(status="draft"))
    assert client.get(point.get_absolute_url()).status_code == 404


def test_reading_order_walks_from_the_sections_through_the_list_into_the_points(
    client, content
):
    last = Section.objects.published().last()
    first = PracticePoint.objects.published().first()
    assert pager(client, last.get_absolute_url())["next"] == LIST
    assert pager(client, LIST) == {
        "prev": last.get_absolute_url(),
        "next": first.get_absolute_url(),
    }
    assert pager(client, first.get_absolute_url())["prev"] == LIST


def test_point_pages_link_previous_and_next_by_title(client, content):
    page = page_of(client, "/practice-points/ask-the-question/")
    assert "Individuals may hide their involvement" in page.find("a", rel="prev").text
    assert "Take a risk reduction approach" in page.find("a", rel="next").text


@pytest.mark.parametrize("kind", ["", "practice-point"])
def test_search_for_an_audience_finds_only_points_written_for_it(
    client, no_content, kind
):
    nurses = AudienceFactory(slug="nurses", name="Nurses")
    police = AudienceFactory(slug="police", name="Police")
    for_nurses = PracticePointFactory(title="Outreach clinics", audiences=[nurses])
    PracticePointFactory(title="Outreach patrols", audiences=[police])

    results = page_of(
        client, f"/search/?q=outreach&audience=nurses&kind={kind}"
    ).find_all("h2", class_="search-result__title")
    assert [result.find("a")["href"] for result in results] == [
        for_nurses.get_absolute_url()
    ]


@pytest.mark.parametrize(
    "names, reads",
    [
        ([], "Written for everyone"),
        (["Police"], "Written for police"),
        (
            ["Substance misuse professionals", "Children and families social workers"],
            "Written for substance misuse professionals and children and families "
            "social workers",
        ),
        (["Nurses", "Police", "Teachers"], "Written for nurses, police and teachers"),
    ],
)
def test_for_line_reads_as_a_sentence(client, no_content, names, reads):
    point = PracticePointFactory()
    point.audiences.set(
        AudienceFactory(name=name, position=i) for i, name in enumerate(names)
    )
    for url in (point.get_absolute_url(), LIST):
        assert page_of(client, url).find("p", class_="audiences").text == reads


def test_every_practice_point_is_for_both_audiences_the_source_addresses(
    client, content
):
    both = (
        "Written for children and families social workers and substance misuse "
        "professionals"
    )
    page = page_of(client, LIST)
    cards = page.find("ol", class_="card-list").find_all("li")
    assert len(cards) == 9
    # Said once, above the list, not under each card.
    assert not any(card.find_all(class_="audiences") for card in cards)
    assert page.find("p", class_="audiences").text == both
    page = page_of(client, "/practice-points/ask-the-question/")
    assert page.find("p", class_="audiences").text == both


def test_social_workers_audience_filter_finds_the_practice_points(client, content):
    results = page_of(
        client,
        "/search/?q=trauma&kind=practice-point"
        "&audience=children-and-families-social-work",
    ).find_all("h2", class_="search-result__title")
    hrefs = [result.find("a")["href"] for result in results]
    assert "/practice-points/trauma-informed-approach/" in hrefs


def test_items_for_everyone_are_not_hidden_by_an_audience_filter(client, no_content):
    police = AudienceFactory(slug="police", name="Police")
    everyone = PracticePointFactory(title="Outreach for all")
    everyone.audiences.clear()
    PracticePointFactory(title="Outreach patrols", audiences=[police])
    AudienceFactory(slug="nurses", name="Nurses")

    results = page_of(client, "/search/?q=outreach&audience=nurses").find_all(
        "h2", class_="search-result__title"
    )
    assert [result.find("a")["href"] for result in results] == [
        everyone.get_absolute_url()
    ]
