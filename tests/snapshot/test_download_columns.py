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


@pytest.mark.parametrize(
    ("url", "golden", "contract"),
    [
        (f"{SNAPSHOT}/figures.csv", "snapshot-figures.csv", csv_contract),
        (f"{SNAPSHOT}/figures.json", "snapshot-figures.json", json_contract),
        ("/snapshot/other-studies.csv", "other-studies.csv", csv_contract),
        ("/snapshot/other-studies.json", "other-studies.json", json_contract),
    ],
)
def test_download_columns_match_their_golden_file(
    client, content, url, golden, contract
):
    expected = (GOLDEN / golden).read_text(encoding="utf-8")
    assert contract(_body(client, url)) == expected


def test_every_download_has_a_golden_file():
    assert sorted(p.name for p in GOLDEN.iterdir()) == [
        "other-studies.csv",
        "other-studies.json",
        "snapshot-figures.csv",
        "snapshot-figures.json",
    ]


def test_json_columns_are_the_csv_columns(client, content):
    for csv_url, json_url in [
        (f"{SNAPSHOT}/figures.csv", f"{SNAPSHOT}/figures.json"),
        ("/snapshot/other-studies.csv", "/snapshot/other-studies.json"),
    ]:
        header = csv_contract(_body(client, csv_url)).strip().split(",")
        assert json.loads(_body(client, json_url))["columns"] == header
