"""The discreet preset no longer lists the Encompass Network itself: its name,
searched for, leads straight to what the handout is about (issue 26). A preset
an editor has changed is left as it is."""

from django.db import migrations

SLUG = "discreet-where-to-get-support"
OLD = (
    "discreet=1&item=resource%3Aencompass-network&item=resource%3Atara"
    "&item=resource%3Ayou-my-sister"
)
NEW = "discreet=1&item=resource%3Atara&item=resource%3Ayou-my-sister"


def change(apps, old, new):
    presets = apps.get_model("handouts", "HandoutPreset").objects
    presets.filter(slug=SLUG, query=old).update(query=new)


class Migration(migrations.Migration):
    dependencies = [("handouts", "0007_plain_english_help_for_editors")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: change(apps, OLD, NEW),
            lambda apps, editor: change(apps, NEW, OLD),
        )
    ]
