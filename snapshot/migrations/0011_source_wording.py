"""The source's own words where loaded content added or dropped some (issue 26).

Only rows still holding the loaded wording change: an editor's edit is kept.
"""

from django.db import migrations

CHANGES = [
    (
        "Study",
        {"slug": "canadian-research-sex-workers-as-mothers"},
        "name",
        "Research from Canada on women who sell or exchange sex as mothers",
        "Research from Canada",
    ),
    (
        "StudyFigure",
        {"slug": "lotc-care-experienced"},
        "statement",
        "{value} had themselves been through the UK care system at some point",
        "{value} mentioned that they had themselves been through the UK care "
        "system at some point",
    ),
    (
        "StudyFigure",
        {"slug": "lotc-care-experienced"},
        "title",
        "Had themselves been through the UK care system at some point",
        "Mentioned that they had themselves been through the UK care system at "
        "some point",
    ),
]


def change(apps, forwards):
    for model, lookup, field, old, new in CHANGES:
        if not forwards:
            old, new = new, old
        rows = apps.get_model("snapshot", model).objects.filter(**lookup)
        rows.filter(**{field: old}).update(**{field: new})


class Migration(migrations.Migration):
    dependencies = [("snapshot", "0010_plain_english_help_for_editors")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: change(apps, True),
            lambda apps, editor: change(apps, False),
        )
    ]
