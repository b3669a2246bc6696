"""Each statement issue 26 found the source does not make, fixed where it is made."""

import re

import pytest

from snapshot.models import Organisation, StudyFigure
from tests.conftest import BRIEFING
from tests.pages import parse

SNAPSHOT = "/snapshot/encompass-snapshot-2021/"


def test_an_organisation_is_searched_by_what_the_source_says_of_it(content):
    for organisation in Organisation.objects.all():
        body = organisation.search_document().body
        assert "refer" not in body.lower(), organisation
        assert "service" not in body.lower(), organisation
        assert "make up the Encompass Network" in body


def test_the_chart_description_reads_out_the_printed_percentage(client, content):
    page = parse(client.get(SNAPSHOT).content.decode())
    descriptions = page.find_all("p", class_="chart__description")
    description = descriptions[0].text  # the Snapshot's chart comes first
    # Highest 121 of 150 (81%), printed 80%; lowest 31 of 150 (21%), printed 20%.
    assert "121 of 150 (81%) (The source briefing printed this as 80%)" in description
    assert "31 of 150 (21%) (The source briefing printed this as 20%)" in description


def test_compare_promises_no_next_snapshot(client, content):
    text = " ".join(parse(client.get("/snapshot/compare/").content).text.split())
    assert "runs it again" not in text
    assert "If another is published" in text


def test_snapshot_organisations_claim_no_area_served(client, content):
    html = client.get(SNAPSHOT).content.decode()
    assert "serves" not in html


def test_home_page_promises_no_contact_details(client, content):
    text = " ".join(parse(client.get("/").content).text.split())
    assert "how to contact" not in text and "contact them" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/whats-changed/feed/",
        f"/whats-changed/feed/briefings/{BRIEFING}/",
        "/whats-changed/feed/snapshot/encompass-snapshot-2021/",
    ],
)
def test_feeds_name_this_site_as_author_of_its_changes(client, content, settings, url):
    feed = client.get(url).content.decode()
    authors = set(re.findall(r"<author><name>([^<]*)</name>", feed))
    assert authors == {settings.SITE_NAME}


def test_left_out_in_the_cold_keeps_mentioned_that_they(client, content):
    figure = StudyFigure.objects.get(slug="lotc-care-experienced")
    assert "6 of the women interviewed mentioned that they had themselves" in (
        figure.text
    )
    assert figure.label.startswith("Mentioned that they had themselves")
    html = client.get("/snapshot/").content.decode()
    assert "mentioned that they had themselves been through the UK care" in html
