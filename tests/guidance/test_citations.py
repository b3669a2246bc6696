"""'Cite this': one Harvard reference per kind of item, and on every page part."""

import datetime

import pytest
from django.utils import timezone

from guidance.models import Briefing, Quote, Section
from practice_points.models import PracticePoint
from snapshot.models import Figure, Snapshot, StudyFigure
from tests.conftest import BRIEFING
from tests.factories import BriefingFactory, FigureFactory, SnapshotFactory
from tests.pages import parse

BASE = "https://guidance.example"
DAY = datetime.date(2026, 3, 7)
TITLE = "Women involved in selling or exchanging sex or images: a practice briefing"


def test_a_briefing_without_a_date_is_cited_n_d(content):
    briefing = Briefing.objects.get(slug=BRIEFING)
    assert briefing.citation(BASE, DAY).text == (
        f"Encompass Network (n.d.) {TITLE}. Available at: "
        f"{BASE}/briefings/{BRIEFING}/ (Accessed: 7 March 2026)."
    )


def test_a_briefing_is_cited_by_the_year_it_gives(no_content):
    briefing = BriefingFactory(title="A & B", first_published=datetime.date(2022, 5, 1))
    citation = briefing.citation(BASE, DAY)
    assert citation.text.startswith("Encompass Network (2022) A & B. Available")
    assert "<cite>A &amp; B</cite>" in citation.html


def test_a_briefing_first_published_here_is_cited_by_that_year(no_content):
    # What its page shows as "Published", not "n.d." beside it.
    briefing = BriefingFactory(title="New")
    briefing.published_at = datetime.datetime(2025, 4, 1, 12, tzinfo=datetime.UTC)
    briefing.save()
    assert briefing.citation(BASE, DAY).text.startswith("Encompass Network (2025) New.")
    briefing.first_published = datetime.date(2019, 1, 1)
    assert briefing.citation(BASE, DAY).text.startswith("Encompass Network (2019) New.")


def test_a_section_and_a_practice_point_cite_their_briefing(content):
    section = Section.objects.get(slug="encompass-snapshot")
    assert section.citation(BASE, DAY).text == (
        f"Encompass Network (n.d.) ‘{section.title}’, in {TITLE}. Available at: "
        f"{BASE}{section.get_absolute_url()} (Accessed: 7 March 2026)."
    )
    point = PracticePoint.objects.get(slug="long-term-impact")
    assert point.citation(BASE, DAY).text.startswith(
        f"Encompass Network (n.d.) ‘{point.title}’, in {TITLE}. Available at: "
        f"{BASE}/practice-points/long-term-impact/ "
    )


def test_a_quote_cites_its_briefing_naming_only_what_its_attribution_says(content):
    quote = Quote.objects.get(slug="natalia-lost-my-kids")
    briefing = quote.section.briefing
    assert quote.citation(BASE, DAY, briefing).text == (
        f"Encompass Network (n.d.) {TITLE}. Quoting Natalia, Inside Outside. "
        f"Available at: {BASE}/in-their-words/#natalia-lost-my-kids "
        "(Accessed: 7 March 2026)."
    )


def test_a_figure_cites_its_count_denominator_and_the_snapshot(content):
    figure = Figure.objects.get(slug="under-18-when-first-involved")
    citation = figure.citation(BASE, DAY)
    # The source's name for the work, no year it does not give, and the
    # percentage it printed beside the one worked out here.
    assert citation.text == (
        "Encompass Network (n.d.) Encompass Snapshot. 31 of 150 women (21%) "
        "disclosed that they were under 18 when they were first involved in "
        "selling or exchanging sex or images (The source briefing printed this "
        "as 20%). Available at: "
        f"{BASE}/snapshot/encompass-snapshot-2021/#figure-{figure.slug} "
        "(Accessed: 7 March 2026)."
    )
    assert dict(citation.facts) == {
        "Count": "31",
        "Out of": "150 women",
        "Printed in the source": "20%",
        "Source": "Encompass Network – Encompass Snapshot",
    }


@pytest.mark.parametrize(
    ("slug", "printed"),
    [
        ("under-18-when-first-involved", "20%"),
        ("childhood-sexual-abuse", "23.5%"),
        ("mental-health-issue", "80%"),
        ("children-removed-headline", "20%"),
    ],
)
def test_every_recomputed_figure_is_cited_with_its_printed_percentage(
    content, slug, printed
):
    citation = Figure.objects.get(slug=slug).citation(BASE, DAY)
    assert f"(The source briefing printed this as {printed})" in citation.text
    assert dict(citation.facts)["Printed in the source"] == printed


