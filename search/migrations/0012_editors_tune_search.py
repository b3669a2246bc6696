"""Editors keep the vocabulary and best bets and read the no-results report."""

from django.db import migrations

from editorial.migrations._roles import create_groups


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0011_seed_best_bets"),
        ("editorial", "0004_content_version"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
