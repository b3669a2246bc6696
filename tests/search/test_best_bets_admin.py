"""Best bets in the admin: items picked from a list or pasted from the browser."""

import pytest
from django.urls import reverse

from search.models import BestBet
from tests.pages import parse, text

ADD = "/admin/search/bestbet/add/"
ASK = "/practice-points/ask-the-question/"
TARA = "/local-support/tara/"


def save(admin_client, **fields):
    data = {"queries": "qwertyzz", "urls": "", "note": "", "add_item": "", **fields}
    return admin_client.post(ADD, data)


def errors(response):
    return [text(error) for error in parse(response).find_all("ul", class_="errorlist")]


def test_an_editor_picks_the_item_from_a_list_of_published_items(admin_client, content):
    page = parse(admin_client.get(ADD))
    select = page.find("select", attrs={"name": "add_item"})
    groups = {group["label"] for group in select.find_all("optgroup")}
    assert {"Practice point", "Local support"} <= groups
    option = select.find("option", value=ASK)
    assert text(option) == "Ask the question"
    response = save(admin_client, add_item=ASK)
    assert response.status_code == 302
    assert BestBet.objects.get(queries="qwertyzz").url_list == [ASK]


@pytest.mark.parametrize(
    "pasted",
    [
        f"http://testserver{ASK}",
        f"https://testserver{ASK}?q=ask",
        f"http://testserver{ASK[:-1]}",  # without its final slash
        f"  {ASK}  ",
    ],
)
def test_a_full_address_pasted_from_the_browser_keeps_its_path(
    admin_client, content, pasted
):
    response = save(admin_client, urls=pasted)
    assert response.status_code == 302, errors(response)
    assert BestBet.objects.get(queries="qwertyzz").urls == ASK


def test_a_figure_keeps_its_part_of_the_page_and_a_pick_joins_the_pasted(
    admin_client, content
):
    figure = "/snapshot/encompass-snapshot-2021/#figure-domestic-abuse"
    response = save(admin_client, urls=f"http://testserver{figure}", add_item=TARA)
    assert response.status_code == 302, errors(response)
    assert BestBet.objects.get(queries="qwertyzz").url_list == [figure, TARA]


@pytest.mark.parametrize(
    ("urls", "says"),
    [
        ("https://www.gov.uk/report-child-abuse", "not addresses of pages on this"),
        ("javascript:alert(1)", "not addresses of pages on this"),
        ("http://[::1", "not addresses of pages on this"),
        ("ask the question", "not addresses of pages on this"),
        ("/" + "a" * 5000, "not addresses of pages on this"),
        ("/no/such/item/", "No published item has the address /no/such/item/"),
        ("", "Give at least one item"),
    ],
)
def test_bad_input_gets_a_clear_form_error(admin_client, content, urls, says):
    response = save(admin_client, urls=urls)
    assert response.status_code == 200
    assert any(says in error for error in errors(response)), errors(response)
    assert not BestBet.objects.filter(queries="qwertyzz").exists()


def test_an_unknown_pick_is_refused_not_a_server_error(admin_client, content):
    response = save(admin_client, add_item="/not/in/the/list/")
    assert response.status_code == 200
    assert any("valid choice" in error for error in errors(response))


def test_the_change_page_loads_for_a_seeded_best_bet(admin_client, content):
    bet = BestBet.objects.first()
    url = reverse("admin:search_bestbet_change", args=[bet.pk])
    page = parse(admin_client.get(url))
    assert text(page.find("label", attrs={"for": "id_urls"})).startswith(
        "Items shown first"
    )
