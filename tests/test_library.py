"""Several briefings: the shipped one and a second made by factories, everywhere
a reader looks (home, practice points, briefing pages, search, handouts, feeds
and What's changed)."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from handouts.models import HandoutPreset
from practice_points.models import PracticePoint
from tests.conftest import BRIEFING
from tests.editorial.test_reader_pages import noted_change
from tests.factories import second_briefing
from tests.pages import page_of, parse

HOUSING_TITLE = "Women in temporary accommodation: a briefing for housing officers"
SHIPPED_LEAD = "Practice points for substance misuse professionals working with"
HOUSING_LEAD = "Practice points for housing officers working with women"


@pytest.fixture
def housing(content):
    return second_briefing()


def link(page, text):
    """The one link reading ``text``."""
    (found,) = [a for a in page.find_all("a") if a.text == text]
    return found


def select(page, name):
    (found,) = [s for s in page.find_all("select") if s.attrs.get("name") == name]
    return found


def test_home_lists_every_briefing_with_who_it_is_for_and_a_link(client, housing):
    page = page_of(client, "/")
    entries = page.find("ul", class_="library-list").find_all(
        "li", class_="library-item"
    )
    titles = [entry.find("h3").text for entry in entries]
    assert titles[1] == HOUSING_TITLE
    assert titles[0].startswith("Women involved in selling or exchanging sex")
    second = entries[1]
    assert second.find("h3").find("a")["href"] == "/briefings/housing/"
    assert "Written for housing officers" in second.text
    assert "What housing officers can do" in second.text
    assert "Topic: Housing" in second.text
    # Its dates: only what was recorded (published on this site today).
    today = timezone.localdate()
    assert second.find("p", class_="page-dates").text.strip() == (
        f"Published {today.day} {today:%B %Y}"
    )
    # A library, not the first briefing's front page with its points.
    assert not page.find_all("h2", id="points-heading")


def test_library_dates_are_those_each_briefing_recorded(client, housing):
    housing.first_published = datetime.date(2025, 4, 1)
    housing.save()
    page = page_of(client, "/")
    entry = page.find_all("li", class_="library-item")[1]
    assert entry.find("p", class_="page-dates").text.strip() == "Published 1 April 2025"


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("audience=housing-officers", [HOUSING_TITLE]),
        ("topic=Housing", [HOUSING_TITLE]),
        ("audience=substance-misuse-professionals", ["shipped"]),
        ("audience=housing-officers&topic=Housing", [HOUSING_TITLE]),
    ],
)
def test_home_filters_by_audience_and_topic(client, housing, query, shown):
    page = page_of(client, f"/?{query}")
    titles = [h3.text for h3 in page.find("ul", class_="library-list").find_all("h3")]
    expected = [
        t
        if t != "shipped"
        else page_of(client, f"/briefings/{BRIEFING}/").find("h1").text
        for t in shown
    ]
    assert titles == expected
    assert link(page, "Show all")["href"] == "/"


def test_home_filter_form_is_a_get_form_offering_the_topics_editors_gave(
    client, housing
):
    form = page_of(client, "/").find("form", class_="filter-form")
    assert form["method"] == "get" and form["action"] == "/"
    topics = [o.text for o in select(form, "topic").find_all("option")]
    assert topics == ["All topics", "Housing"]


def test_home_with_an_unknown_filter_says_so_and_shows_every_briefing(client, housing):
    response = client.get("/?audience=nobody&topic=zzz")
    assert response.status_code == 200
    page = parse(response.content)
    assert "not ones the guidance is written for" in page.text
    assert "No published briefing has the topic asked for" in page.text
    assert len(page.find_all("li", class_="library-item")) == 2


def test_home_with_no_match_says_so(client, housing):
    page = page_of(client, "/?audience=housing-officers&topic=zzz")
    # An invalid topic is left off: the audience still narrows.
    assert len(page.find_all("li", class_="library-item")) == 1
    page = page_of(client, "/?audience=substance-misuse-professionals&topic=Housing")
    assert "No briefing matches these choices." in page.text
    assert link(page, "Show every briefing")["href"] == "/"


def test_a_briefing_without_an_author_does_not_say_by(client, housing):
    page = page_of(client, "/briefings/housing/")
    assert "By ." not in page.text
    assert not [p for p in page.find_all("p", class_="meta") if "By" in p.text]
    point = page_of(client, "/practice-points/ask-about-the-tenancy/")
    assert f"From {HOUSING_TITLE}." in point.text
    # The shipped briefing still names its author.
    assert "By Encompass Network." in page_of(client, f"/briefings/{BRIEFING}/").text


def test_briefing_page_shows_only_its_own_sections_and_points(client, housing):
    page = page_of(client, "/briefings/housing/")
    contents = page.find("nav", class_="contents").text
    assert "Keeping a tenancy" in contents
    assert "Practice points for housing officers" in contents
    assert "Ask about the tenancy" in contents
    assert "Recognise the diversity" not in page.text
    assert "substance misuse professionals" not in contents
    assert "They let me keep the flat." in page.text
    # "Cite this" for the briefing names it and its address.
    citation = page.find_all("details", class_="cite")[0].text
    assert HOUSING_TITLE in citation and "/briefings/housing/" in citation
    feeds = [
        link["href"] for link in page.find_all("link", type="application/atom+xml")
    ]
    assert "/whats-changed/feed/briefings/housing/" in feeds


@pytest.mark.slow  # renders a PDF
def test_briefing_print_pdf_and_offline_pack_are_its_own(client, housing):
    printed = page_of(client, "/briefings/housing/print/")
    assert "Keeping a tenancy" in printed.text
    assert "Recognise the diversity" not in printed.text
    offline = client.get("/briefings/housing.html")
    assert offline.status_code == 200
    assert 'filename="offline-copy-' in offline["Content-Disposition"]
    assert "housing" not in offline["Content-Disposition"]
    html = offline.content.decode()
    assert "Ask about the tenancy" in html and "Recognise the diversity" not in html
    pdf = client.get("/briefings/housing.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_practice_points_are_grouped_under_their_own_briefing_and_lead(client, housing):
    page = page_of(client, "/practice-points/")
    groups = page.find_all("section", class_="briefing-group")
    assert [g.find("h2").text for g in groups][1] == HOUSING_TITLE
    shipped, second = groups
    assert SHIPPED_LEAD in shipped.find("p", class_="lead").text
    assert HOUSING_LEAD in second.find("p", class_="lead").text
    assert [h3.text for h3 in second.find_all("h3")] == ["Ask about the tenancy"]
    assert "Ask about the tenancy" not in shipped.text
    assert SHIPPED_LEAD not in second.text


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("briefing=housing", [HOUSING_TITLE]),
        ("audience=housing-officers", [HOUSING_TITLE]),
        ("briefing=housing&audience=substance-misuse-professionals", []),
    ],
)
def test_practice_points_filter_by_briefing_and_audience(
    client, housing, query, titles
):
    page = page_of(client, f"/practice-points/?{query}")
    groups = page.find_all("section", class_="briefing-group")
    assert [g.find("h2").text for g in groups] == titles
    if not titles:
        assert "No practice points match these choices." in page.text


def test_practice_point_is_numbered_and_paged_within_its_briefing(client, housing):
    page = page_of(client, "/practice-points/ask-about-the-tenancy/")
    assert page.find(class_="eyebrow").text == "Practice point 1"
    previous = page.find("a", rel="prev")
    assert previous["href"] == "/practice-points/?briefing=housing"
    assert not page.find_all("a", rel="next")
    section = page_of(client, "/briefings/housing/tenancy/")
    assert section.find("a", rel="next")["href"] == "/practice-points/?briefing=housing"


def test_search_narrows_to_a_briefing_and_names_each_results_briefing(client, housing):
    everywhere = page_of(client, "/search/?q=tenancy")
    results = everywhere.find_all("li", class_="search-result")
    assert results
    named = [r.find_all("p", class_="search-result__briefing") for r in results]
    # Its section and practice point name it; items briefings share name none.
    assert sum(bool(n) for n in named) >= 2
    assert {n[0].text for n in named if n} == {f"From {HOUSING_TITLE}"}
    options = select(everywhere, "briefing").find_all("option")
    assert [o["value"] for o in options] == ["", BRIEFING, "housing"]

    both = page_of(client, "/search/?q=women")
    named = {p.text for p in both.find_all("p", class_="search-result__briefing")}
    assert len(named) == 2

    narrowed = page_of(client, "/search/?q=women&briefing=housing")
    urls = [
        h.find("a")["href"]
        for h in narrowed.find_all("h2", class_="search-result__title")
    ]
    assert urls and all(
        url.startswith(
            ("/briefings/housing/", "/practice-points/ask-about", "/in-their-words/")
        )
        for url in urls
    )
    shipped_only = page_of(client, "/search/?q=grooming&briefing=housing")
    assert "No results for “grooming” with these filters." in shipped_only.text


def test_a_search_with_no_results_names_every_briefing(client, housing):
    page = page_of(client, "/search/?q=xqzzv+blorf")
    (said,) = [p for p in page.select(".no-results p") if "briefings here" in p.text]
    shipped, housing_title = [a.text for a in said.find_all("a")][:2]
    assert shipped.startswith(SHIPPED_TITLE)
    assert housing_title == HOUSING_TITLE
    assert "This guidance covers" not in page.text


def test_search_with_one_briefing_names_none(client, content):
    page = page_of(client, "/search/?q=grooming")
    assert not page.find_all("p", class_="search-result__briefing")
    assert not [s for s in page.find_all("select") if s["name"] == "briefing"]


def builder_groups(page):
    """The builder's groups by heading, each as {subgroup legend: fieldset}."""
    return {
        fieldset.find_all("legend")[0].text.split(" (")[0]: {
            sub.find_all("legend")[0].text: sub
            for sub in fieldset.find_all("fieldset", class_="handout-subgroup")
        }
        for fieldset in page.find_all("fieldset", class_="handout-group")
    }


