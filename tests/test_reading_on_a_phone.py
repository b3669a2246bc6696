"""What a reader on a phone meets on every page, as the server sends it: one
search box, one "Cite this", one audience label, short breadcrumbs, a way back
to the contents (issue 28). tests/browser/test_phone_pages.py measures them."""

import pytest

from tests.markup import parse


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return parse(response.content.decode())


def test_search_results_have_one_search_box_holding_the_words(client, content):
    html = page(client, "/search/", q="how do I ask about selling sex")
    boxes = html.find_all("input", type="search")
    assert len(boxes) == 1
    assert boxes[0]["value"] == "how do I ask about selling sex"
    assert html.find_all("header")[0].find("input", type="search") is boxes[0]
    # The words left out are named on one short line.
    assert html.find("p", class_="search-ignored").text == (
        "Words left out: how, do, i, about."
    )


def test_search_filters_fold_away_until_one_is_set(client, content):
    html = page(client, "/search/", q="grooming")
    filters = html.find("details", class_="search-filters")
    assert filters.find("summary").text == "Filter results"
    assert "open" not in filters.attrs
    # The filters belong to the header's form: new words keep them.
    form_id = html.find_all("header")[0].find("form", role="search")["id"]
    for select in filters.find_all("select"):
        assert select["form"] == form_id
    assert filters.find("button")["form"] == form_id

    html = page(
        client, "/search/", q="grooming", audience="substance-misuse-professionals"
    )
    assert "open" in html.find("details", class_="search-filters").attrs
    # A filter that cannot be used opens them too, to show its message.
    html = page(client, "/search/", q="grooming", kind="nonsense")
    assert "open" in html.find("details", class_="search-filters").attrs


@pytest.mark.parametrize("url", ["/", "/practice-points/"])
def test_other_pages_have_an_empty_header_search_box(client, content, url):
    box = page(client, url).find_all("header")[0].find("input", type="search")
    assert "value" not in box.attrs
