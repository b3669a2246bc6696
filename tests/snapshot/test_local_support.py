"""Local support: the Encompass organisations by area, each on its own page."""

import pytest
from django.template.loader import render_to_string

from snapshot.models import Organisation
from tests.factories import OrganisationFactory, SnapshotFactory
from tests.pages import page_of, parse

LIST = "/local-support/"


def details(card):
    """{label: value} of an organisation card, as a reader reads them."""
    return {
        row.find("dt").text: row.find("dd").get_text(" ", strip=True)
        for row in card.find("dl").find_all("div")
    }


def test_the_seven_organisations_are_listed_by_area_without_invented_details(
    client, content
):
    page = page_of(client, LIST)
    assert page.find("h1").text == "Local support"
    areas = [h2.text for h2 in page.find_all("h2")]
    assert areas[:4] == ["Dundee", "Edinburgh", "Glasgow", "Perth & Kinross"]
    assert "Area not stated in the source" in areas
    names = [h3.text for h3 in page.find_all("h3", class_="organisation__name")]
    assert sorted(names) == sorted(o.name for o in Organisation.objects.all())
    assert len(names) == 7
    glasgow = page.find(id="organisation-routes-out")
    assert glasgow.find("h3").find("a")["href"] == "/local-support/routes-out/"
    # The fixtures hold no contact details: none is shown, none is made up.
    # Its area is its heading's, and the network is said once, above.
    assert not glasgow.find_all("dl")
    assert "Encompass Network" in page.find("p", class_="lead").text
    assert page.text.count("Contact details have not been added yet.") == 7
    hrefs = [a["href"] for a in page.find_all("a", href=True)]
    assert not [h for h in hrefs if h.startswith(("tel:", "mailto:"))]


def test_an_organisation_has_its_own_page_with_breadcrumbs_and_its_snapshot(
    client, content
):
    page = page_of(client, "/local-support/routes-out/")
    assert page.find("h1").text == "Routes Out"
    shown = details(page.find(id="organisation-routes-out"))
    assert set(shown) == {"Area", "In the briefing"}
    assert shown["Area"] == "Glasgow"
    assert "Encompass Network" in shown["In the briefing"]
    crumbs = page.find("nav", class_="breadcrumbs").find_all("a")
    assert [a["href"] for a in crumbs] == ["/", LIST]
    assert page.find("title").text.startswith("Routes Out, Glasgow")
    snapshot_link = page.find("article").find(
        "a", href="/snapshot/encompass-snapshot-2021/"
    )
    assert snapshot_link is not None
    assert page.find(class_="quick-exit__button")["href"]


def test_contact_details_an_editor_fills_in_are_shown_and_empty_ones_are_not(
    client, no_content
):
    organisation = OrganisationFactory(
        name="Harbour",
        area="Oban",
        phone="+44 1631 000 000",
        email="refer@harbour.example",
        how_to_refer="Call us.\nOr ask your GP.",
    )
    for url in (LIST, organisation.get_absolute_url()):
        card = page_of(client, url).find(id=f"organisation-{organisation.slug}")
        shown = details(card)
        assert shown["Phone"] == "+44 1631 000 000"
        assert card.find("a", href="tel:+441631000000").text == "+44 1631 000 000"
        assert card.find("a", href="mailto:refer@harbour.example")
        assert shown["How to refer"] == "Call us. Or ask your GP."
        assert len(card.find_all("br")) == 1  # its line break is kept
        assert "Website" not in shown and "Opening times" not in shown
        assert shown.get("Area", "Oban") == "Oban"
        assert "Contact details have not been added yet." not in card.text


def test_a_website_opens_as_an_external_link(client, no_content):
    organisation = OrganisationFactory(url="https://harbour.example/")
    page = page_of(client, organisation.get_absolute_url())
    link = page.find("a", href="https://harbour.example/")
    assert "noopener" in link["rel"]


@pytest.mark.parametrize("slug", ["no-such-place", "ROUTES-OUT"])
def test_an_unknown_organisation_is_not_found(client, content, slug):
    assert client.get(f"/local-support/{slug}/").status_code == 404


def test_an_empty_list_says_so(client, no_content):
    assert "No organisations have been added yet." in page_of(client, LIST).text


def test_local_support_is_linked_from_home_navigation_and_the_snapshot(client, content):
    home = page_of(client, "/")
    assert home.find("main").find("a", href=LIST)
    navs = home.find_all("nav", class_="site-nav")
    assert navs and all(nav.find("a", href=LIST) for nav in navs)
    page = page_of(client, LIST)
    for nav in page.find_all("nav", class_="site-nav"):
        assert nav.find("a", href=LIST)["aria-current"] == "page"
    snapshot = page_of(client, "/snapshot/encompass-snapshot-2021/")
    row = snapshot.find("tr", id="organisation-routes-out")
    assert row.find("a")["href"] == "/local-support/routes-out/"


def test_an_edit_to_contact_details_shows_at_once(client, content):
    page_of(client, "/local-support/vice-versa/")  # cached
    organisation = Organisation.objects.get(slug="vice-versa")
    organisation.opening_times = "Tuesdays, 10am to 4pm"
    organisation.save()
    page = page_of(client, "/local-support/vice-versa/")
    assert details(page.find(id="organisation-vice-versa"))["Opening times"] == (
        "Tuesdays, 10am to 4pm"
    )


def test_organisation_card_partial_renders_on_its_own(no_content):
    organisation = OrganisationFactory(name="Harbour", area="Oban")
    SnapshotFactory(organisations=[organisation])
    html = render_to_string(
        "snapshot/includes/organisation.html",
        {"organisation": organisation, "level": 2, "link": True},
    )
    card = parse(html)
    assert card.find("h2").find("a")["href"] == organisation.get_absolute_url()
    assert details(card)["Area"] == "Oban"
