"""The column contract of every download, pinned by one golden file each.

A golden file holds the column names in order (a CSV's header row; a JSON
download's keys, each object's own keys in order). Change a download's columns
only on purpose: update its golden file in the same commit and say so in the
README's "Open data".
"""

import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver

from tests.factories import SnapshotFactory

GOLDEN = Path(__file__).parent / "golden"
SNAPSHOT = "/snapshot/encompass-snapshot-2021"


def _body(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def csv_contract(text):
    """The header row, and a check every row has exactly those columns."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert rows[1:] and all(len(row) == len(header) for row in rows[1:])
    return ",".join(header) + "\n"


def keys_of(value):
    """A JSON value's shape: objects as their keys in order, lists by their items."""
    if isinstance(value, dict):
        return {key: keys_of(item) for key, item in value.items()}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        shapes = [keys_of(item) for item in value]
        assert all(list(s) == list(shapes[0]) for s in shapes), "rows differ"
        return [shapes[0]]
    return None


def json_contract(text):
    data = json.loads(text)
    # The documented column list and the rows' own keys must agree.
    assert all(list(row) == data["columns"] for row in data["figures"])
    return json.dumps(keys_of(data), indent=2) + "\n"


# Every download, by its URL name: an address, its golden file and its contract.
DOWNLOADS = {
    "snapshot:snapshot_figures_csv": (
        f"{SNAPSHOT}/figures.csv",
        "snapshot-figures.csv",
        csv_contract,
    ),
    "snapshot:snapshot_figures_json": (
        f"{SNAPSHOT}/figures.json",
        "snapshot-figures.json",
        json_contract,
    ),
    "snapshot:study_figures_csv": (
        "/snapshot/other-studies.csv",
        "other-studies.csv",
        csv_contract,
    ),
    "snapshot:study_figures_json": (
        "/snapshot/other-studies.json",
        "other-studies.json",
        json_contract,
    ),
}


@pytest.mark.parametrize(
    ("url", "golden", "contract"), DOWNLOADS.values(), ids=DOWNLOADS
)
def test_download_columns_match_their_golden_file(
    client, content, url, golden, contract
):
    expected = (GOLDEN / golden).read_text(encoding="utf-8")
    assert contract(_body(client, url)) == expected


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else ""
            yield from _url_names(pattern.url_patterns, inner or namespace)
        elif str(pattern.pattern).endswith((".csv", ".json")):
            yield f"{namespace}{pattern.name}"


def test_every_download_has_a_golden_file():
    # A new .csv or .json address fails here until its columns are pinned.
    # Readers' downloads only: the admin's exports are tested with their admin.
    names = [
        name
        for name in _url_names(get_resolver().url_patterns)
        if not name.startswith("admin:")
    ]
    assert sorted(names) == sorted(DOWNLOADS)
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(
        golden for _, golden, _ in DOWNLOADS.values()
    )


def _golden_columns(name):
    return (GOLDEN / name).read_text(encoding="utf-8").strip().split(",")


def test_downloads_without_rows_keep_their_columns(client, no_content):
    snapshot = SnapshotFactory()  # no figures, and no other studies
    for url, golden in [
        (f"{snapshot.get_absolute_url()}figures", "snapshot-figures"),
        ("/snapshot/other-studies", "other-studies"),
    ]:
        columns = _golden_columns(f"{golden}.csv")
        header, *rows = csv.reader(io.StringIO(_body(client, f"{url}.csv")))
        assert (header, rows) == (columns, [])
        data = json.loads(_body(client, f"{url}.json"))
        expected = json.loads((GOLDEN / f"{golden}.json").read_text(encoding="utf-8"))
        assert list(data) == list(expected)
        assert (data["columns"], data["figures"]) == (columns, [])


def test_json_columns_are_the_csv_columns(client, content):
    for csv_url, json_url in [
        (f"{SNAPSHOT}/figures.csv", f"{SNAPSHOT}/figures.json"),
        ("/snapshot/other-studies.csv", "/snapshot/other-studies.json"),
    ]:
        header = csv_contract(_body(client, csv_url)).strip().split(",")
        assert json.loads(_body(client, json_url))["columns"] == header
