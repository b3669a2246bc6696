"""Once seeded the first search vocabulary.

Its rows now live in fixtures/search.json, loaded by `manage.py load_content` and written back by `export_content`: a fresh database gets them from
there, and a database that ran this migration before keeps the rows it made (the same rows). Emptied, not deleted, so databases that applied it
keep a consistent migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = []
