"""Create the Editor and Contributor groups with their permissions."""

from django.db import migrations

from editorial.migrations._roles import create_groups


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editor", "Contributor"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("guidance", "0002_history"),
        ("practice_points", "0002_history"),
        ("snapshot", "0002_history"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
