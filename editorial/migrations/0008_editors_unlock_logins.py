"""Editors may lift login lockouts (django-axes' access attempts)."""

from django.db import migrations

from editorial.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0007_contributors_draft_glossary_terms"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]
