"""Every page a reader can reach answers and shows its content from the fixtures."""

import pytest
from django.urls import reverse

from tests.conftest import BRIEFING
from tests.pages import parse

PAGES = [
    ("/", "The Encompass Snapshot in figures"),
    (f"/briefings/{BRIEFING}/", "Practice points for substance misuse professionals"),
    (f"/briefings/{BRIEFING}/encompass-snapshot/", "Routes Out"),
    (
        f"/briefings/{BRIEFING}/left-out-in-the-cold/",
        "I lost my kids through the drugs",
    ),
    (f"/briefings/{BRIEFING}/research-from-canada/", "lack of financial support"),
    (f"/briefings/{BRIEFING}/northern-rock-foundation/", "function of vulnerability"),
    (f"/briefings/{BRIEFING}/grooming-and-recruitment/", "That’s grooming"),
    ("/practice-points/", "Recognise the diversity of experiences"),
    ("/practice-points/ask-the-question/", "in return for sex?"),
    (
        "/practice-points/the-exchange-may-not-be-for-money/",
        "What sex may be exchanged for",
    ),
    ("/practice-points/person-centred-approach/", "Reflective questions"),
    ("/practice-points/long-term-impact/", "lid comes off"),
    ("/snapshot/", "Figures from other research"),
    ("/snapshot/encompass-snapshot-2021/", "Vice Versa"),
    ("/research/", "Making pimps and sex buyers visible"),
    ("/resources/", "www.tarascotland.org"),
    ("/in-their-words/", "Wendy"),
]


@pytest.mark.parametrize(("url", "text"), PAGES)
def test_page_shows_its_content(client, content, url, text):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "’").replace("'", "’")
    assert text.replace("'", "’") in html


@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_page_is_accessible_html(client, content, url):
    page = parse(client.get(url).content)
    assert page.find("html")["lang"] == "en-GB"
    assert len(page.find_all("h1")) == 1
    assert page.find_all("a", href="#main-content") and page.find(id="main-content")
    assert all(page.find_all(landmark) for landmark in ["header", "nav", "footer"])


@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_reader_pages_set_no_cookies(client, content, url):
    assert not client.get(url).cookies


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        f"/briefings/{BRIEFING}/no-such-section/",
        "/briefings/no-such-briefing/",
        "/practice-points/no-such-point/",
        "/snapshot/no-such-snapshot/",
    ],
)
def test_unknown_address_gives_the_styled_404_page(client, content, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Browse the practice points" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/practice-points/%00/",
        "/practice-points/" + "a" * 5000 + "/",
        "/snapshot/<script>/",
        "/?q=%00&x=" + "%ff" * 100,
    ],
)
def test_hostile_addresses_never_give_a_server_error(client, content, url):
    # A NUL (%00) is refused with the 400 page (tests/test_bad_requests.py).
    assert client.get(url).status_code in {200, 400, 404}


def test_every_part_of_the_briefing_is_linked_from_home(client, content):
    home = client.get("/").content.decode()
    briefing_url = reverse("briefing_detail", args=[BRIEFING])
    assert briefing_url in home
    for url in [
        "/practice-points/",
        "/snapshot/",
        "/research/",
        "/resources/",
        "/in-their-words/",
    ]:
        assert parse(home).find_all("a", href=url), url
    briefing = client.get(briefing_url).content.decode()
    for slug in [
        "encompass-snapshot",
        "left-out-in-the-cold",
        "grooming-and-recruitment",
    ]:
        assert f"/briefings/{BRIEFING}/{slug}/" in briefing
    assert "/practice-points/trauma-informed-approach/" in briefing


def test_section_pages_link_previous_and_next_in_order(client, content):
    page = parse(client.get(f"/briefings/{BRIEFING}/research-from-canada/").content)
    assert "Left Out in the Cold" in page.find("a", rel="prev").text
    assert "Northern Rock Foundation" in page.find("a", rel="next").text


def test_no_third_party_assets_on_any_page(client, content):
    for url, _ in PAGES:
        page = parse(client.get(url).content)
        assets = [element["src"] for element in page.find_all(src=True)]
        assets += [link["href"] for link in page.find_all("link", href=True)]
        assert not [a for a in assets if a.startswith(("http:", "https:", "//"))], url