def kept_items(page):
    """Chosen items the builder sends with the form but does not list."""
    return [
        choice.find("input", type="checkbox")["value"]
        for choice in page.find_all("div", class_="choice")
        if "data-kept" in choice.attrs
    ]


SHIPPED_TITLE = "Women involved in selling or exchanging sex"


def test_handout_builder_lists_one_briefing_at_a_time_with_the_shared_items(
    client, housing
):
    page = page_of(client, "/handouts/")
    # The first briefing by default, and a choice of the others.
    briefing = select(page, "briefing")
    assert [o.text for o in briefing.find_all("option")][1] == HOUSING_TITLE
    assert briefing.find("option", selected=True).text.startswith(SHIPPED_TITLE)
    groups = builder_groups(page)
    (legend,) = groups["Practice points"]
    assert legend.startswith(f"From {SHIPPED_TITLE}")
    assert "Is anyone staying at the flat?" not in page.text
    assert f"From {HOUSING_TITLE} (1)" not in groups["In their words"]
    assert any(
        legend.startswith("Shared by the briefings")
        for legend in groups["In their words"]
    )

    page = page_of(client, "/handouts/?briefing=housing")
    groups = builder_groups(page)
    assert list(groups["Practice points"]) == [f"From {HOUSING_TITLE} (1)"]
    assert "Is anyone staying at the flat?" in page.text
    assert f"From {HOUSING_TITLE} (1)" in groups["In their words"]
    assert select(page, "briefing").find("option", selected=True)["value"] == "housing"
    assert "ask-the-question" not in str(page.find("form", class_="handout-form"))


