"""Bring the two groups up to date with models added since 0002 (the glossary)."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_roles"),
        ("guidance", "0004_historicalglossaryterm"),
        ("practice_points", "0002_history"),
        ("snapshot", "0004_historicalfigure_display_and_more"),
    ]

    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]
