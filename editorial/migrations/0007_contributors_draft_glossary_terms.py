"""Once let contributors draft glossary terms.

Roles are synced from editorial/roles.py after every migrate (editorial.apps.prepare_database), so an old migration no longer
changes meaning when roles.py changes. Emptied, not deleted, so databases that applied it keep a consistent migration graph. Its
dependencies on search and feedback went with its operations: they made the
squashed editorial migration and those apps depend on each other.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0006_draft_revisions_kept_in_history"),
        ("guidance", "0007_status_starts_as_draft"),
        ("practice_points", "0005_status_starts_as_draft"),
        ("snapshot", "0008_status_starts_as_draft"),
    ]

    operations = []
