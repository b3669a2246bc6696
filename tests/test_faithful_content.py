"""The site holds the whole source briefing, faithfully."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone

from editorial.content import content_models
from guidance.models import Quote, Resource, Section
from practice_points.models import PracticeListItem, PracticePoint
from snapshot.models import Figure, Organisation, Snapshot
from tests.conftest import BRIEFING, SHARED_SOURCE, SOURCE
from tests.pages import parse


def words(text):
    text = (
        text.replace("’", "'")
        .replace("‘", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
    )
    return re.findall(r"[a-z]+", text.lower())


def site_text(client):
    pages = [f"/briefings/{BRIEFING}/", "/resources/", "/research/", "/snapshot/"]
    html = " ".join(client.get(url).content.decode() for url in pages)
    return " ".join(words(unescape(re.sub(r"<[^>]+>", " ", html))))


# Obvious typos in the source, fixed on the site.
TYPOS = {
    "anyone every made": "anyone ever made",
    "identifed": "identified",
    "that a women": "that a woman",
    "had, had children": "had had children",
}


def source_paragraphs(source_text):
    for wrong, right in TYPOS.items():
        source_text = source_text.replace(wrong, right)
    source_text = re.sub(r"</?u>", "", source_text)  # stray markup, not content
    for paragraph in re.split(r"\n\s*\n", source_text):
        # Each item of a list is a paragraph of its own.
        for item in re.split(r"\n\s*-\s*", paragraph.strip()):
            if len(item) > 30 and not item.isupper():
                yield item


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="no shared/ beside the repo")
def test_the_repo_copy_of_the_source_is_current():
    assert SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


@pytest.mark.slow  # reloads the whole content
def test_fixtures_load_twice_without_duplicates(content):
    counts = {model: model.objects.count() for model in content_models()}
    call_command("load_content", verbosity=0)
    assert {model: model.objects.count() for model in content_models()} == counts
    assert all(counts.values())


def test_load_content_if_empty_keeps_editor_changes(content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    point.title = "Edited by an editor"
    point.save()
    call_command("load_content", "--if-empty", verbosity=0)
    point.refresh_from_db()
    assert point.title == "Edited by an editor"


def test_every_paragraph_of_the_source_is_on_the_site(client, content, source_text):
    """Each paragraph's runs of five words appear on the site. Figures are data
    rendered as "N of M women (P%)", so text around a number may differ more."""
    site = site_text(client)
    for paragraph in source_paragraphs(source_text):
        has_figures = bool(re.search(r"\d", paragraph))
        runs = [
            run for run in re.split(r"\d[\d.,%]*", paragraph) if len(words(run)) >= 6
        ]
        for run in runs:
            tokens = words(run)
            shingles = [" ".join(tokens[i : i + 5]) for i in range(len(tokens) - 4)]
            found = sum(shingle in site for shingle in shingles)
            assert found / len(shingles) >= (0.5 if has_figures else 0.85), run


def test_every_heading_of_the_source_has_a_home(client, content, source_text):
    site = site_text(client)
    headings = [
        p.strip() for p in re.split(r"\n\s*\n", source_text) if p.strip().isupper()
    ]
    covered = ["recognise the diversity", "drug alcohol use may be a factor",
               "the exchange may not be for money", "hide their involvement",
               "ask the question", "risk reduction approach", "person centred approach",
               "long term impact", "trauma informed approach", "further resources",
               "research", "practice points for substance misuse professionals"]  # fmt: skip
    assert len(headings) >= 12
    for phrase in covered:
        assert phrase in site, phrase


@pytest.mark.parametrize(
    ("slug", "count", "denominator", "published"),
    [
        ("under-18-when-first-involved", 31, 150, "20"),
        ("images-under-16", 3, None, None),
        ("children-removed", 32, 150, "21"),
        ("children-affected", 51, None, None),
        ("domestic-abuse", 81, 150, "54"),
        ("domestic-abuse-excluding-tara", None, None, "83"),
        ("childhood-sexual-abuse", 35, 150, "23.5"),
        ("childhood-sexual-abuse-excluding-tara", None, None, "36"),
        ("children-removed-headline", 32, 150, "20"),
        ("mental-health-issue", 121, 150, "80"),
        ("anxiety-or-depression", 102, None, None),
    ],
)
def test_snapshot_figures_are_the_source_numbers(
    content, slug, count, denominator, published
):
    figure = Figure.objects.get(slug=slug)
    assert (figure.count, figure.denominator) == (count, denominator)
    expected = Decimal(published) if published else None
    assert figure.published_percentage == expected


def test_canadian_barriers_are_kept_with_their_printed_precision(client, content):
    html = client.get(f"/briefings/{BRIEFING}/research-from-canada/").content.decode()
    for printed in ["16.3%", "15.3%", "15.1%", "13.0%", "10%", "37%", "38%"]:
        assert printed in html


def test_snapshot_describes_150_women_and_seven_organisations(client, content):
    snapshot = Snapshot.objects.get()
    assert snapshot.women_count == 150
    assert snapshot.organisations.count() == 7
    html = client.get(snapshot.get_absolute_url()).content.decode()
    assert "a week in November 2021" in html
    assert "Rape and Sexual Abuse Centre" in html and "Perth &amp; Kinross" in html


def test_the_snapshot_summary_is_the_sources_sentence_wherever_it_is_shown(
    client, content, source_text
):
    sentence = (
        "Over a week in November 2021 the 7 organisations that make up the "
        "Encompass Network supported 150 women who had been involved in selling "
        "or exchanging sex or images."
    )
    assert sentence in source_text
    snapshot = Snapshot.objects.get()
    assert snapshot.summary(html=False) == sentence
    for url in ["/", snapshot.get_absolute_url(), f"/briefings/{BRIEFING}/"]:
        text = unescape(re.sub(r"<[^>]+>", "", client.get(url).content.decode()))
        assert sentence in text, url


def test_stray_markup_in_the_source_is_not_shown_as_text(client, content):
    html = client.get("/research/").content.decode()
    assert "&lt;u&gt;" not in html and "<u>" not in html
    assert "Recognising the commercial nexus" in html


def test_quotes_keep_their_speaker_and_source(content):
    speakers = {q.slug: (q.speaker, q.source.title) for q in Quote.objects.all()}
    assert speakers == {
        "natalia-lost-my-kids": ("Natalia", "Inside Outside"),
        "levi-groomed-at-court": ("Levi", "Inside Outside"),
        "levi-numbed": ("Levi", "Inside Outside"),
        "wendy-box": ("Wendy", "Inside Outside"),
    }


def test_exchange_list_is_data(content):
    items = PracticeListItem.objects.filter(
        practice_list__slug="what-sex-may-be-exchanged-for"
    )
    assert [i.text for i in items] == [
        "Drugs / alcohol",
        "food",
        "shelter",
        "protection",
        "transport",
    ]


def test_resources_keep_their_links(content):
    urls = set(Resource.objects.values_list("url", flat=True))
    assert (
        "https://hub.careinspectorate.com/media/4362/trauma-informed-practice-a-toolkit-for-scotland.pdf"
        in urls
    )
    assert "https://youmysister.org.uk/" in urls


# --- Issue 15: the site says nothing the source does not ---------------------

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|"
    "November|December"
)
DATE = re.compile(rf"\b(?:\d{{1,2}} (?:{MONTHS}) \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b")
PRESETS = ["one-page-asking-the-question", "snapshot-and-practice"]


def reader_pages():
    """Every kind of page a reader can open, print or download."""
    points = list(PracticePoint.objects.published())
    sections = list(Section.objects.published())
    return [
        "/",
        f"/briefings/{BRIEFING}/",
        f"/briefings/{BRIEFING}/print/",
        *(s.get_absolute_url() for s in sections),
        "/practice-points/",
        *(p.get_absolute_url() for p in points),
        "/snapshot/",
        "/snapshot/encompass-snapshot-2021/",
        "/snapshot/compare/",
        "/snapshot/encompass-snapshot-2021/figures.csv",
        "/snapshot/encompass-snapshot-2021/figures.json",
        "/snapshot/other-studies.csv",
        "/snapshot/other-studies.json",
        "/local-support/",
        *(o.get_absolute_url() for o in Organisation.objects.all()),
        "/in-their-words/",
        "/resources/",
        "/research/",
        "/glossary/",
        "/handouts/",
        *(f"/handouts/presets/{slug}/" for slug in PRESETS),
    ]


def page_texts(client):
    texts = {}
    for url in reader_pages():
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = b"".join(response).decode() if response.streaming else None
        html = body or response.content.decode()
        html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)  # the table says it
        texts[url] = text_of(html)
    return texts


BLOCK_TAG = re.compile(
    r"</?(?:p|li|h\d|t[dhr]|div|d[tdl]|br|[uo]l|section|nav|title)\b[^>]*>"
)


def text_of(html):
    """What a reader reads: inline tags vanish, blocks are kept apart."""
    html = re.sub(r"<(?:script|style).*?</(?:script|style)>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", "", BLOCK_TAG.sub(" ", html))
    return " ".join(unescape(html).split())


def visible_dates(text):
    today = timezone.localdate()
    printed = {f"{today.day} {today:%B %Y}", today.isoformat()}
    return {d for d in DATE.findall(text) if d not in printed}


@pytest.mark.slow  # reads every page
def test_no_page_shows_a_date_nobody_recorded(client, content):
    """Loaded content has no date: not the invented 1 December 2021, not any."""
    for url, text in page_texts(client).items():
        assert "1 December 2021" not in text, url
        assert "Content dated" not in text and "Last updated" not in text, url
        assert not visible_dates(text), (url, visible_dates(text))


def test_a_change_saved_with_a_note_dates_the_page_and_its_printout(client, content):
    point = PracticePoint.objects.get(slug="ask-the-question")
    point._change_reason = "Clarified the example questions"
    point.save()
    today = timezone.localdate()
    html = unescape(client.get(point.get_absolute_url()).content.decode())
    shown = f"{today.day} {today:%B %Y}"
    text = text_of(html)
    assert f"Last updated {shown}" in text
    assert "Content dated" in text and shown in text
    assert "1 December 2021" not in html
    # Its first edit here is not when the briefing published it.
    assert "Published" not in parse(html).find("p", class_="page-dates").text


def test_the_snapshot_period_is_stored_and_shown_as_the_source_states_it(
    client, content, source_text
):
    snapshot = Snapshot.objects.get()
    assert "Over a week in November 2021" in source_text
    assert (snapshot.period_month, snapshot.period_length) == ("2021-11", "one week")
    assert snapshot.period_label == "a week in November 2021"
    data = client.get("/snapshot/encompass-snapshot-2021/figures.json").json()
    assert "period_start" not in data["snapshot"]
    assert "period_end" not in data["snapshot"]
    assert data["snapshot"]["period_month"] == "2021-11"
    today = timezone.localdate()
    for url, text in page_texts(client).items():
        text = text.replace(f"{today.day} {today:%B %Y}", "")  # printed today
        for invented in ["2021-11-01", "2021-11-30", "30 November", "1 November"]:
            assert invented not in text, (url, invented)


def test_quotes_page_does_not_call_the_names_pseudonyms(client, content):
    html = client.get("/in-their-words/").content.decode()
    assert "pseudonym" not in html.lower()
    assert "pseudonym" not in source_paragraphs(SOURCE.read_text())


def test_canadian_research_is_not_credited_to_a_reference_the_source_does_not_link(
    client, content
):
    snapshot = client.get("/snapshot/").content.decode()
    section = client.get(
        f"/briefings/{BRIEFING}/research-from-canada/"
    ).content.decode()
    assert "Source: Sex Work and Motherhood" not in snapshot
    assert "listed in the references" in snapshot
    assert "Sex Work and Motherhood" not in section
    rows = client.get("/snapshot/other-studies.json").json()["figures"]
    canada = [r for r in rows if r["slug"].startswith(("canada", "barrier"))]
    assert canada and all(r["source"] != "Sex Work and Motherhood" for r in canada)


def _plain(text):
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def test_every_glossary_definition_is_checkable_against_the_source(
    content, source_text
):
    from guidance.models import GlossaryTerm

    source = _plain(source_text)
    terms = list(GlossaryTerm.objects.published())
    assert terms
    for term in terms:
        definition = term.definition
        for claim in ["Encompass Network uses", "another name", "also called"]:
            assert claim not in definition, term.term
        quoted = re.findall(r"“([^”]+)”", definition)
        assert quoted, f"{term.term}: quote the briefing so it can be checked"
        for quote in quoted:
            assert _plain(quote) in source, (term.term, quote)
    bpd, eupd = (GlossaryTerm.objects.get(slug=s) for s in ["bpd", "eupd"])
    assert "separately" in bpd.definition and "separately" in eupd.definition


@pytest.mark.slow  # reads every page
def test_counts_the_source_gives_without_a_denominator_stay_that_way(client, content):
    texts = page_texts(client)
    for url, text in texts.items():
        for invented in ["3 of 150", "102 of 150", "(2%)", "(68%)"]:
            assert invented not in text, (url, invented)
    briefing = texts[f"/briefings/{BRIEFING}/"]
    assert "3 women disclosed that they had shared intimate images" in briefing
    assert "the majority of women (102) experienced anxiety" in briefing
    from snapshot.views import snapshot_context

    chart = snapshot_context()["chart"]  # the page's own context
    charted = {row[0] for row in chart.rows}
    assert "Shared intimate images online under 16" not in charted
    assert "Anxiety and or depression" not in charted


def test_presets_place_quotes_where_the_source_does(content):
    from handouts.models import HandoutPreset

    for preset in HandoutPreset.objects.all():
        items = QueryDict(preset.query).getlist("item")
        for item in items:
            kind, _, slug = item.partition(":")
            if kind != "quote":
                continue
            quote = Quote.objects.get(slug=slug)
            homes = {f"practice-point:{p.slug}" for p in quote.practice_points.all()}
            assert homes & set(items), (preset.slug, slug, homes)
    asking = HandoutPreset.objects.get(slug="one-page-asking-the-question")
    assert "levi-numbed" not in asking.query


NOTE = "(The source briefing printed this as 20%.)"


def test_the_printed_percentage_note_is_wherever_the_computed_one_is(client, content):
    home = unescape(client.get("/").content.decode())
    assert "31 of 150 women (21%)" in home and NOTE in home
    builder = unescape(client.get("/handouts/").content.decode())
    assert "31 of 150 women (21%)" in builder and NOTE in builder
    from snapshot.views import snapshot_context

    chart = snapshot_context()["chart"]  # the page's own context
    bar = next(b for b in chart.bars if b.label == "Under 18 when first involved")
    assert NOTE in " ".join(bar.label_lines)
    svg = re.search(r"<svg.*?</svg>", client.get("/snapshot/").content.decode(), re.S)
    assert NOTE in unescape(svg.group(0))


def test_the_note_comes_after_the_sentence_never_inside_it(client, content):
    for url in [
        f"/briefings/{BRIEFING}/",
        f"/briefings/{BRIEFING}/encompass-snapshot/",
    ]:
        text = text_of(client.get(url).content.decode())
        assert ".)." not in text and ".);" not in text and ".)," not in text, url
        assert f"or images. {NOTE} 3 women" in text, url


def test_teasers_are_a_whole_sentence_of_the_source_or_end_in_an_ellipsis(
    client, content, source_text
):
    source = _plain(source_text)
    home = unescape(client.get("/").content.decode())
    listing = unescape(client.get("/practice-points/").content.decode())
    for point in PracticePoint.objects.published():
        summary = _plain(point.summary)
        if summary.endswith("…"):
            assert summary[:-1] in source, point.slug
        else:
            sentence = summary.rstrip(".")
            at = source.find(sentence)
            assert at >= 0, point.slug
            after = source[at + len(sentence) : at + len(sentence) + 1]
            assert after in {".", "\n", ""}, (point.slug, after)
        page = parse(client.get(point.get_absolute_url()).content)
        assert (
            page.find("meta", attrs={"name": "description"})["content"] == point.summary
        )
        assert point.summary in home and point.summary in listing
    hide = PracticePoint.objects.get(slug="individuals-may-hide-their-involvement")
    assert "something they do for survival or to meet these needs" in hide.summary


def test_the_canadian_list_keeps_its_opening_quotation_mark(client, content):
    html = unescape(
        client.get(f"/briefings/{BRIEFING}/research-from-canada/").content.decode()
    )
    assert "(to accessing social support) ‘cited were;" in html


def test_open_data_labels_keep_their_words_and_qualifiers(client, content):
    rows = {
        r["slug"]: r
        for r in client.get("/snapshot/other-studies.json").json()["figures"]
    }
    england = rows["lotc-england-children-in-care"]
    assert england["qualifier"] == "less than"
    assert "less than 1%" in england["text"]
    for row in rows.values():
        label = row["label"]
        assert not re.search(r"\bthan of\b|^For ,|^Of |\s,|\(\s*\)", label), label
        assert label[:1].isupper()
    page = text_of(client.get("/snapshot/").content.decode())
    assert "an estimated less than 1% of children in England" in page


def _numbers(text):
    """Numbers as values: "54.0" and "54" are the same number."""
    found = re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])", text)
    return {format(Decimal(n).normalize(), "f") for n in found}


# Percentages computed from the source's own counts over its 150 women, each shown
# with "The source briefing printed this as ..." (the display policy).
COMPUTED = {"21", "23", "81", "20.7", "21.3", "23.3", "80.7"}


@pytest.mark.slow  # reads every page
def test_no_page_shows_a_count_or_denominator_absent_from_the_source(
    client, content, source_text
):
    allowed = _numbers(source_text) | COMPUTED
    today = timezone.localdate()
    allowed |= {str(today.day), str(today.year)}
    # "Practice point 2": the editors' order, not a figure.
    allowed |= {str(p.position) for p in PracticePoint.objects.published()}
    # Numbers the source writes in words ("Six of the women", "Twelve") and the
    # ends of a chart's scale ("from 0 to 100%").
    allowed |= {"6", "12", "5", "3", "0", "100"}
    for url, text in page_texts(client).items():
        main = text
        if not url.endswith((".csv", ".json")):
            # Only the content, not the header's or footer's chrome.
            html = client.get(url, follow=True).content.decode()
            found = re.search(r"<main.*?</main>", html, re.S)
            html = re.sub(r"<svg.*?</svg>", " ", found.group(0), flags=re.S)
            # A form's hints ("up to 2000 characters") are instructions, not content.
            html = re.sub(
                r'<(span|p) class="hint"[^>]*>.*?</\1>', " ", html, flags=re.S
            )
            main = text_of(html)
        extra = _numbers(main) - allowed
        assert not extra, (url, extra)
        for count, denominator in re.findall(r"(\d+) of (\d+)", main):
            assert denominator == "150", (url, count, denominator)
