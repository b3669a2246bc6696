"""Best bets for places open the organisation's own Local support page, no
longer its row in the Snapshot's table. Lines an editor has changed are kept."""

from django.db import migrations

SNAPSHOT_ROW = "/snapshot/encompass-snapshot-2021/#organisation-{}"
OWN_PAGE = "/local-support/{}/"
SLUGS = [
    "another-way",
    "routes-out",
    "vice-versa",
    "rape-and-sexual-abuse-centre-perth-kinross",
    "aberdeen-cyrenians",
    "alcohol-drug-action-aberdeen",
    "tara",
]


def _moved(urls, old, new):
    lines = urls.split("\n")
    moves = {old.format(slug): new.format(slug) for slug in SLUGS}
    return "\n".join(moves.get(line.strip(), line) for line in lines)


def _move_all(apps, old, new):
    BestBet = apps.get_model("search", "BestBet")
    for bet in BestBet.objects.all():
        urls = _moved(bet.urls, old, new)
        if urls != bet.urls:
            bet.urls = urls
            bet.save(update_fields=["urls"])


def to_own_pages(apps, schema_editor):
    _move_all(apps, SNAPSHOT_ROW, OWN_PAGE)


def to_snapshot_rows(apps, schema_editor):
    _move_all(apps, OWN_PAGE, SNAPSHOT_ROW)


class Migration(migrations.Migration):
    dependencies = [("search", "0012_editors_tune_search")]

    operations = [migrations.RunPython(to_own_pages, to_snapshot_rows)]