def test_a_briefing_page_leads_to_the_builder_showing_its_items(client, housing):
    tools = page_of(client, "/briefings/housing/").find("p", class_="page-tools")
    builder = link(tools, "Make a handout from it")["href"]
    assert builder == "/handouts/?briefing=housing"
    groups = builder_groups(page_of(client, builder))
    assert list(groups["Practice points"]) == [f"From {HOUSING_TITLE} (1)"]


def test_choices_from_another_briefing_stay_on_the_handout(client, housing):
    chosen = (
        "item=practice-point:ask-the-question&item=practice-point:ask-about-the-tenancy"
    )
    # Adapting a handout shows the briefing of its first item.
    page = page_of(client, f"/handouts/?{chosen}")
    assert (
        select(page, "briefing")
        .find("option", selected=True)
        .text.startswith(SHIPPED_TITLE)
    )
    assert kept_items(page) == ["practice-point:ask-about-the-tenancy"]
    labels = [o.text for o in select(page, "briefing").find_all("option")]
    assert labels[1] == f"{HOUSING_TITLE} (1 chosen)"
    assert "1 item you chose from other briefings stays on the handout." in page.text
    assert page.find("p", attrs={"data-chosen-count": True}).text == "2 items chosen"

    # "Show its items" (no script) keeps every choice, in its order.
    response = client.get(
        f"/handouts/handout/?{chosen}&briefing=housing&action=briefing"
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.url).query)
    assert query["briefing"] == ["housing"]
    assert query["item"] == [
        "practice-point:ask-the-question",
        "practice-point:ask-about-the-tenancy",
    ]
    page = page_of(client, response.url)
    assert kept_items(page) == ["practice-point:ask-the-question"]
    tenancy = page.find("input", value="practice-point:ask-about-the-tenancy")
    assert "checked" in tenancy.attrs
    # The handout prints both briefings' points.
    handout = parse(client.get(f"/handouts/handout/?{chosen}", follow=True).content)
    assert "Ask the question" in handout.text
    assert "Is anyone staying at the flat?" in handout.text


