"""Once took the Encompass Network itself off the discreet preset (issue 26):
its name, searched for, leads straight to what the handout is about.

Presets now live in fixtures/handouts.json, loaded by `manage.py load_content`,
which already holds the preset without the network: a fresh database and an
upgraded one get the same row from there. Emptied, not deleted, so databases
that applied it keep a consistent migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("handouts", "0007_plain_english_help_for_editors")]

    operations = []
