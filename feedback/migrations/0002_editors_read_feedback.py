"""Editors read, report and delete readers' answers; contributors do not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Editor"
CODENAMES = ["view_feedback", "delete_feedback"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    config = apps.get_app_config("feedback")
    config.models_module = True
    create_permissions(config, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITOR)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="feedback", codename__in=CODENAMES
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("editorial", "0004_content_version"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
