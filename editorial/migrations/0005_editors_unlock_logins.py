"""Editors may lift login lockouts (django-axes' access attempts)."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0004_content_version"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]
