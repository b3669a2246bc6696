"""The documents app sits on the floor of search and handouts: it may import the
content apps below it, and nothing below it (or beside it) imports it."""

import ast

from tests.conftest import ROOT

BELOW = {"editorial", "guidance", "practice_points", "snapshot"}
PROJECT_APPS = BELOW | {"search", "handouts", "feedback", "documents", "config"}


def imported_apps(folder):
    found = {}
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                app = name.split(".")[0]
                if app in PROJECT_APPS:
                    found.setdefault(app, set()).add(str(path.relative_to(ROOT)))
    return found


def test_documents_imports_only_the_floors_below():
    assert set(imported_apps("documents")) - {"documents"} <= BELOW


def test_no_other_app_imports_documents():
    for app in PROJECT_APPS - {"documents", "config"}:
        assert "documents" not in imported_apps(app), app
