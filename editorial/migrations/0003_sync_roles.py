"""Once brought the groups up to date with the glossary.

Roles are synced from editorial/roles.py after every migrate (editorial.apps.prepare_database), so an old migration no longer
changes meaning when roles.py changes. Emptied, not deleted, so databases that applied it keep a consistent migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_roles"),
        ("guidance", "0004_historicalglossaryterm"),
        ("practice_points", "0002_history"),
        ("snapshot", "0004_historicalfigure_display_and_more"),
    ]

    operations = []
