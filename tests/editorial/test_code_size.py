"""editorial/ stays in small parts: a file a newcomer can read through, and
methods short enough to see whole."""

import ast
from pathlib import Path

import pytest

EDITORIAL = Path(__file__).resolve().parents[2] / "editorial"
MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 40


MODULES = sorted(
    path for path in EDITORIAL.rglob("*.py") if "migrations" not in path.parts
)
each_module = pytest.mark.parametrize(
    "path", MODULES, ids=lambda path: str(path.relative_to(EDITORIAL))
)


@each_module
def test_no_file_in_editorial_is_over_300_lines(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_FILE_LINES, f"{path.name} has {lines} lines"


@each_module
def test_no_function_in_editorial_is_over_40_lines(path):
    tree = ast.parse(path.read_text())
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{path.name}: {', '.join(long)}"
