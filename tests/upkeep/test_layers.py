"""upkeep sits just under config: it reads the content apps and the feedback
and search reports and prunes saved handouts, and no app imports it (run_due_jobs is found by Django)."""

from tests.documents import test_layers
from tests.documents.test_layers import PROJECT_APPS, imported_apps

BELOW = {
    "editorial", "guidance", "practice_points", "snapshot", "search", "feedback",
    "handouts",
}  # fmt: skip


def test_upkeep_imports_only_the_floors_below(monkeypatch):
    monkeypatch.setattr(test_layers, "PROJECT_APPS", PROJECT_APPS | {"upkeep"})
    assert set(imported_apps("upkeep")) - {"upkeep"} <= BELOW


def test_no_app_imports_upkeep(monkeypatch):
    monkeypatch.setattr(test_layers, "PROJECT_APPS", PROJECT_APPS | {"upkeep"})
    for app in PROJECT_APPS:
        assert "upkeep" not in imported_apps(app), app