def test_a_handout_credits_the_briefings_its_items_come_from(client, content):
    second_briefing(attribution="Housing Options Scotland")

    def credits(query):
        handout = parse(client.get(f"/handouts/handout/?{query}", follow=True).content)
        source = handout.find(class_="handout-source").text
        colophon = handout.find(class_="handout-colophon").text
        return source, colophon.partition(". Online")[0]

    tenancy = "item=practice-point:ask-about-the-tenancy"
    assert credits(tenancy) == (
        "Practice guidance from Housing Options Scotland",
        "Source: Housing Options Scotland",
    )
    both = f"{tenancy}&item=practice-point:ask-the-question"
    assert credits(both) == (
        "Practice guidance from Housing Options Scotland; Encompass Network, Scotland",
        "Source: Housing Options Scotland; Encompass Network, Scotland",
    )


def test_the_footer_credits_every_briefing_of_a_library(client, content):
    def footer(path):
        return page_of(client, path).find("footer").find("p").text

    assert footer("/glossary/").startswith(
        "Content from a practice briefing by the Encompass Network, Scotland:"
    )
    second_briefing(attribution="Housing Options Scotland")
    expected = (
        "Content from practice briefings by Encompass Network, Scotland; "
        "Housing Options Scotland."
    )
    for path in ("/", "/briefings/housing/", "/glossary/"):
        assert footer(path) == expected, path


def test_an_unknown_briefing_shows_another_and_says_so(client, housing):
    response = client.get("/handouts/?briefing=no-such-briefing")
    assert response.status_code == 200
    page = parse(response.content)
    assert "The briefing asked for is not published here" in page.text
    assert (
        select(page, "briefing")
        .find("option", selected=True)
        .text.startswith(SHIPPED_TITLE)
    )


def test_handout_builder_filter_keeps_to_the_briefing_shown(client, housing):
    page = page_of(client, "/handouts/?briefing=housing&q=flat")
    shown = [
        choice.find("label").text
        for choice in page.find_all("div", attrs={"data-choice": True})
        if "hidden" not in choice.attrs
    ]
    assert shown and all("flat" in label.lower() for label in shown)
    show_all = page.find("p", attrs={"data-show-all": True}).find("a")
    assert show_all.text == "Show all items of this briefing"
    assert parse_qs(urlsplit(show_all["href"]).query)["briefing"] == ["housing"]


