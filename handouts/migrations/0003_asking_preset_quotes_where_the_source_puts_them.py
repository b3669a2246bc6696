"""The "asking the question" preset showed Levi's "numbed oot" words beside the
asking and hiding points; the source puts them under "Drug & alcohol use may be
a factor" (issue 15). Presets place quotes where the source does, so this one
keeps to the two points and their example questions."""

from django.db import migrations

SLUG = "one-page-asking-the-question"
BEFORE = {
    "description": "For a short session on asking about selling or exchanging sex: "
    "why and how to ask, the example questions and one woman's words.",
    "query": "title=Asking+the+question&item=point%3Aask-the-question"
    "&item=point%3Aindividuals-may-hide-their-involvement"
    "&item=quote%3Alevi-numbed",
}
AFTER = {
    "description": "For a short session on asking about selling or exchanging sex: "
    "why and how to ask, and the example questions.",
    "query": "title=Asking+the+question&item=point%3Aask-the-question"
    "&item=point%3Aindividuals-may-hide-their-involvement",
}


def _update(apps, old, new):
    HandoutPreset = apps.get_model("handouts", "HandoutPreset")
    # Only the seeded version: a preset an editor has changed is left alone.
    HandoutPreset.objects.filter(slug=SLUG, query=old["query"]).update(**new)


def forwards(apps, schema_editor):
    _update(apps, BEFORE, AFTER)


def backwards(apps, schema_editor):
    _update(apps, AFTER, BEFORE)


class Migration(migrations.Migration):
    dependencies = [("handouts", "0002_seed_presets")]
    operations = [migrations.RunPython(forwards, backwards)]
