"""A page costs the same number of queries however much content there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance.models import Resource
from tests import factories


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
    source = factories.reference()
    for _ in range(times):
        section = factories.section(briefing, body="[[figure:f-x]] and [[snapshot:s]]")
        factories.quote(source, section=section)
        factories.full_practice_point(briefing, source)
        factories.resource(url="https://example.org/")
        main = factories.figure(snapshot, is_headline=True)
        factories.figure(snapshot, parent=main, subgroup="Some")
        factories.study_figure()
        factories.glossary_term()


@pytest.fixture
def small_site(no_content):
    briefing = factories.briefing()
    snapshot = factories.snapshot()
    grow_content(briefing, snapshot, 1)
    return briefing, snapshot


PAGES = [
    lambda b, s: "/",
    lambda b, s: b.get_absolute_url(),
    lambda b, s: b.sections.first().get_absolute_url(),
    lambda b, s: "/practice-points/",
    lambda b, s: b.practice_points.first().get_absolute_url(),
    lambda b, s: "/snapshot/",
    lambda b, s: s.get_absolute_url(),
    lambda b, s: "/snapshot/compare/",
    lambda b, s: s.get_absolute_url() + "figures.csv",
    lambda b, s: s.get_absolute_url() + "figures.json",
    lambda b, s: "/snapshot/other-studies.csv",
    lambda b, s: "/snapshot/other-studies.json",
    lambda b, s: "/research/",
    lambda b, s: "/resources/",
    lambda b, s: "/in-their-words/",
    lambda b, s: "/glossary/",
    lambda b, s: "/using-this-site-safely/",
    lambda b, s: f"{b.get_absolute_url()}print/",
    lambda b, s: "/handouts/",
    lambda b, s: (
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
    lambda b, s: "/search/?q=consider+item",
    lambda b, s: "/search/?q=item+zzzzzz&kind=practice-point&page=2",
    lambda b, s: "/search/?q=bodyy",
]


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_content(
    client, small_site, page, django_assert_max_num_queries
):
    briefing, snapshot = small_site
    url = page_address(client, page(briefing, snapshot))
    before = queries_for(client, url)
    grow_content(briefing, snapshot, 8)
    # A new content version: the page and the data it shares are built afresh.
    with django_assert_max_num_queries(before):
        client.get(url)
    # The first page of a version also builds what later pages share.
    assert before <= 30


@pytest.mark.parametrize("page", PAGES)
def test_a_page_costs_few_queries_on_a_miss_one_on_a_hit_and_a_304(
    client, small_site, page, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "second.test"]
    briefing, snapshot = small_site
    url = page_address(client, page(briefing, snapshot))
    client.get(url)  # this version's shared data (glossary, figures) is built
    # Another host is another cached page: a miss, with the shared data warm.
    miss = queries_for(client, url, HTTP_HOST="second.test")
    hit = queries_for(client, url, HTTP_HOST="second.test")
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as ctx:
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert len(ctx.captured_queries) == 1
    assert hit == 1
    # Search asks the full-text index afresh for each query: a misspelt or
    # partly matching one also tries corrections and any-word matches (20 on
    # PostgreSQL inside a test's transaction, savepoints included).
    assert miss <= (20 if url.startswith("/search/") else 6)