def test_presets_still_work_in_a_library(client, housing):
    for preset in HandoutPreset.objects.all():
        response = client.get(preset.get_absolute_url(), follow=True)
        assert response.status_code == 200
        query = parse_qs(urlsplit(preset.get_absolute_url()).query)
        slugs = [i.split(":")[1] for i in query["item"] if i.startswith("practice-")]
        html = parse(response.content).text
        for point in PracticePoint.objects.filter(slug__in=slugs):
            assert point.title in html
        builder = client.get(preset.get_builder_url())
        assert builder.status_code == 200
        assert not kept_items(parse(builder.content))


def test_whats_changed_filters_by_briefing_page_and_feed(client, housing):
    tz = timezone.get_current_timezone()
    section = housing.sections.get()
    noted_change(
        section, "Added arrears advice", datetime.datetime(2025, 5, 1, tzinfo=tz)
    )
    shipped_point = PracticePoint.objects.get(slug="ask-the-question")
    noted_change(
        shipped_point, "Clearer wording", datetime.datetime(2025, 5, 2, tzinfo=tz)
    )

    everything = page_of(client, "/whats-changed/").text
    assert "Added arrears advice" in everything and "Clearer wording" in everything
    page = page_of(client, "/whats-changed/?briefing=housing")
    assert "Added arrears advice" in page.text
    assert "Clearer wording" not in page.text
    # The link leads to a page saying how to follow the feed, with its address.
    follow = link(page, "Follow these changes with a feed")
    assert follow["href"] == "/whats-changed/follow/briefings/housing/"
    feed_link = page_of(client, follow["href"]).find("a", type="application/atom+xml")
    assert feed_link["href"] == "/whats-changed/feed/briefings/housing/"
    feed = ET.fromstring(client.get(feed_link["href"]).content)
    summaries = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}summary")]
    assert summaries == ["Added arrears advice"]
    # Its author is not invented: the feed is the site's.
    author = feed.find("{http://www.w3.org/2005/Atom}author")
    assert author.findtext("{http://www.w3.org/2005/Atom}name") == "Encompass Guidance"


def test_filtered_pages_are_cached_apart(client, housing):
    """Each filter is its own cached page: one never answers for another."""
    for url in [
        "/",
        "/?topic=Housing",
        "/practice-points/?briefing=housing",
        "/practice-points/",
        "/whats-changed/?briefing=housing",
    ]:
        first = client.get(url).content
        assert client.get(url).content == first
    assert client.get("/?topic=Housing").content != client.get("/").content
    assert (
        client.get("/practice-points/?briefing=housing").content
        != client.get("/practice-points/").content
    )


@pytest.mark.slow  # reads every address
def test_every_existing_address_still_answers(client, housing):
    for url in [
        "/",
        f"/briefings/{BRIEFING}/",
        f"/briefings/{BRIEFING}/print/",
        f"/briefings/{BRIEFING}.html",
        "/practice-points/",
        "/practice-points/ask-the-question/",
        "/whats-changed/",
        f"/whats-changed/feed/briefings/{BRIEFING}/",
        "/handouts/",
        "/search/?q=housing",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(f"/briefings/{BRIEFING}/print.pdf").status_code == 301


def test_editors_set_a_briefings_topic_and_practice_points_headings(
    admin_client, housing
):
    response = admin_client.get(f"/admin/guidance/briefing/{housing.pk}/change/")
    assert response.status_code == 200
    form = parse(response.content)
    for name in ("topic", "practice_points_title", "practice_points_intro"):
        (field,) = [
            f
            for f in form.find_all()
            if f.name in ("input", "textarea") and f.attrs.get("name") == name
        ]
    # Author may be left blank.
    (author,) = [f for f in form.find_all("input") if f.attrs.get("name") == "author"]
    assert "required" not in author.attrs
