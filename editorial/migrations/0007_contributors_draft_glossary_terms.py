"""Glossary terms have drafts now: contributors may add and draft them too."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0006_draft_revisions_kept_in_history"),
        ("guidance", "0007_status_starts_as_draft"),
        ("practice_points", "0005_status_starts_as_draft"),
        ("snapshot", "0008_status_starts_as_draft"),
        ("search", "0012_editors_tune_search"),
        ("feedback", "0002_editors_read_feedback"),
    ]

    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]
