"""Once gave editors the search vocabulary, best bets and no-results report.

Roles are synced from editorial/roles.py after every migrate (editorial.apps.prepare_database), so an old migration no longer
changes meaning when roles.py changes. Emptied, not deleted, so databases that applied it keep a consistent migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0011_seed_best_bets"),
        ("editorial", "0004_content_version"),
    ]

    operations = []
