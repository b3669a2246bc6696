"""Once let editors read and delete readers' answers.

Roles are synced from editorial/roles.py after every migrate (editorial.apps.prepare_database), so an old migration no longer
changes meaning when roles.py changes. Emptied, not deleted, so databases that applied it keep a consistent migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("editorial", "0004_content_version"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
