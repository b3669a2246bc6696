"""The field's vocabulary an editor starts with (editable under Site search)."""

from django.db import migrations

SYNONYMS = [
    (
        "sex work\nsex worker\nprostitution\nselling or exchanging sex",
        "Terms for selling or exchanging sex; readers use all of them. "
        "'prostitution' also finds 'prostitute': both engines stem them alike.",
    ),
    (
        "CSE\nchild sexual exploitation\ncommercial sexual exploitation",
        "In the briefing 'CSE services' means commercial sexual exploitation "
        "services; readers may also mean child sexual exploitation.",
    ),
    ("VAW\nviolence against women", ""),
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms, note in SYNONYMS:
        Synonym.objects.get_or_create(terms=terms, defaults={"note": note})


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(terms__in=[terms for terms, _ in SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [migrations.RunPython(seed, unseed)]
