"""Editors read readers' answers per page, by week, and export them as CSV."""

import csv
import datetime
import io

import pytest

from feedback.models import Feedback
from tests.pages import parse

MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def answers(db):
    Feedback.objects.bulk_create(
        [
            Feedback(path="/resources/", useful=True, day=MONDAY),
            Feedback(
                path="/resources/",
                useful=False,
                day=MONDAY + datetime.timedelta(days=6),
                comment="Housing",
            ),
            Feedback(
                path="/resources/", useful=True, day=MONDAY + datetime.timedelta(days=7)
            ),
            Feedback(
                path="/glossary/", useful=False, day=MONDAY, comment='=HYPERLINK("x")'
            ),
        ]
    )


def test_editor_sees_counts_by_week_and_comments(client, editor, answers):
    client.force_login(editor)
    page = parse(client.get("/admin/feedback/feedback/report/").content.decode())
    sections = page.find_all("section")
    assert [s.find("h2").text for s in sections] == ["/glossary/", "/resources/"]
    rows = [
        [cell.text for cell in row.find_all()]
        for row in sections[1].find("tbody").find_all("tr")
    ]
    assert rows == [["9 March 2026", "1", "0"], ["2 March 2026", "1", "1"]]
    assert "Housing" in sections[1].find("ul").text


def test_report_for_one_page(client, editor, answers):
    client.force_login(editor)
    page = parse(
        client.get("/admin/feedback/feedback/report/?path=/glossary/").content.decode()
    )
    assert [s.find("h2").text for s in page.find_all("section")] == ["/glossary/"]


def test_csv_export_escapes_formulas(client, editor, answers):
    client.force_login(editor)
    response = client.get("/admin/feedback/feedback/report.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["page", "week_beginning", "day", "useful", "comment"]
    assert rows[1] == [
        "/glossary/",
        "2026-03-02",
        "2026-03-02",
        "no",
        '\'=HYPERLINK("x")',
    ]
    assert len(rows) == 5


@pytest.mark.parametrize(
    "url",
    [
        "/admin/feedback/feedback/",
        "/admin/feedback/feedback/report/",
        "/admin/feedback/feedback/report.csv",
    ],
)
def test_contributors_cannot_read_answers(client, contributor, answers, url):
    client.force_login(contributor)
    assert client.get(url).status_code == 403


def test_editor_list_has_no_add(client, editor, answers):
    client.force_login(editor)
    response = client.get("/admin/feedback/feedback/")
    assert response.status_code == 200
    assert client.get("/admin/feedback/feedback/add/").status_code == 403


def test_the_report_comes_in_pages_of_a_readable_size(client, editor, db):
    Feedback.objects.bulk_create(
        [Feedback(path=f"/page-{n:02}/", useful=True, day=MONDAY) for n in range(25)]
        + [
            Feedback(path="/page-00/", useful=False, day=MONDAY, comment=f"Note {n}")
            for n in range(30)
        ]
    )
    client.force_login(editor)
    first = parse(client.get("/admin/feedback/feedback/report/").content.decode())
    sections = first.find_all("section")
    assert len(sections) == 20
    assert len(sections[0].find("ul").find_all("li")) == 20
    assert "10 older answers with text" in sections[0].text
    assert first.find("a", href="?p=2").text == "Next"
    second = parse(client.get("/admin/feedback/feedback/report/?p=2").content.decode())
    assert [s.find("h2").text for s in second.find_all("section")] == [
        f"/page-{n}/" for n in range(20, 25)
    ]
