"""Editors' data beside the content: the search vocabulary, best bets and
handout presets live in fixtures/, loaded by load_content and written back by
export_content; the editorial roles come from roles.py after every migrate."""

import json
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal

from editorial.content import editor_data
from guidance.management.commands.load_content import load_editor_data
from handouts.models import HandoutPreset
from search.models import BestBet, Document, Synonym

FIXTURES = settings.BASE_DIR / "fixtures"
ASK = "/practice-points/ask-the-question/"
ASK_KEY = ["practice_points.practicepoint", "ask-the-question"]


def committed(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def rows():
    """What a reader's search and the builder read, whatever the ids."""
    return {
        "synonyms": sorted(Synonym.objects.values_list("terms", "also_finds", "note")),
        "best bets": sorted(BestBet.objects.values_list("queries", "urls", "note")),
        "presets": sorted(
            HandoutPreset.objects.values_list(
                "slug", "name", "description", "query", "position"
            )
        ),
    }


def write(tmp_path, records):
    path = tmp_path / "search.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def best_bet(*items, queries="qwertyzz"):
    return {
        "model": "search.bestbet",
        "fields": {"queries": queries, "note": "", "items": list(items)},
    }


def test_the_loaded_site_has_every_row_of_the_fixtures(content):
    records = [r for name in editor_data() for r in committed(name)]
    counts = {model: 0 for models in editor_data().values() for model in models}
    for record in records:
        counts[next(m for m in counts if m._meta.label_lower == record["model"])] += 1
    assert {model: model.objects.count() for model in counts} == counts
    assert counts[Synonym] > 100 and counts[BestBet] > 10 and counts[HandoutPreset]
    # A best bet's items are named by natural key and stored at their address.
    bet = BestBet.objects.get(queries__startswith="edinburgh\n")
    assert bet.urls == "/local-support/another-way/"


def test_best_bets_name_items_by_natural_key_not_address():
    bets = [r for r in committed("search.json") if r["model"] == "search.bestbet"]
    assert bets and all("urls" not in bet["fields"] for bet in bets)
    items = [item for bet in bets for item in bet["fields"]["items"]]
    assert ["practice_points.practicepoint", "ask-the-question"] in items
    assert ["snapshot.figure", "domestic-abuse"] in items
    assert not any("/" in part for item in items for part in item)


def test_an_upgraded_database_ends_with_the_rows_of_a_fresh_one(content):
    """A database the old data migrations seeded holds the same rows under other
    ids, in another order: loading updates them in place, adding nothing, and
    keeps what an editor added."""
    fresh = rows()
    for model in (Synonym, BestBet, HandoutPreset):
        old = list(model.objects.order_by("-pk").values())
        model.objects.all().delete()
        for row in old:
            row.pop("id")
            model.objects.create(**row)
    Synonym.objects.filter(terms="woman\nwomen").update(note="Changed by an editor")
    Synonym.objects.create(terms="ours\nan editor's own")
    for name in editor_data():
        load_editor_data(FIXTURES / name)
    after = rows()
    assert ("ours\nan editor's own", "", "") in after["synonyms"]
    after["synonyms"].remove(("ours\nan editor's own", "", ""))
    assert after == fresh


def test_a_best_bet_is_loaded_at_its_items_addresses(db, content, tmp_path):
    figure = ["snapshot.figure", "domestic-abuse"]
    load_editor_data(write(tmp_path, [best_bet(ASK_KEY, figure)]))
    assert BestBet.objects.get(queries="qwertyzz").urls == (
        ASK + "\n/snapshot/encompass-snapshot-2021/#figure-domestic-abuse"
    )


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (
            [ASK_KEY, ["practice_points.practicepoint", "no-such-point"]],
            "no practice point is named ['no-such-point']",
        ),
        ([["snapshot.nosuchmodel", "x"]], "'snapshot.nosuchmodel' is not a kind"),
        ([["auth.user", "admin"]], "'auth.user' is not a kind of item search"),
        ([], "it names no items"),
    ],
)
def test_a_best_bet_naming_a_missing_item_is_refused(db, tmp_path, items, message):
    with pytest.raises(CommandError) as error:
        load_editor_data(write(tmp_path, [best_bet(*items)]))
    assert "search.json: the best bet 'qwertyzz' cannot be loaded" in str(error.value)
    assert message in str(error.value)
    assert not BestBet.objects.filter(queries="qwertyzz").exists()


@pytest.mark.slow  # reloads the whole content
def test_a_fixture_that_cannot_load_leaves_the_database_as_it_was(content, tmp_path):
    before = rows()
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, directory)
    missing = best_bet(["practice_points.practicepoint", "no-such-point"])
    synonym = {"model": "search.synonym", "fields": {"terms": "a\nb", "note": ""}}
    write(directory, [synonym, missing])
    with pytest.raises(CommandError, match="no practice point is named"):
        call_command("load_content", input=str(directory), verbosity=0)
    # Nothing of the load is kept: not the synonym before the best bet.
    assert rows() == before


def test_export_refuses_a_best_bet_whose_item_is_gone(db, content, tmp_path):
    BestBet.objects.create(queries="qwertyzz", urls=ASK + "\n/no/such/item/")
    with pytest.raises(CommandError, match="no item has that address"):
        call_command("export_content", output=str(tmp_path), verbosity=0)
    # Nothing is written, so a half export never replaces good fixtures.
    assert list(tmp_path.iterdir()) == []


def test_export_names_an_item_missing_from_the_index(db, content, tmp_path):
    # A draft or withdrawn item has no search document; its bet still exports
    # (and a blank line in its items is no item).
    Document.objects.filter(url=ASK).delete()
    BestBet.objects.create(queries="qwertyzz", urls=ASK + "\n\n")
    call_command("export_content", output=str(tmp_path), verbosity=0)
    bets = json.loads((tmp_path / "search.json").read_text(encoding="utf-8"))
    (bet,) = [b for b in bets if b["fields"].get("queries") == "qwertyzz"]
    assert bet["fields"]["items"] == [ASK_KEY]


def test_roles_are_synced_after_every_migrate(db):
    Group.objects.get(name="Contributor").delete()
    Group.objects.get(name="Editor").permissions.clear()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    editor = Group.objects.get(name="Editor").permissions.all()
    contributor = Group.objects.get(name="Contributor").permissions.all()

    def codenames(perms):
        return {f"{p.content_type.app_label}.{p.codename}" for p in perms}

    assert {
        "editorial.publish_content",
        "search.change_bestbet",
        "search.change_synonym",
        "feedback.view_feedback",
        "axes.delete_accessattempt",
        "practice_points.delete_practicepoint",
    } <= codenames(editor)
    assert "practice_points.change_practicepoint" in codenames(contributor)
    assert not {
        "practice_points.delete_practicepoint",
        "search.change_bestbet",
        "editorial.publish_content",
    } & codenames(contributor)


def test_no_migration_seeds_editors_data_or_roles():
    """Migrations change the schema (and reshape existing rows); what editors
    keep and the roles come from fixtures/ and roles.py, so an old migration
    never changes meaning when those do."""
    seeding = [
        '"search", "Synonym"',
        '"search", "BestBet"',
        '"handouts", "HandoutPreset"',
        "editorial.roles",
        '"auth", "Group"',
        "create_permissions",
    ]
    for path in settings.BASE_DIR.glob("*/migrations/0*.py"):
        text = path.read_text(encoding="utf-8")
        assert not [s for s in seeding if s in text], path
