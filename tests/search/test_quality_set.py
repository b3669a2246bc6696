"""The search quality set (bench/search_queries.csv): a development half to
tune against and a frozen test half that nobody tunes against."""

import csv
import hashlib
from pathlib import Path

from search.models import Document

QUERIES = Path(__file__).resolve().parents[2] / "bench" / "search_queries.csv"
# The test half as frozen: changing it needs a reason in the commit message.
FROZEN = "a9eaa895ef4d16fc593203936c250973ff4516c63b7d099dc703258c5d7612ec"


def rows():
    with QUERIES.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_test_half_is_frozen():
    test = [r for r in rows() if r["half"] == "test"]
    text = "\n".join(",".join((r["category"], r["query"], r["expected"])) for r in test)
    assert hashlib.sha256(text.encode()).hexdigest() == FROZEN


def test_every_query_is_in_one_half_and_categories_are_split():
    assert {r["half"] for r in rows()} == {"dev", "test"}
    for category in {r["category"] for r in rows()}:
        halves = [r["half"] for r in rows() if r["category"] == category]
        assert abs(halves.count("dev") - halves.count("test")) <= 1, category


def test_sixty_or_more_phone_typed_and_task_queries():
    assert len([r for r in rows() if r["category"] in {"messy", "task"}]) >= 60


def test_every_expected_item_is_in_the_index(content):
    urls = set(Document.objects.values_list("url", flat=True))
    for row in rows():
        for url in row["expected"].split("|"):
            assert url.strip() in urls, (row["query"], url)
