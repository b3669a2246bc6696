"""The Snapshot page, its charts, downloads and the comparison across Snapshots."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from pytest_django.asserts import assertContains

from snapshot.models import Display, Figure, Snapshot, StudyFigure
from tests.factories import (
    FigureFactory,
    SectionFactory,
    SnapshotFactory,
)
from tests.pages import parse

PAGE = "/snapshot/encompass-snapshot-2021/"
CSV = "/snapshot/encompass-snapshot-2021/figures.csv"
JSON = "/snapshot/encompass-snapshot-2021/figures.json"
SVG = "{http://www.w3.org/2000/svg}"


def page_html(client, url=PAGE):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def charts(html):
    """Each chart's <figure> parsed as XML: the SVG and its table together."""
    figure = r'<figure\b[^>]*\bclass="chart\b[^"]*"[^>]*>.*?</figure>'
    return [ET.fromstring(chunk) for chunk in re.findall(figure, html, re.S)]


def text_of(element):
    return " ".join("".join(element.itertext()).split())


def csv_rows(client, url=CSV):
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_headline_cards_read_as_n_of_m_with_the_printed_figure_noted(client, content):
    cards = parse(page_html(client)).find("ul", class_="headline-cards")
    assert (
        "31 of 150 women (21%) disclosed that they were under 18 when they were "
        "first involved" in cards.text
    )
    assert "The source briefing printed this as 20%." in cards.text
    headline = Figure.objects.filter(is_headline=True).count()
    assert len(cards.find_all("li", class_="headline-card")) == headline == 5


def test_charts_are_valid_svg_with_an_accessible_name(client, content):
    found = charts(page_html(client))
    assert len(found) == 2  # the Snapshot's proportions, the Canadian barriers
    for chart in found:
        svg = chart.find(f"{SVG}svg")
        assert svg.get("role") == "img"
        names = [
            chart.find(f".//*[@id='{i}']") for i in svg.get("aria-labelledby").split()
        ]
        assert [n.tag for n in names] == [f"{SVG}title", f"{SVG}desc"]
        assert all(text_of(n) for n in names)
        assert chart.find(".//table/caption") is not None


def chart_and_table_values(chart):
    svg = chart.find(f"{SVG}svg")
    values = [
        text_of(t) for t in svg.iter(f"{SVG}text") if t.get("class") == "chart__value"
    ]
    rows = [[text_of(cell) for cell in row] for row in chart.iter("tr")][1:]
    return values, rows


def test_snapshot_chart_table_carries_the_same_numbers(client, content):
    chart = charts(page_html(client))[0]
    values, rows = chart_and_table_values(chart)
    assert values == [f"{r[1]} of {r[2]} ({r[3]})" for r in rows]
    assert values[0] == "31 of 150 (21%)"
    assert ["Under 18 when first involved", "31", "150", "21%", "20%"] in rows
    # Restatements and percentage-only subgroups are not charted twice, nor
    # counts the source gives without a denominator (3 women, 102).
    assert len(rows) == 5
    bars = [r for r in chart.iter(f"{SVG}rect") if r.get("class") == "chart__bar"]
    widths = [float(b.get("width")) for b in bars]
    assert widths[4] == max(widths)  # mental health issue, 81%


def test_barriers_chart_shows_the_canadian_study_as_printed(client, content):
    chart = charts(page_html(client))[1]
    values, rows = chart_and_table_values(chart)
    assert values == ["16.3%", "15.3%", "15.1%", "13.0%", "10%"]
    assert [r[1] for r in rows] == values
    assert "not Encompass Snapshot figures" in text_of(chart)


def test_every_figure_links_to_its_source(client, content):
    page = parse(page_html(client))
    for figure in Figure.objects.published().filter(parent=None):
        card = page.find("li", class_="figure-card", id=f"figure-{figure.slug}")
        assert card.find_all("a", href="/research/#encompass-snapshot")
    for figure in StudyFigure.objects.published().select_related("study__reference"):
        item = page.find("li", id=f"study-figure-{figure.slug}")
        reference = figure.study.reference
        # A study the briefing names no reference for points at the research list.
        href = reference.get_absolute_url() if reference else "/research/"
        assert item.find_all("a", href=href)


def test_briefing_figures_link_to_the_snapshot_page(client, content):
    response = client.get("/briefings/selling-or-exchanging-sex/encompass-snapshot/")
    assertContains(
        response,
        f'<a href="{PAGE}#figure-domestic-abuse"><strong class="figure-value">'
        "81 of 150 women (54%)</strong></a>",
        html=True,
    )


def test_organisations_are_listed_with_their_areas(client, content):
    page = parse(page_html(client))
    row = page.find("tr", id="organisation-another-way")
    assert row.find("th", scope="row").text == "Another Way"
    assert row.find("td").text == "Edinburgh"
    assert page.text.count("Not stated in the source") == 3


def test_downloads_are_linked_with_their_types(client, content):
    page = parse(page_html(client))
    assert page.find("a", href=CSV)["type"] == "text/csv"
    assert page.find("a", href=JSON)["type"] == "application/json"


def test_csv_has_one_row_per_figure_with_computed_and_printed_percentages(
    client, content
):
    rows = csv_rows(client)
    assert len(rows) == Figure.objects.published().count()
    assert {
        "measure", "count", "denominator", "percentage", "published_percentage",
        "subgroup", "source",
    } <= set(rows[0])  # fmt: skip
    by_slug = {row["slug"]: row for row in rows}
    under_18 = by_slug["under-18-when-first-involved"]
    assert (
        under_18["count"],
        under_18["denominator"],
        under_18["percentage"],
        under_18["published_percentage"],
        under_18["disagrees_with_source"],
        under_18["source"],
    ) == ("31", "150", "20.7", "20", "true", "Encompass Snapshot")
    assert by_slug["childhood-sexual-abuse"]["published_percentage"] == "23.5"
    tara = by_slug["domestic-abuse-excluding-tara"]
    assert (tara["count"], tara["percentage"], tara["published_percentage"]) == (
        "",
        "",
        "83",
    )
    assert tara["subgroup"] == "Excluding women supported by TARA"
    assert tara["parent"] == "domestic-abuse"


