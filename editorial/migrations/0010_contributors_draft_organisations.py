"""Once let contributors draft organisations.

Roles are synced from editorial/roles.py after every migrate (editorial.apps.prepare_database), so an old migration no longer
changes meaning when roles.py changes. Emptied, not deleted, so databases that applied it keep a consistent migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0009_jobs_schedules_reverts_and_email"),
        ("snapshot", "0009_organisation_review_cycle_and_owners"),
    ]

    operations = []