def test_an_unnamed_study_is_cited_as_quoted_in_the_briefing(content):
    figure = StudyFigure.objects.get(slug="barrier-fear-for-children")
    text = figure.citation(BASE, DAY).text
    assert text.startswith(
        f"Research from Canada, cited in Encompass Network (n.d.) {TITLE}. "
    )
    assert "as mothers" not in text.split(TITLE)[0]


def test_a_figure_from_another_study_cites_that_study_without_inventing(content):
    # The briefing names Left Out in the Cold as the source, with no author or year.
    figure = StudyFigure.objects.filter(study__slug="left-out-in-the-cold").first()
    citation = figure.citation(BASE, DAY)
    assert citation.text.startswith("Left Out in the Cold (n.d.). ")
    assert f"Available at: {BASE}/snapshot/#study-figure-{figure.slug} " in (
        citation.text
    )
    facts = dict(citation.facts)
    assert facts["Source"] == "Left Out in the Cold"
    assert facts["Count"] == (figure.count_text or "Not given in the source")
    # A study the briefing names no source for says so, as the page does.
    unnamed = StudyFigure.objects.filter(study__reference=None).first()
    source = dict(unnamed.citation(BASE, DAY).facts)["Source"]
    assert source == unnamed.study.source_note


def test_a_suppressed_figure_cites_no_number(no_content):
    # A title with no number: the factory's "Snapshot 3" would hold " 3 ".
    figure = FigureFactory(
        count=3, denominator=200, display="suppressed", snapshot__title="Snapshot"
    )
    citation = figure.citation(BASE, DAY)
    assert "Fewer than 5 of 200 women" in citation.text
    assert dict(citation.facts)["Count"] == "fewer than 5"
    assert " 3 " not in citation.text


def test_a_snapshot_without_an_author_is_led_by_its_title(no_content):
    snapshot = SnapshotFactory(title="Snapshot 2023")
    # When it ran is not when it was published: no year without a reference.
    assert snapshot.citation(BASE, DAY).text == (
        "Snapshot 2023 (n.d.). Available at: "
        f"{BASE}{snapshot.get_absolute_url()} (Accessed: 7 March 2026)."
    )
    assert Snapshot.objects.get().author == ""


def cites(client, url):
    """The page's one 'Cite this': (each reference's label, the reference, the
    link)."""
    page = parse(client.get(url).content.decode())
    (details,) = page.find_all("details", class_="cite")
    assert details.find("summary").text.startswith("Cite this")
    found = []
    for item in details.find_all("li", class_="cite__item"):
        link = item.find("p", class_="cite__link").find("a")
        reference = item.find("p", class_="cite__reference")
        assert link["href"] == link.text
        found.append(
            (item.find(class_="cite__label").text, reference.text, link["href"])
        )
    return found


def test_pages_offer_cite_this_for_each_part(client, content):
    briefing = Briefing.objects.get(slug=BRIEFING)
    sections = list(briefing.sections.published())
    points = list(briefing.practice_points.published())
    quotes = Quote.objects.published()
    parts = {
        f"/briefings/{BRIEFING}/": [briefing, *sections, *points],
        sections[0].get_absolute_url(): [sections[0]],
        points[0].get_absolute_url(): [points[0]],
    }
    today = timezone.localdate()
    for url, items in parts.items():
        found = cites(client, url)
        labels = [label for label, _, _ in found if "Quote from" not in label]
        assert labels == [item.title for item in items]
        for _, reference, link in found:
            assert link.startswith("http://testserver/")
            assert reference.startswith("Encompass Network (n.d.) ")
            assert reference.endswith(
                f"Available at: {link} (Accessed: {today.day} {today:%B %Y})."
            )
    found = cites(client, "/in-their-words/")
    assert [label for label, _, _ in found] == [
        f"Quote from {quote.speaker}" for quote in quotes
    ]


def test_snapshot_page_cites_the_snapshot_and_every_figure(client, content):
    found = cites(client, "/snapshot/encompass-snapshot-2021/")
    figures = Figure.objects.published().filter(
        snapshot__slug="encompass-snapshot-2021"
    )
    study_figures = StudyFigure.objects.published()
    assert len(found) == 1 + figures.count() + study_figures.count()
    snapshot_cites = found[: 1 + figures.count()]
    assert all(
        reference.startswith("Encompass Network (n.d.) Encompass Snapshot.")
        for _, reference, _ in snapshot_cites
    )
    links = {link for _, _, link in found}
    assert {f"http://testserver{f.get_absolute_url()}" for f in figures} < links