def test_json_carries_the_same_rows_with_metadata_and_citation(client, content):
    response = client.get(JSON)
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["snapshot"]["title"] == "Encompass Snapshot 2021"
    assert data["snapshot"]["women_count"] == 150
    assert len(data["snapshot"]["organisations"]) == 7
    assert "Encompass Snapshot" in data["citation"]
    assert data["citation"].endswith(f"http://testserver{PAGE}")
    as_text = [
        {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
         for k, v in row.items()}
        for row in data["figures"]
    ]  # fmt: skip
    assert as_text == csv_rows(client)
    first = data["figures"][0]
    assert (first["count"], first["percentage"], first["published_percentage"]) == (
        31,
        20.7,
        20,
    )


def test_other_studies_download_apart_from_the_snapshot(client, content):
    snapshot_slugs = {row["slug"] for row in csv_rows(client)}
    study_rows = csv_rows(client, "/snapshot/other-studies.csv")
    study_slugs = {row["slug"] for row in study_rows}
    assert study_slugs == set(StudyFigure.objects.values_list("slug", flat=True))
    assert not snapshot_slugs & study_slugs
    barrier = next(r for r in study_rows if r["slug"] == "barrier-fear-for-children")
    assert (barrier["study"], barrier["published_percentage"]) == (
        "Research from Canada",
        "13.0",
    )
    data = json.loads(client.get("/snapshot/other-studies.json").content)
    assert "not Encompass Snapshot figures" in data["notes"]
    assert len(data["figures"]) == len(study_rows)


def test_draft_or_unknown_snapshot_has_no_downloads(client, content):
    Snapshot.objects.update(status="draft")
    assert client.get(CSV).status_code == 404
    assert client.get(JSON).status_code == 404
    assert client.get("/snapshot/nothing/figures.csv").status_code == 404


def test_suppressed_figure_never_shows_its_number(client, no_content):
    snapshot = SnapshotFactory(women_count=977)
    FigureFactory(
        snapshot=snapshot,
        slug="tiny",
        count=4,
        denominator=977,
        published_percentage="0.4",
        published_places=1,
        is_headline=True,
        statement="{value} said something rare",
        display=Display.SUPPRESSED,
    )
    section = SectionFactory(body="See [[figure:tiny]].")
    outputs = {
        "page": page_html(client, snapshot.get_absolute_url()),
        "token": page_html(client, section.get_absolute_url()),
        "home": page_html(client, "/"),
        "csv": client.get(f"{snapshot.get_absolute_url()}figures.csv").content.decode(),
        "json": client.get(
            f"{snapshot.get_absolute_url()}figures.json"
        ).content.decode(),
    }
    for name, text in outputs.items():
        assert "fewer than 5 of 977 women" in text, name
        assert not re.search(r"\b4 of 977|\b0\.4\b|\(0%\)", text), name
    row = csv_rows(client, f"{snapshot.get_absolute_url()}figures.csv")[0]
    assert (row["count"], row["percentage"], row["published_percentage"]) == (
        "",
        "",
        "",
    )
    assert row["display"] == "suppressed"
    chart = charts(outputs["page"])[0]
    assert not [r for r in chart.iter(f"{SVG}rect") if r.get("class") == "chart__bar"]
    assert "suppressed to protect anonymity" in text_of(chart)


def test_a_second_snapshot_appears_beside_the_first_in_the_comparison(client, content):
    columns = parse(page_html(client, "/snapshot/compare/")).find_all("th", scope="col")
    assert len(columns) == 2  # measure, one snapshot
    later = SnapshotFactory(
        title="Encompass Snapshot 2024", period_month="2024-11", women_count=160
    )
    FigureFactory(
        snapshot=later,
        measure="domestic-abuse",
        title="Domestic abuse",
        count=90,
        denominator=160,
    )
    FigureFactory(snapshot=later, measure="new-measure", title="Something new", count=8)
    page = parse(page_html(client, "/snapshot/compare/"))
    assert len(page.find_all("th", scope="col")) == 3
    row = page.find("tr", id="measure-domestic-abuse").text
    assert row.index("81 of 150 women (54%)") < row.index("90 of 160 women (56%)")
    first, second = page.find("tr", id="measure-new-measure").find_all("td")
    assert first.find("span", attrs={"aria-label": "Not counted"})
    assert second.text == "8 of 200 women (4%)"
    # Subgroups are not compared as if they were the whole measure.
    assert "83%" not in row


def test_comparison_keeps_the_printed_figure_note(client, content):
    page = parse(page_html(client, "/snapshot/compare/"))
    row = page.find("tr", id="measure-mental-health-issue").text
    assert "121 of 150 women (81%)" in row
    assert "printed this as 80%" in row


@pytest.mark.parametrize("url", ["/snapshot/compare/", CSV, JSON])
def test_snapshot_data_pages_answer(client, content, url):
    assert client.get(url).status_code == 200


def test_comparison_rows_are_named_for_the_main_figure_not_a_restatement(
    client, content
):
    page = parse(page_html(client, "/snapshot/compare/"))
    row = page.find("tr", id="measure-children-removed-from-care").text
    assert "Children removed from their care" in row
    assert "Headline" not in row
