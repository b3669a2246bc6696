"""Atom feeds of "What's changed": valid Atom, the same changes as the page."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from editorial import versions
from tests.conftest import BRIEFING
from tests.editorial.test_reader_pages import noted_change
from tests.factories import (
    BriefingFactory,
    FigureFactory,
    FullPracticePointFactory,
    PracticePointFactory,
    QuoteFactory,
    ResearchReferenceFactory,
    SectionFactory,
    SnapshotFactory,
)
from tests.pages import parse
from tests.test_query_counts import queries_for

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    assert not response.cookies
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    # What RFC 4287 requires of a feed and of each entry.
    for name in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{name}"), name
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{name}"), name
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    return root


def entries(root):
    return [
        (
            entry.findtext(f"{ATOM}title"),
            entry.findtext(f"{ATOM}summary"),
            entry.find(f"{ATOM}link").get("href"),
            entry.findtext(f"{ATOM}updated"),
        )
        for entry in root.findall(f"{ATOM}entry")
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/whats-changed/feed/",
        f"/whats-changed/feed/briefings/{BRIEFING}/",
        "/whats-changed/feed/snapshot/encompass-snapshot-2021/",
    ],
)
def test_every_feed_is_valid_atom(client, content, url):
    atom(client, url)


def test_a_feed_without_changes_is_dated_by_the_last_real_edit(client, no_content):
    briefing = BriefingFactory()
    root = atom(client, f"/whats-changed/feed/briefings/{briefing.slug}/")
    assert entries(root) == []
    changed_at = versions.read().changed_at
    updated = datetime.datetime.fromisoformat(root.findtext(f"{ATOM}updated"))
    assert updated == changed_at


def test_feed_follows_a_noted_change_newest_first(client, no_content):
    briefing = BriefingFactory()
    other = BriefingFactory()
    older = PracticePointFactory(briefing=briefing, title="First point")
    newer = SectionFactory(briefing=briefing, title="A section")
    elsewhere = SectionFactory(briefing=other, title="Another briefing's")
    draft = PracticePointFactory(briefing=briefing, title="Secret", status="draft")
    url = f"/whats-changed/feed/briefings/{briefing.slug}/"
    assert entries(atom(client, url)) == []

    tz = timezone.get_current_timezone()
    noted_change(older, "Older change", datetime.datetime(2024, 1, 10, tzinfo=tz))
    noted_change(newer, "Newer change", datetime.datetime(2024, 3, 5, 9, tzinfo=tz))
    noted_change(elsewhere, "Not this briefing")
    noted_change(draft, "Draft change")

    root = atom(client, url)
    assert entries(root) == [
        (
            "Section: A section",
            "Newer change",
            f"http://testserver{newer.get_absolute_url()}",
            "2024-03-05T09:00:00+00:00",
        ),
        (
            "Practice point: First point",
            "Older change",
            f"http://testserver{older.get_absolute_url()}",
            "2024-01-10T00:00:00+00:00",
        ),
    ]
    assert root.findtext(f"{ATOM}updated") == "2024-03-05T09:00:00+00:00"
    ids = [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
    assert len(set(ids)) == 2

    # The site-wide feed has every change the page lists, in the same order.
    everything = entries(atom(client, "/whats-changed/feed/"))
    assert [summary for _, summary, _, _ in everything] == [
        "Not this briefing",
        "Newer change",
        "Older change",
    ]
    page = client.get("/whats-changed/").content.decode()
    assert page.index("Not this briefing") < page.index("Newer change")


def test_snapshot_feed_has_its_figures_changes(client, no_content):
    snapshot = SnapshotFactory()
    figure = FigureFactory(snapshot=snapshot, title="Domestic abuse")
    noted_change(figure, "Corrected the count")
    noted_change(SectionFactory(), "Not a figure")
    root = atom(client, f"/whats-changed/feed/snapshot/{snapshot.slug}/")
    assert [title for title, *_ in entries(root)] == [f"Figure: {figure}"]


def test_unknown_briefing_feed_is_404(client, no_content):
    assert client.get("/whats-changed/feed/briefings/nope/").status_code == 404


def test_pages_announce_their_feeds(client, content):
    def feeds(url):
        return [
            link["href"]
            for link in parse(client.get(url).content.decode()).find_all(
                "link", type="application/atom+xml"
            )
        ]

    assert feeds("/") == ["/whats-changed/feed/"]
    briefing_feed = f"/whats-changed/feed/briefings/{BRIEFING}/"
    assert feeds(f"/briefings/{BRIEFING}/")[1:] == [briefing_feed]
    assert feeds("/practice-points/long-term-impact/")[1:] == [briefing_feed]
    assert feeds("/snapshot/encompass-snapshot-2021/")[1:] == [
        "/whats-changed/feed/snapshot/encompass-snapshot-2021/"
    ]
    # What's changed links each feed's page, which gives the address to copy.
    html = parse(client.get("/whats-changed/").content)
    follow = f"/whats-changed/follow/briefings/{BRIEFING}/"
    assert html.find("section", class_="get-updates").find_all("a", href=follow)
    page = client.get(follow).content.decode()
    assert "Outlook" in page and f"http://testserver{briefing_feed}" in page


@pytest.mark.parametrize(
    "url", ["/whats-changed/feed/", "/whats-changed/feed/briefings/{slug}/"]
)
@pytest.mark.slow  # grows the content
def test_feed_query_count_does_not_grow_with_changes(client, no_content, url):
    briefing = BriefingFactory()
    source = ResearchReferenceFactory()
    url = url.format(slug=briefing.slug)

    def grow():
        point = FullPracticePointFactory(briefing=briefing, source=source)
        noted_change(point, "Changed")
        noted_change(point.prompts.get(), "Changed")
        noted_change(SectionFactory(briefing=briefing), "Changed")
        noted_change(QuoteFactory(source=source), "Changed")

    grow()
    before = queries_for(client, url)
    # Two more rounds of changes: a query per change would show as two more.
    for _ in range(2):
        grow()
    assert queries_for(client, url) <= before
    assert len(entries(atom(client, url))) == 3 * (3 if "briefings" in url else 4)
