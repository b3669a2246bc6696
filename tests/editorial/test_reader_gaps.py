"""The admin's home page lists what readers find empty, with a link to each."""

import datetime

from editorial.models import Status
from guidance.models import Briefing
from practice_points.models import PracticePoint
from snapshot.models import Organisation
from tests.conftest import BRIEFING
from tests.factories import PracticePointFactory
from tests.pages import parse, text


def gaps(admin_client):
    """{the gap's summary: {link text: address}} from the admin's home page."""
    module = parse(admin_client.get("/admin/")).find(id="reader-gaps")
    return {
        text(gap.find("summary")): {text(a): a["href"] for a in gap.find_all("a")}
        for gap in module.find_all("details")
    }


def test_a_fresh_install_lists_missing_dates_and_contact_details(admin_client, content):
    found = gaps(admin_client)
    briefing = Briefing.objects.get(slug=BRIEFING)
    assert found["No publication date: 1 item"] == {
        briefing.title: f"/admin/guidance/briefing/{briefing.pk}/change/"
        "#id_first_published"
    }
    reviews = next(links for title, links in found.items() if "review" in title)
    points = PracticePoint.objects.published()
    assert len(reviews) == points.count() + 1  # every point, and the briefing
    organisations = next(v for k, v in found.items() if k.startswith("No contact"))
    assert len(organisations) == Organisation.objects.count()


def test_each_link_opens_the_item_to_fill_in(admin_client, content):
    for links in gaps(admin_client).values():
        for address in links.values():
            assert admin_client.get(address.split("#")[0]).status_code == 200


def test_an_item_leaves_the_list_once_filled_in_and_drafts_are_not_listed(
    admin_client, content
):
    today = datetime.date(2026, 3, 1)
    Briefing.objects.filter(slug=BRIEFING).update(
        first_published=today, last_reviewed=today, next_review_due=today
    )
    PracticePoint.objects.update(last_reviewed=today, next_review_due=today)
    Organisation.objects.update(phone="0141 000 0000")
    PracticePointFactory(
        status=Status.DRAFT,
        title="A draft nobody reads",
        briefing=Briefing.objects.get(slug=BRIEFING),
    )
    module = parse(admin_client.get("/admin/")).find(id="reader-gaps")
    assert module.find_all("details") == []
    assert "Every published page has its dates" in text(module)
