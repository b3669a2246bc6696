"""Handout items name their kinds as site search does (point: practice-point,
reflection: reflective-question, reference: research): the presets say so too.

Addresses with the old names keep working (handouts.selection.OLD_KINDS).
"""

from urllib.parse import parse_qsl, urlencode

from django.db import migrations

RENAMED = {
    "point": "practice-point",
    "reflection": "reflective-question",
    "reference": "research",
}


def _renamed(query, names):
    pairs = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        kind, colon, slug = value.partition(":")
        if key == "item" and colon and kind in names:
            value = f"{names[kind]}:{slug}"
        pairs.append((key, value))
    return urlencode(pairs)


def rename(names):
    def run(apps, schema_editor):
        HandoutPreset = apps.get_model("handouts", "HandoutPreset")
        for preset in HandoutPreset.objects.all():
            query = _renamed(preset.query, names)
            if query != preset.query:
                preset.query = query
                preset.save(update_fields=["query"])

    return run


class Migration(migrations.Migration):
    dependencies = [("handouts", "0004_saved_handout")]
    operations = [
        migrations.RunPython(
            rename(RENAMED), rename({new: old for old, new in RENAMED.items()})
        )
    ]
