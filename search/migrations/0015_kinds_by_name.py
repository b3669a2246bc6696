"""Search kinds by name: the kinds are those content models declare.

Document ids no longer carry a kind (0005 packed one in). Every row is kept
as it is: its old id stays unique, and the kind it has is already its name.
New rows take ordinary ids. The new index finds a kind's ids for ranking.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0014_organisation_kind_reads_local_support'),
    ]

    operations = [
        migrations.AlterField(
            model_name='document',
            name='kind',
            field=models.CharField(max_length=30),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['kind', 'id'], name='search_kind'),
        ),
    ]
