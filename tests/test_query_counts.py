"""A page costs the same number of queries however much content there is."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance.models import Resource
from tests.factories import (
    BriefingFactory,
    FigureFactory,
    FullPracticePointFactory,
    GlossaryTermFactory,
    OrganisationFactory,
    QuoteFactory,
    ResearchReferenceFactory,
    ResourceFactory,
    SectionFactory,
    SnapshotFactory,
    StudyFigureFactory,
)

# Grows content, walks every page: make test runs it, make test-fast does not.
pytestmark = pytest.mark.slow


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def page_address(client, url):
    """The address a page is served at (a long handout address redirects)."""
    if not url.startswith("/handouts/handout/"):
        return url
    return client.get(url)["Location"]


def grow_content(briefing, snapshot, times):
    source = ResearchReferenceFactory()
    for _ in range(times):
        section = SectionFactory(
            briefing=briefing, body="[[figure:f-x]] and [[snapshot:s]]"
        )
        QuoteFactory(source=source, section=section)
        FullPracticePointFactory(briefing=briefing, source=source)
        ResourceFactory(url="https://example.org/")
        main = FigureFactory(snapshot=snapshot, is_headline=True)
        FigureFactory(snapshot=snapshot, parent=main, subgroup="Some")
        StudyFigureFactory()
        GlossaryTermFactory()
        snapshot.organisations.add(OrganisationFactory(phone="01234 567890"))


@pytest.fixture
def small_site(no_content):
    briefing = BriefingFactory()
    snapshot = SnapshotFactory()
    grow_content(briefing, snapshot, 1)
    return briefing, snapshot


# Each reader page, by name: the address for a briefing b and a Snapshot s.
READER_PAGES = {
    "home": lambda b, s: "/",
    "briefing": lambda b, s: b.get_absolute_url(),
    "section": lambda b, s: b.sections.first().get_absolute_url(),
    "practice-points": lambda b, s: "/practice-points/",
    "practice-point": lambda b, s: b.practice_points.first().get_absolute_url(),
    "snapshots": lambda b, s: "/snapshot/",
    "snapshot": lambda b, s: s.get_absolute_url(),
    "compare": lambda b, s: "/snapshot/compare/",
    "snapshot-csv": lambda b, s: s.get_absolute_url() + "figures.csv",
    "snapshot-json": lambda b, s: s.get_absolute_url() + "figures.json",
    "other-studies-csv": lambda b, s: "/snapshot/other-studies.csv",
    "other-studies-json": lambda b, s: "/snapshot/other-studies.json",
    "local-support": lambda b, s: "/local-support/",
    "local-support-organisation": lambda b, s: (
        s.organisations.first().get_absolute_url()
    ),
    "research": lambda b, s: "/research/",
    "resources": lambda b, s: "/resources/",
    "in-their-words": lambda b, s: "/in-their-words/",
    "glossary": lambda b, s: "/glossary/",
    "safety": lambda b, s: "/using-this-site-safely/",
    "briefing-print": lambda b, s: f"{b.get_absolute_url()}print/",
    "briefing-offline": lambda b, s: f"/briefings/{b.slug}.html",
    "handout-builder": lambda b, s: "/handouts/",
    "handout-builder-filtered": lambda b, s: (
        f"/handouts/?q=a&item=practice-point:{b.practice_points.first().slug}"
    ),
    "handout": lambda b, s: (
        "/handouts/handout/?"
        + "&".join(
            f"item={kind}:{obj.slug}"
            for kind, objs in [
                ("practice-point", b.practice_points.all()),
                ("figure", s.figures.all()),
                ("resource", Resource.objects.all()),
            ]
            for obj in objs
        )
    ),
    "changes-feed": lambda b, s: "/whats-changed/feed/",
    "briefing-changes-feed": lambda b, s: f"/whats-changed/feed/briefings/{b.slug}/",
    "snapshot-changes-feed": lambda b, s: f"/whats-changed/feed/snapshot/{s.slug}/",
    "search": lambda b, s: "/search/?q=consider+item",
    "search-filtered-page-2": lambda b, s: (
        "/search/?q=item+zzzzzz&kind=practice-point&page=2"
    ),
    "search-misspelt": lambda b, s: "/search/?q=bodyy",
}


def test_query_count_does_not_grow_with_content(client, small_site):
    briefing, snapshot = small_site
    urls = {
        name: page_address(client, address(briefing, snapshot))
        for name, address in READER_PAGES.items()
    }
    # Every page in turn, as readers would reach them: the first page of a
    # version also builds what later pages share, so each page is compared
    # with itself at the same place in the walk, before and after growth.
    before = {name: queries_for(client, url) for name, url in urls.items()}
    # Two more of every item: a query per item would show as two more.
    grow_content(briefing, snapshot, 2)
    after = {name: queries_for(client, url) for name, url in urls.items()}
    grew = {
        name: (before[name], after[name]) for name in urls if after[name] > before[name]
    }
    assert grew == {}
    assert max(before.values()) <= 30, before


def test_a_page_costs_few_queries_on_a_miss_one_on_a_hit_and_a_304(
    client, small_site, settings
):
    """Every reader page on one small site: building the site costs more than
    counting a page's queries, so the pages share it."""
    settings.ALLOWED_HOSTS = ["testserver", "second.test"]
    briefing, snapshot = small_site
    over = {}
    for name, reader_page in READER_PAGES.items():
        url = page_address(client, reader_page(briefing, snapshot))
        client.get(url)  # this version's shared data (glossary, figures) is built
        # Another host is another cached page: a miss, with the shared data warm.
        miss = queries_for(client, url, HTTP_HOST="second.test")
        hit = queries_for(client, url, HTTP_HOST="second.test")
        etag = client.get(url)["ETag"]
        with CaptureQueriesContext(connection) as ctx:
            not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
        # Search asks the full-text index afresh for each query: a misspelt or
        # partly matching one also tries corrections, then blends in any-word
        # matches and their stored vectors (up to 24 on PostgreSQL inside a
        # test's transaction, savepoints included): bounded, whatever the
        # index's size.
        most = 24 if url.startswith("/search/") else 6
        counted = (miss, hit, not_modified.status_code, len(ctx.captured_queries))
        if miss > most or counted[1:] != (1, 304, 1):
            over[name] = counted
    assert over == {}, "page: (miss, hit, a 304's status, a 304's queries)"


# The library's pages, for briefing b: each costs the same however many there are.
LIBRARY_PAGES = {
    "home": lambda b: "/",
    "home-filtered": lambda b: "/?audience=everyone&topic=Housing",
    "briefing": lambda b: b.get_absolute_url(),
    "section": lambda b: b.sections.first().get_absolute_url(),
    "practice-points": lambda b: "/practice-points/",
    "practice-points-filtered": lambda b: f"/practice-points/?briefing={b.slug}",
    "practice-point": lambda b: b.practice_points.first().get_absolute_url(),
    "briefing-print": lambda b: f"{b.get_absolute_url()}print/",
    "briefing-offline": lambda b: f"/briefings/{b.slug}.html",
    "whats-changed": lambda b: "/whats-changed/",
    "whats-changed-filtered": lambda b: f"/whats-changed/?briefing={b.slug}",
    "briefing-changes-feed": lambda b: f"/whats-changed/feed/briefings/{b.slug}/",
    "handout-builder": lambda b: "/handouts/",
    "search-narrowed": lambda b: f"/search/?q=consider+item&briefing={b.slug}",
}


def cold_queries(client, url):
    """Every cache empty: the first page after a content change."""
    for cache in caches.all():
        cache.clear()
    return queries_for(client, url)


def test_a_cold_page_costs_the_same_however_many_briefings(client, small_site):
    briefing, snapshot = small_site
    grow_content(BriefingFactory(topic="Housing"), snapshot, 1)
    urls = {name: address(briefing) for name, address in LIBRARY_PAGES.items()}
    before = {name: cold_queries(client, url) for name, url in urls.items()}
    # Two more briefings: a query per briefing would show as two more.
    for n in range(2):
        grow_content(BriefingFactory(topic=f"Topic {n}"), snapshot, 1)
    after = {name: cold_queries(client, url) for name, url in urls.items()}
    grew = {
        name: (before[name], after[name]) for name in urls if after[name] > before[name]
    }
    assert grew == {}
