"""What a reader sees on /search/: ranked, highlighted, filtered, paged, forgiving."""

import re

import pytest

from search.models import BestBet, Synonym
from tests.conftest import BRIEFING
from tests.factories import BriefingFactory, SectionFactory
from tests.pages import parse, text


def marked(element):
    """The words highlighted in ``element``."""
    return [text(mark) for mark in element.find_all("mark")]


def results(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def result_urls(html):
    return [
        title.find("a")["href"]
        for title in parse(html).find_all(class_="search-result__title")
    ]


def result_titles(html):
    return [
        text(title.find("a"))
        for title in parse(html).find_all(class_="search-result__title")
    ]


@pytest.mark.parametrize(
    ("q", "url"),
    [
        # The examples.
        ("food", "/practice-points/the-exchange-may-not-be-for-money/"),
        ("employability", "/practice-points/risk-reduction-and-support-to-exit/"),
        ("PhD", "/practice-points/recognise-the-diversity-of-experiences/"),
        ("Perth", "/local-support/rape-and-sexual-abuse-centre-perth-kinross/"),
        ("welfare rights", "/practice-points/risk-reduction-and-support-to-exit/"),
        (
            "GP",
            "/practice-points/person-centred-approach/"
            "#reflectivequestion-barriers-to-support",
        ),
        # Situations in plain words.
        (
            "she's staying with him for somewhere to sleep",
            "/practice-points/ask-the-question/#prompt-somewhere-to-stay",
        ),
        ("injecting", "/practice-points/drug-and-alcohol-use-may-be-a-factor/"),
        ("her kids", "/in-their-words/#natalia-lost-my-kids"),
        ("GPs", "/practice-points/person-centred-approach/"),
        ("shelter", "/practice-points/the-exchange-may-not-be-for-money/"),
        ("confidentiality", "/practice-points/ask-the-question/"),
        ("stigma", "/practice-points/individuals-may-hide-their-involvement/"),
        ("domestic abuse", "/snapshot/encompass-snapshot-2021/#figure-domestic-abuse"),
        ("National Ugly Mugs", "/practice-points/risk-reduction-and-support-to-exit/"),
        ("re-traumatising", "/practice-points/person-centred-approach/"),
        # English stemming: the word as typed need not be the word as written.
        ("groomed", f"/briefings/{BRIEFING}/grooming-and-recruitment/"),
        ("grooming", "/in-their-words/#levi-groomed-at-court"),
        ("exiting", "/practice-points/risk-reduction-and-support-to-exit/"),
        ("apprehended", "/snapshot/#study-figure-canada-child-apprehended"),
        ("Vice Versa", "/local-support/vice-versa/"),
        ("TARA", "/resources/#tara"),
    ],
)
def test_query_finds_the_right_item_in_the_top_three(client, content, q, url):
    assert url in result_urls(results(client, q))[:3]


def test_each_result_has_a_title_link_kind_and_highlighted_snippet(client, content):
    html = results(client, "employability")
    page = parse(html)
    item = page.find_all("li", class_="search-result")[0]
    title = item.find("h2", class_="search-result__title").find("a")
    assert text(title) == "Take a risk reduction approach & offer support to exit"
    assert text(item.find(class_="search-result__kind")) == "Practice point"
    assert "employability" in marked(item)
    assert search_count(html).startswith("1 result for")


def test_titles_rank_above_bodies(client, no_content):
    briefing = BriefingFactory()
    body = SectionFactory(
        briefing=briefing, title="Other help", body="Housing. Housing advice. Housing."
    )
    title = SectionFactory(
        briefing=briefing, title="Housing", body="Help to find a home."
    )
    urls = result_urls(results(client, "housing"))
    assert urls == [title.get_absolute_url(), body.get_absolute_url()]


def test_phrases_rank_above_scattered_words(client, no_content):
    briefing = BriefingFactory()
    scattered = SectionFactory(
        briefing=briefing,
        title="Scattered",
        body="Her health matters. Sexual consent is discussed. Health, health.",
    )
    phrase = SectionFactory(
        briefing=briefing, title="Phrase", body="Offer a sexual health clinic."
    )
    urls = result_urls(results(client, "sexual health"))
    assert urls == [phrase.get_absolute_url(), scattered.get_absolute_url()]


@pytest.mark.parametrize("q", ["prostitution", "sex work", "sex worker"])
def test_seeded_synonyms_widen_a_search(client, no_content, q):
    section = SectionFactory(
        title="Mothers",
        body="Women selling or exchanging sex as mothers.",
    )
    html = results(client, q)
    assert section.get_absolute_url() in result_urls(html)
    assert {"selling or exchanging sex", "sex"} & set(marked(parse(html)))


def test_abbreviation_finds_its_expansion(client, content):
    urls = result_urls(results(client, "violence against women"))
    assert "/practice-points/risk-reduction-and-support-to-exit/" in urls
    urls = result_urls(results(client, "VAW"))
    assert "/practice-points/risk-reduction-and-support-to-exit/" in urls


def test_an_editor_can_add_synonyms(client, no_content):
    section = SectionFactory(title="Sofa surfing", body="Nowhere fixed.")
    assert result_urls(results(client, "homelessness")) == []
    Synonym.objects.create(terms="homelessness\nsofa surfing")
    assert result_urls(results(client, "homelessness")) == [section.get_absolute_url()]


def test_cse_finds_both_meanings(client, content):
    urls = result_urls(results(client, "CSE"))
    assert "/research/#links-between-cse-and-prostitution" in urls
    assert "/snapshot/encompass-snapshot-2021/#figure-children-removed-headline" in urls


def test_misspelt_query_still_finds_the_item(client, content):
    html = results(client, "employabilty")
    assert "Did you mean" in html or "Showing results for" in html
    assert 'href="?q=employability"' in html
    assert "/practice-points/risk-reduction-and-support-to-exit/" in result_urls(html)


def test_misspelt_word_among_others_is_corrected(client, content):
    html = results(client, "grooimng young people")
    assert 'href="?q=grooming+young+people"' in html
    assert f"/briefings/{BRIEFING}/grooming-and-recruitment/" in (result_urls(html)[:3])


def test_no_results_page_helps(client, content):
    html = results(client, "zzyzx qqqqq")
    assert result_urls(html) == []
    assert "No results for “zzyzx qqqqq”" in html
    suggestions = parse(html).find("div", class_="no-results")
    assert suggestions.find_all("a", href="/practice-points/")
    assert "Check the spelling" in html


def test_empty_query_shows_the_form_and_examples(client, no_content):
    html = results(client, "")
    box = parse(html).find("input", id="site-search-q")
    assert (box["type"], box["name"]) == ("search", "q")
    assert not box.attrs.get("value")
    assert "somewhere to stay" in html


def test_only_stop_words_says_so(client, content):
    html = results(client, "the and of")
    assert "has no words we can search for" in html


def test_filter_by_kind(client, content):
    html = results(client, "exploitation", kind="research")
    urls = result_urls(html)
    assert urls and all(url.startswith("/research/") for url in urls)
    chosen = parse(html).find("option", value="research")
    assert "selected" in chosen.attrs and text(chosen).startswith("Research (")


def search_count(html):
    """What the page says it found, e.g. "3 results for ..."."""
    return text(parse(html).find(class_="search-count"))


def test_the_old_name_of_a_kind_still_filters(client, content):
    old = results(client, "stay", kind="prompt")
    assert result_urls(old) == result_urls(results(client, "stay", kind="question"))
    assert '<option value="question" selected>Example question (' in old


def count(html):
    return int(re.match(r"(\d+) result", search_count(html)).group(1))


def test_filter_by_audience_keeps_items_written_for_everyone(client, content):
    cfsw, smp = "children-and-families-social-work", "substance-misuse-professionals"
    everyone = results(client, "women")
    html = results(client, "women", audience=cfsw)
    urls = result_urls(html)
    # The introduction addresses the practice points to social workers too.
    assert any(url.startswith("/practice-points/") for url in urls)
    # Sections written for social workers alone are left out for the others.
    assert 0 < count(results(client, "women", audience=smp)) < count(everyone)
    # Figures are tagged for no one: written for everyone, so they stay.
    assert any(url.startswith("/snapshot/") for url in urls)
    left_out = f"/briefings/{BRIEFING}/left-out-in-the-cold/"
    assert left_out in result_urls(
        results(client, "women", audience=cfsw, kind="section")
    )
    assert left_out not in result_urls(
        results(client, "women", audience=smp, kind="section")
    )


def test_unknown_filters_are_ignored(client, content):
    html = results(client, "food", kind="nonsense", audience="'; drop", page="x")
    assert result_urls(html)


def test_results_are_paged(client, no_content):
    briefing = BriefingFactory()
    for n in range(25):
        SectionFactory(
            briefing=briefing, title=f"Outreach {n:02}", body="Outreach work."
        )
    first = results(client, "outreach")
    assert len(result_urls(first)) == 10
    assert "25 results for" in first and "page 1 of 3" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = results(client, "outreach", page=2)
    assert parse(second).find("ol", class_="search-results")["start"] == "11"
    assert not set(result_urls(first)) & set(result_urls(second))
    assert 'rel="prev"' in second
    last = results(client, "outreach", page=3)
    assert len(result_urls(last)) == 5 and 'rel="next"' not in last
    beyond = results(client, "outreach", page=99)
    assert "There are no more results" in beyond


def test_search_box_in_every_page_header(client, content):
    for url in ["/", "/practice-points/", "/snapshot/", "/search/?q=food"]:
        header = parse(client.get(url)).find_all("header")[0]
        assert header.find("form", role="search")["method"] == "get"
        assert header.find("label", attrs={"for": "site-search-q"})
        assert header.find("input", id="site-search-q")["name"] == "q"


def test_results_page_is_accessible_html(client, content):
    page = parse(results(client, "food"))
    assert len(page.find_all("h1")) == 1
    assert page.find("html")["lang"] == "en-GB"
    assert not client.get("/search/", {"q": "food"}).cookies


def snippets(html):
    return parse(html).find_all("p", class_="search-result__snippet")


def test_snippet_shows_where_it_cuts_the_text(client, no_content):
    briefing = BriefingFactory()
    filler = " ".join(f"filler{n}" for n in range(80))
    SectionFactory(
        briefing=briefing, title="Long", body=f"{filler} the outreach van {filler}"
    )
    SectionFactory(
        briefing=briefing, title="Short", body="The outreach van calls today."
    )
    short, long = sorted(
        snippets(results(client, "outreach van")), key=lambda p: len(text(p))
    )
    assert text(long).startswith("…") and text(long).endswith("…")
    assert "outreach" in marked(long)
    assert not text(short).startswith("…") and not text(short).endswith("…")


def test_the_guidance_ranks_above_a_glossary_definition(client, content):
    # The glossary's "survival sex" also mentions food, in far fewer words.
    urls = result_urls(results(client, "food"))
    assert urls == [
        "/practice-points/the-exchange-may-not-be-for-money/",
        "/glossary/#survival-sex",
    ]


def test_the_word_typed_ranks_above_its_synonyms(client, no_content):
    briefing = BriefingFactory()
    Synonym.objects.create(terms="shelter\nhousing")
    synonym = SectionFactory(
        briefing=briefing,
        title="Advice",
        body="Housing advice. Housing options. Housing.",
    )
    typed = SectionFactory(
        briefing=briefing,
        title="Needs",
        body="Food, shelter and a long list of other needs.",
    )
    urls = result_urls(results(client, "shelter"))
    assert urls == [typed.get_absolute_url(), synonym.get_absolute_url()]


@pytest.mark.parametrize(
    ("typed", "known", "meant"),
    [
        ("employabilty", "employability", "employability"),  # a letter missing
        ("grooimng", "grooming", "grooming"),  # two letters swapped
        ("alchohol", "alcohol", "alcohol"),  # a letter extra
        ("reccomend", "recommend", "recommend"),  # two slips in a long word
        ("sleeping", "seeing", None),  # two slips in a short word: another word
        ("housing", "using", None),  # a typo keeps the first letter
    ],
)
def test_what_a_misspelt_word_likely_meant(typed, known, meant):
    from search.backends import likely_meant

    assert likely_meant(typed, [(known, 3), ("unrelated", 9)]) == meant


def test_a_real_word_the_content_lacks_is_not_corrected(client, no_content):
    SectionFactory(title="Seeing", body="Seeing a GP.")
    html = results(client, "sleeping")
    assert "Did you mean" not in html and "Showing results for" not in html
    assert "No results for “sleeping”" in html


def test_a_word_the_stemmer_matches_is_not_misspelt(client, no_content):
    section = SectionFactory(title="Plans", body="We make plans.")
    html = results(client, "sweetheart makes")
    assert "Did you mean" not in html
    assert result_urls(html) == [section.get_absolute_url()]


def test_a_correction_is_offered_only_if_it_finds_something(client, no_content):
    SectionFactory(title="Advocacy", body="Independent advocacy.")
    assert 'href="?q=advocacy"' in results(client, "advocasy")
    # Among research, which never mentions advocacy, the correction finds nothing.
    html = results(client, "advocasy", kind="research")
    assert "advocacy" not in html.split("<main", 1)[1].split("</form>", 1)[1]


@pytest.mark.parametrize(
    ("q", "url"),
    [
        ("Glasgow", "/local-support/routes-out/"),
        ("support in Glasgow", "/local-support/routes-out/"),
        ("services in Dundee", "/local-support/vice-versa/"),
        ("organisation in Glasgow", "/local-support/routes-out/"),
        ("Edinburgh", "/local-support/another-way/"),
    ],
)
def test_a_place_finds_its_organisations_own_page_first(client, content, q, url):
    assert result_urls(results(client, q))[0] == url


def test_a_referral_question_finds_the_organisation_near_the_top(client, content):
    # The source says nothing of referrals, so an organisation's search text
    # no longer claims them (issue 26): the place alone brings it up.
    urls = result_urls(results(client, "where can I refer someone in Glasgow"))
    assert "/local-support/routes-out/" in urls[:3]


def test_an_organisation_is_found_on_its_own_page_without_best_bets(client, content):
    BestBet.objects.all().delete()
    assert result_urls(results(client, "Routes Out"))[0] == (
        "/local-support/routes-out/"
    )
    # The Snapshot section lists every organisation with its place, and on
    # PostgreSQL it can rank above the organisation's own page for a place name.
    assert "/local-support/routes-out/" in result_urls(results(client, "Glasgow"))[:3]
