"""A page costs the same number of queries however much content there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance.models import Resource
from tests import factories


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


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
def small_site(db):
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
                ("point", b.practice_points.all()),
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
    url = page(briefing, snapshot)
    before = queries_for(client, url)
    grow_content(briefing, snapshot, 8)
    with django_assert_max_num_queries(before):
        client.get(url)
    assert before <= 20
