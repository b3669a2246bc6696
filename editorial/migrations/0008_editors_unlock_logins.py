"""Once let editors lift login lockouts.

Roles are synced from editorial/roles.py after every migrate (editorial.apps.prepare_database), so an old migration no longer
changes meaning when roles.py changes. Emptied, not deleted, so databases that applied it keep a consistent migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0007_contributors_draft_glossary_terms"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = []
