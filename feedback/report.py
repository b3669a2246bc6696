"""The editors' report: answers per page, counted by week, and the CSV export."""

import csv
import datetime

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber, TruncWeek

from editorial.spreadsheet import csv_cell

# Pages on one page of the report, and comments shown for each: the report
# stays a readable size however many answers come in (the CSV has them all).
PAGES_SHOWN = 20
COMMENTS_SHOWN = 20
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
    # The newest COMMENTS_SHOWN of each page; the rest are counted (and in the CSV).
    commented = answers.exclude(comment="")
    newest = commented.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("path"),
            order_by=[F("day").desc(), F("pk").desc()],
        )
    ).filter(rank__lte=COMMENTS_SHOWN)
    for answer in newest.order_by("path", "-day", "-pk").only(
        "path", "day", "useful", "comment"
    ):
        pages[answer.path]["comments"].append(answer)
    for row in commented.values("path").annotate(total=Count("pk")):
        page = pages[row["path"]]
        page["more_comments"] = row["total"] - len(page["comments"])
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
