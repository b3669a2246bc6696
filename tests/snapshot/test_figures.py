from decimal import Decimal

import pytest

from snapshot.models import Figure, StudyFigure


@pytest.mark.parametrize(
    ("count", "denominator", "published", "places", "value", "disagrees"),
    [
        (31, 150, "20", 0, "31 of 150 women (21%)", True),
        (32, 150, "21", 0, "32 of 150 women (21%)", False),
        (81, 150, "54", 0, "81 of 150 women (54%)", False),
        (35, 150, "23.5", 1, "35 of 150 women (23%)", True),
        (121, 150, "80", 0, "121 of 150 women (81%)", True),
        (1, 8, "12.5", 1, "1 of 8 women (13%)", False),
    ],
)
def test_percentage_is_computed_and_checked_against_the_source(
    count, denominator, published, places, value, disagrees
):
    figure = Figure(
        count=count,
        denominator=denominator,
        published_percentage=Decimal(published),
        published_places=places,
        statement="{value} said so",
    )
    assert figure.value == value
    assert figure.disagrees_with_source is disagrees
    assert ("printed this as" in figure.source_note) is disagrees


def test_figure_without_a_count_shows_the_published_percentage():
    figure = StudyFigure(
        published_percentage=Decimal("13.0"),
        published_places=1,
        statement="x ({value})",
    )
    assert figure.text == "x (13.0%)"
    assert not figure.disagrees_with_source


def test_figure_text_is_escaped():
    figure = Figure(count=1, denominator=2, statement="{value} <b>bold</b>")
    assert "&lt;b&gt;" in str(figure.as_html())
