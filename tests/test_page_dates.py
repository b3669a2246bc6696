"""Dates under the title, as GOV.UK shows them: only dates something recorded."""

import datetime

import pytest
from django.utils import timezone

from guidance.models import Briefing, Section
from practice_points.models import PracticePoint
from snapshot.models import Figure, Snapshot
from tests.conftest import BRIEFING
from tests.factories import (
    BriefingFactory,
    FigureFactory,
    PracticePointFactory,
    SectionFactory,
    SnapshotFactory,
)
from tests.pages import page_of, parse

LOADED_PAGES = [
    f"/briefings/{BRIEFING}/",
    f"/briefings/{BRIEFING}/encompass-snapshot/",
    "/practice-points/ask-the-question/",
    "/snapshot/encompass-snapshot-2021/",
    "/snapshot/",
]


def after_title(page):
    """The element that follows the page's <h1>, past a section's own question
    (which sits under the title on a phone-friendly section page)."""
    h1 = page.find("h1")
    parent = next(e for e in page.find_all(True) if h1 in e.children)
    siblings = [child for child in parent.children if not isinstance(child, str)]
    following = siblings[siblings.index(h1) + 1 :]
    return next(e for e in following if "section-part" not in e.get("class", []))


def dates_of(page):
    """{label: (shown, datetime attribute)} of the dates under the title."""
    dates = after_title(page)
    assert "page-dates" in dates["class"]
    return {
        span.text.split(" —")[0].rsplit(" ", 3)[0]: (
            span.find("time").text,
            span.find("time")["datetime"],
        )
        for span in dates.find_all("span")
    }


def shown(day):
    return f"{day.day} {day:%B %Y}"


@pytest.mark.parametrize("url", LOADED_PAGES)
def test_loaded_content_shows_no_dates_under_the_title(client, content, url):
    page = page_of(client, url)
    assert not page.find_all("p", class_="page-dates")
    assert "Published" not in page.find("main").text


def edit_with_a_note(item, note="Reworded the opening"):
    item._change_reason = note
    item.save()


@pytest.mark.parametrize(
    ("model", "slug", "url"),
    [
        (Briefing, BRIEFING, f"/briefings/{BRIEFING}/"),
        (Section, "encompass-snapshot", f"/briefings/{BRIEFING}/encompass-snapshot/"),
        (PracticePoint, "ask-the-question", "/practice-points/ask-the-question/"),
        (Snapshot, "encompass-snapshot-2021", "/snapshot/encompass-snapshot-2021/"),
        (Figure, "domestic-abuse", "/snapshot/encompass-snapshot-2021/"),
    ],
)
@pytest.mark.slow  # edits and reads several pages
def test_an_edit_with_a_change_note_dates_the_page_with_a_working_link(
    client, content, model, slug, url
):
    page_of(client, url)  # cached before the edit
    edit_with_a_note(model.objects.get(slug=slug))
    today = timezone.localdate()
    page = page_of(client, url)
    dates = dates_of(page)
    assert dates == {"Last updated": (shown(today), today.isoformat())}
    link = after_title(page).find("a")
    assert link.text == "see what changed"
    changes = page_of(client, link["href"])
    assert "Reworded the opening" in changes.find("main").text
    # The printed copy carries the same date.
    stamp = page.find("aside", class_="print-stamp")
    assert shown(today) in stamp.find(class_="content-date").text


def test_an_edit_without_a_note_dates_nothing(client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    point.summary += " "
    point.save()
    page = page_of(client, point.get_absolute_url())
    assert not page.find_all("p", class_="page-dates")


def test_content_published_here_shows_its_published_and_review_dates(
    client, no_content
):
    briefing = BriefingFactory(
        first_published=datetime.date(2025, 5, 3),
        last_reviewed=datetime.date(2026, 1, 10),
        next_review_due=datetime.date(2027, 6, 1),
    )
    assert dates_of(page_of(client, briefing.get_absolute_url())) == {
        "Published": ("3 May 2025", "2025-05-03"),
        "Last reviewed": ("10 January 2026", "2026-01-10"),
        "Next review due": ("1 June 2027", "2027-06-01"),
    }
    today = timezone.localdate()
    section = SectionFactory(briefing=briefing)
    point = PracticePointFactory(
        briefing=briefing, next_review_due=datetime.date(2027, 1, 31)
    )
    snapshot = SnapshotFactory()
    FigureFactory(snapshot=snapshot)
    published = {"Published": (shown(today), today.isoformat())}
    for item in (section, snapshot):
        assert dates_of(page_of(client, item.get_absolute_url())) == published
    assert dates_of(page_of(client, point.get_absolute_url())) == published | {
        "Next review due": ("31 January 2027", "2027-01-31")
    }


def test_a_draft_published_later_is_dated_when_it_was_published(no_content):
    point = PracticePointFactory(status="draft")
    assert point.published_at is None
    point.status = "published"
    point.save()
    assert point.published_at is not None


def test_a_noted_change_to_an_example_question_dates_its_practice_point(
    client, content
):
    """Its page, its handout and What's changed all count the same change."""
    point = PracticePoint.objects.get(slug="ask-the-question")
    handout = "/handouts/handout/?item=practice-point:ask-the-question"
    page_of(client, point.get_absolute_url())  # cached before the edit
    edit_with_a_note(point.prompts.get(slug="money-or-goods"), "Asked more plainly")
    today = timezone.localdate()

    page = page_of(client, point.get_absolute_url())
    assert dates_of(page) == {"Last updated": (shown(today), today.isoformat())}
    handout_page = parse(client.get(handout, follow=True).content)
    assert shown(today) in handout_page.find(class_="content-date").text
    changes = page_of(client, after_title(page).find("a")["href"])
    assert "Asked more plainly" in changes.find("main").text


def test_a_noted_change_to_a_quote_dates_the_section_that_shows_it(client, content):
    section = Section.objects.filter(quotes__status="published").first()
    url = section.get_absolute_url()
    page_of(client, url)  # cached before the edit
    edit_with_a_note(section.quotes.published().first(), "Corrected the speaker")
    today = timezone.localdate()
    assert dates_of(page_of(client, url)) == {
        "Last updated": (shown(today), today.isoformat())
    }
