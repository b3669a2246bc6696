"""CSE: the source uses it for commercial and child sexual exploitation alike,
so its tooltip no longer asserts one (issue 26). Edited terms are kept."""

from django.db import migrations

OLD = (
    "Commercial sexual exploitation",
    "Used in the briefing in “specialist CSE services”, which it does not spell "
    "out. The editors read it as commercial sexual exploitation, the harm the "
    "briefing says “children & families social work have a key role in "
    "addressing”. Where child sexual exploitation is meant, this guidance writes "
    "it out in full.",
)
NEW = (
    "Commercial or child sexual exploitation: the briefing does not say which",
    "The briefing writes “specialist CSE services” without spelling CSE out. It "
    "speaks of both commercial sexual exploitation and child sexual exploitation, "
    "and CSE is used for either: read it from where it appears.",
)


def change(apps, old, new):
    terms = apps.get_model("guidance", "GlossaryTerm").objects.filter(slug="cse")
    terms.filter(expansion=old[0]).update(expansion=new[0])
    terms.filter(definition=old[1]).update(definition=new[1])


class Migration(migrations.Migration):
    dependencies = [("guidance", "0010_plain_english_help_for_editors")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: change(apps, OLD, NEW),
            lambda apps, editor: change(apps, NEW, OLD),
        )
    ]
