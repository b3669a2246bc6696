"""More of the field's vocabulary: words practitioners type that the briefing
says another way (editable under Site search › Synonyms)."""

from django.db import migrations

SYNONYMS = [
    (
        "housing\naccommodation\nhomeless\nhomelessness\nsomewhere to stay\n"
        "somewhere to sleep\nshelter",
        "The briefing speaks of exchanging sex for shelter or somewhere to stay; "
        "readers search for housing and homelessness.",
    ),
    (
        "images\nphotos\npictures\nnudes",
        "The briefing says 'images'; readers may say photos or nudes.",
    ),
    ("partner\nboyfriend", "Readers may say boyfriend where the briefing says partner."),
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms, note in SYNONYMS:
        Synonym.objects.get_or_create(terms=terms, defaults={"note": note})


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(terms__in=[terms for terms, _ in SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0005_kind_ranges_and_titles")]

    operations = [migrations.RunPython(seed, unseed)]
