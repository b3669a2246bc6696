"""The editors' report: answers per page, counted by week, and the CSV export."""

import csv
import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from editorial.spreadsheet import csv_cell

CSV_COLUMNS = ["page", "week_beginning", "day", "useful", "comment"]


def week_beginning(day):
    return day - datetime.timedelta(days=day.weekday())


def page_reports(answers):
    """Each page with its weekly counts (newest week first) and its comments."""
    pages = {}
    weekly = (
        answers.annotate(week=TruncWeek("day"))
        .values("path", "week")
        .annotate(
            yes=Count("pk", filter=Q(useful=True)),
            no=Count("pk", filter=Q(useful=False)),
        )
        .order_by("path", "-week")
    )
    for row in weekly:
        page = pages.setdefault(
            row["path"], {"path": row["path"], "weeks": [], "comments": []}
        )
        page["weeks"].append(row)
    comments = answers.exclude(comment="").order_by("path", "-day", "-pk")
    for answer in comments.only("path", "day", "useful", "comment"):
        pages[answer.path]["comments"].append(answer)
    for page in pages.values():
        page["yes"] = sum(week["yes"] for week in page["weeks"])
        page["no"] = sum(week["no"] for week in page["weeks"])
    return sorted(pages.values(), key=lambda page: page["path"])


def write_csv(answers, file):
    writer = csv.writer(file, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for answer in answers.order_by("path", "day", "pk").iterator():
        writer.writerow(
            csv_cell(value)
            for value in (
                answer.path,
                week_beginning(answer.day).isoformat(),
                answer.day.isoformat(),
                "yes" if answer.useful else "no",
                answer.comment,
            )
        )
