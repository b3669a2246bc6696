"""What a reader on a phone meets on every page, as the server sends it: one
search box, one "Cite this", one audience label, short breadcrumbs, a way back
to the contents (issue 28). tests/browser/test_phone_pages.py measures them."""

import pytest

from snapshot.charts import LINE_HEIGHT, VALUE_CHAR_WIDTH, snapshot_chart
from snapshot.models import Snapshot
from tests.conftest import BRIEFING
from tests.pages import parse, text


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return parse(response)


def test_search_results_have_one_search_box_holding_the_words(client, content):
    html = page(client, "/search/", q="how do I ask about selling sex")
    boxes = html.find_all("input", type="search")
    assert len(boxes) == 1
    assert boxes[0]["value"] == "how do I ask about selling sex"
    assert html.find_all("header")[0].find("input", type="search") is boxes[0]
    # The words left out are named on one short line.
    assert text(html.find("p", class_="search-ignored")) == (
        "Words left out: how, do, i, about."
    )


def test_search_filters_fold_away_until_one_is_set(client, content):
    html = page(client, "/search/", q="grooming")
    filters = html.find("details", class_="search-filters")
    assert text(filters.find("summary")) == "Filter results"
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


@pytest.mark.parametrize(
    ("url", "first", "count"),
    [
        (f"/briefings/{BRIEFING}/", "Women involved in selling", 19),
        (f"/briefings/{BRIEFING}/encompass-snapshot/", "What the Encompass", 1),
        ("/practice-points/long-term-impact/", "Long term impact", 2),
        ("/snapshot/encompass-snapshot-2021/", "Encompass Snapshot 2021", 26),
        ("/in-their-words/", "Quote from", 4),
    ],
)
def test_one_cite_this_a_page_lists_what_each_reference_cites(
    client, content, url, first, count
):
    html = page(client, url)
    (details,) = html.find_all("details", class_="cite")
    items = details.find_all("li", class_="cite__item")
    assert len(items) == count
    # The page's own reference leads, and each names what it cites.
    labels = [text(item.find("p", class_="cite__label")) for item in items]
    assert labels[0].startswith(first)
    assert all(labels)
    links = [item.find("p", class_="cite__link").find("a")["href"] for item in items]
    assert len(set(links)) == len(links)


def test_pages_without_references_have_no_cite_this(client, content):
    assert not page(client, "/").find_all("details", class_="cite")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/practice-points/",
        "/practice-points/ask-the-question/",
        f"/briefings/{BRIEFING}/encompass-snapshot/",
    ],
)
def test_one_label_says_who_an_item_is_written_for(client, content, url):
    labels = page(client, url).find_all("p", class_="audiences")
    assert all(text(label).startswith("Written for ") for label in labels)


def test_the_practice_points_say_once_who_they_are_for(client, content):
    labels = page(client, "/practice-points/").find_all("p", class_="audiences")
    assert len(labels) == 1


def test_chart_values_stay_inside_the_drawing_and_gridlines_miss_the_labels(content):
    snapshot = Snapshot.objects.get(slug="encompass-snapshot-2021")
    chart = snapshot_chart(snapshot, snapshot.figures.published())
    for layout in (chart, chart.narrow):
        for bar in layout.bars:
            assert bar.text_x + len(bar.value_text) * VALUE_CHAR_WIDTH <= layout.width
            # The label's lines sit above the band the gridlines run in.
            label_bottom = bar.label_y + LINE_HEIGHT * (len(bar.label_lines) - 1) + 4
            assert label_bottom <= bar.grid_top
    # "121 of 150 (81%)" has no room beside its bar on a phone: a line above it.
    (bar,) = [b for b in chart.narrow.bars if b.value_text == "121 of 150 (81%)"]
    assert bar.text_y < bar.bar_y


def test_each_section_of_the_whole_briefing_ends_with_a_contents_link(client, content):
    html = page(client, f"/briefings/{BRIEFING}/")
    assert text(html.find(id="contents-heading")) == "Contents"
    parts = html.find_all("section", class_="briefing-section") + html.find_all(
        "section", class_="practice-point"
    )
    assert len(parts) > 10
    for part in parts:
        link = part.find("p", class_="to-contents").find("a")
        assert (link["href"], text(link)) == ("#contents-heading", "Contents")


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/whats-changed/follow/", "/whats-changed/feed/"),
        (
            f"/whats-changed/follow/briefings/{BRIEFING}/",
            f"/whats-changed/feed/briefings/{BRIEFING}/",
        ),
        (
            "/whats-changed/follow/snapshot/encompass-snapshot-2021/",
            "/whats-changed/feed/snapshot/encompass-snapshot-2021/",
        ),
    ],
)
def test_each_feed_has_a_page_saying_how_to_follow_it(client, content, url, feed):
    html = page(client, url)
    assert text(html.find("h1")).startswith("Follow ")
    address = html.find("code", attrs={"data-copy": "address"})
    assert text(address) == f"http://testserver{feed}"
    assert html.find("a", href=feed, type="application/atom+xml")
    assert "Thunderbird" in text(html)
    # A page like any other: the quick exit and the site's header.
    assert text(html.find("a", class_="quick-exit__button")) == "Leave this site"
    assert html.find_all("link", rel="alternate", href=feed)


def test_an_unknown_feed_page_is_404(client, content):
    assert client.get("/whats-changed/follow/briefings/nope/").status_code == 404
    assert client.get("/whats-changed/follow/snapshot/nope/").status_code == 404


def test_whats_changed_links_feed_pages_and_dates_without_a_format(client, content):
    html = page(client, "/whats-changed/")
    links = [
        a["href"] for a in html.find("section", class_="get-updates").find_all("a")
    ]
    assert links[0] == "/whats-changed/follow/"
    assert f"/whats-changed/follow/briefings/{BRIEFING}/" in links
    assert not any("/feed/" in link for link in links)
    # A date picker shows the reader's own date format: the label names none.
    assert text(html.find("label", attrs={"for": "since"})) == "Show changes since"
    assert "button" in html.find("form", class_="since-form").find("button")["class"]
