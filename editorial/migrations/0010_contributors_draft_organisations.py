"""Organisations have drafts now: contributors may add and change them."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0009_jobs_schedules_reverts_and_email"),
        ("snapshot", "0009_organisation_review_cycle_and_owners"),
    ]

    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]
