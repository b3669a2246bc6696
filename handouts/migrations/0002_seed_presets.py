from django.db import migrations

PRESETS = [
    {
        "slug": "one-page-asking-the-question",
        "name": "One-page: asking the question",
        "description": "For a short session on asking about selling or exchanging sex: "
        "why and how to ask, the example questions and one woman's words.",
        "query": "title=Asking+the+question&item=point%3Aask-the-question"
        "&item=point%3Aindividuals-may-hide-their-involvement"
        "&item=quote%3Alevi-numbed",
        "position": 1,
    },
    {
        "slug": "snapshot-and-practice",
        "name": "The Snapshot and what it means for practice",
        "description": "Headline Snapshot figures with the practice points on diversity "
        "of experience, the exchange not being for money and trauma-informed work.",
        "query": "title=The+Encompass+Snapshot+and+practice"
        "&item=figure%3Aunder-18-when-first-involved&item=figure%3Achildren-removed"
        "&item=figure%3Adomestic-abuse&item=figure%3Achildhood-sexual-abuse"
        "&item=point%3Arecognise-the-diversity-of-experiences"
        "&item=point%3Athe-exchange-may-not-be-for-money"
        "&item=point%3Atrauma-informed-approach",
        "position": 2,
    },
    {
        "slug": "discreet-where-to-get-support",
        "name": "Discreet: where to get support",
        "description": "A plain-covered list of support organisations a practitioner can "
        "give to a woman.",
        "query": "discreet=1&item=resource%3Aencompass-network&item=resource%3Atara"
        "&item=resource%3Ayou-my-sister",
        "position": 3,
    },
]


def seed(apps, schema_editor):
    HandoutPreset = apps.get_model("handouts", "HandoutPreset")
    for preset in PRESETS:
        HandoutPreset.objects.update_or_create(slug=preset["slug"], defaults=preset)


def unseed(apps, schema_editor):
    HandoutPreset = apps.get_model("handouts", "HandoutPreset")
    HandoutPreset.objects.filter(slug__in=[p["slug"] for p in PRESETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("handouts", "0001_handout_preset")]
    operations = [migrations.RunPython(seed, unseed)]
