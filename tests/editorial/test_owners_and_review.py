"""Owners (with the default chain), every kind in the review cycle, "needs
details", the review report by owner, and local support pages that are no
dead end."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from editorial.owners import owner_of, responsible
from guidance.models import Briefing, LinkCheck, Resource
from snapshot.models import Organisation
from tests.factories import (
    OrganisationFactory,
    PracticePointFactory,
    ResourceFactory,
    SectionFactory,
    second_briefing,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    def make(username, group=None):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", is_staff=True
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


def test_an_owner_defaults_to_the_briefings_then_every_editor(staff, content):
    ash, kim = staff("ash"), staff("kim", "Editor")
    section = SectionFactory()
    assert owner_of(section) is None
    assert responsible(section) == [kim]
    section.briefing.owner = ash
    section.briefing.save()
    assert owner_of(section) == ash
    section.owner = kim
    assert owner_of(section) == kim
    # Kinds that belong to no one briefing default to the (first) briefing's owner.
    first = Briefing.objects.order_by("position", "pk").first()
    first.owner = ash
    first.save()
    for item in (Resource.objects.first(), Organisation.objects.first()):
        assert owner_of(item) == ash


def test_organisations_and_resources_are_in_the_review_report_with_needs_details(
    admin_client, content
):
    report = parse(admin_client.get(reverse("editorial:review_due")).content)
    table = report.find(id="due-for-review-table")
    rows = {row.find_all("td")[0].text: row.text for row in table.find_all("tr")[1:]}
    tara = rows["TARA"]
    assert "Organisation" in tara and "Every editor" in tara
    assert "needs details" in tara  # no contact details yet
    resource = rows["Tara"]
    assert "needs details" in resource  # its link has not been checked


def test_the_review_report_filters_by_owner(admin_client, staff, no_content):
    ash, kim = staff("ash", "Editor"), staff("kim", "Editor")
    overdue = timezone.localdate() - datetime.timedelta(days=2)
    PracticePointFactory(title="Point of Ash", owner=ash, next_review_due=overdue)
    PracticePointFactory(title="Point of Kim", owner=kim, next_review_due=overdue)
    PracticePointFactory(title="Point of nobody", next_review_due=overdue)
    url = reverse("editorial:review_due")

    def titles(**query):
        page = admin_client.get(url, query).content.decode()
        return {
            t for t in ("Point of Ash", "Point of Kim", "Point of nobody") if t in page
        }

    assert titles() == {"Point of Ash", "Point of Kim", "Point of nobody"}
    assert titles(owner=ash.pk) == {"Point of Ash"}
    assert titles(owner="none") == {"Point of nobody"}
    page = admin_client.get(url, {"owner": "not-a-user"})
    assert page.status_code == 200
    assert "That owner is not on the list" in page.content.decode()
    assert titles(owner="not-a-user") == titles()


def test_taras_page_links_to_taras_website_and_invents_nothing(client, content):
    page = parse(client.get(reverse("organisation_detail", args=["tara"])).content)
    card = page.find(id="organisation-tara")
    links = {a["href"] for a in card.find_all("a", href=True)}
    assert reverse("guidance:resource_list") + "#tara" in links
    assert "https://www.tarascotland.org/" in links
    assert "Further resources" in card.text
    # No contact detail anyone did not give.
    assert not card.find_all(
        "a", href=lambda href: href.startswith(("tel:", "mailto:"))
    )
    other = parse(
        client.get(reverse("organisation_detail", args=["routes-out"])).content
    )
    assert "Contact details have not been added yet." in other.text
    assert "Further resources" not in other.find(id="organisation-routes-out").text


@pytest.mark.parametrize("briefings", [1, 2])
def test_the_home_page_promises_only_what_is_there(client, content, briefings):
    if briefings == 2:
        second_briefing()  # the home page becomes the library
    home = client.get("/").content.decode()
    assert "the Encompass organisations by area" in home
    assert "how to contact them" not in home


def test_a_draft_organisation_is_hidden_from_readers(client, no_content):
    shown = OrganisationFactory(name="Harbour Project")
    hidden = OrganisationFactory(name="Not Yet Live", status="draft")
    listing = client.get(reverse("organisation_list")).content.decode()
    assert shown.name in listing and hidden.name not in listing
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_a_resource_with_a_working_checked_link_needs_no_details(no_content):
    resource = ResourceFactory(url="https://example.org/")
    assert resource.needs_details
    LinkCheck.objects.create(
        resource=resource, url=resource.url, status_code=200, checked_at=timezone.now()
    )
    resource = Resource.objects.get(pk=resource.pk)
    assert not resource.needs_details
    resource.url = "https://example.org/moved-since/"
    assert resource.needs_details  # the check was of another address
