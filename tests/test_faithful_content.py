"""The site holds the whole source briefing, faithfully."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import call_command

from guidance.models import Quote, ResearchReference, Resource, Section
from practice_points.models import (
    PracticeListItem,
    PracticePoint,
    Prompt,
    ReflectiveQuestion,
)
from snapshot.models import Figure, Organisation, Snapshot, StudyFigure
from tests.conftest import BRIEFING, SHARED_SOURCE, SOURCE

MODELS = [
    Section, Quote, ResearchReference, Resource, PracticePoint, Prompt,
    ReflectiveQuestion, PracticeListItem, Snapshot, Figure, Organisation, StudyFigure,
]  # fmt: skip


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


def test_fixtures_load_twice_without_duplicates(content):
    counts = {model: model.objects.count() for model in MODELS}
    call_command("load_content", verbosity=0)
    assert {model: model.objects.count() for model in MODELS} == counts
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
        ("images-under-16", 3, 150, None),
        ("children-removed", 32, 150, "21"),
        ("children-affected", 51, None, None),
        ("domestic-abuse", 81, 150, "54"),
        ("domestic-abuse-excluding-tara", None, None, "83"),
        ("childhood-sexual-abuse", 35, 150, "23.5"),
        ("childhood-sexual-abuse-excluding-tara", None, None, "36"),
        ("children-removed-headline", 32, 150, "20"),
        ("mental-health-issue", 121, 150, "80"),
        ("anxiety-or-depression", 102, 150, None),
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
