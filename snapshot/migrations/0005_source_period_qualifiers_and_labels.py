"""The Snapshot period as the source states it, qualifiers kept as data, and
study figures' labels and sources as the briefing gives them (issue 15).

The source says only "over a week in November 2021": the day-exact bounds
(period_start, period_end) are replaced by the month and the length.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def months_from_dates(apps, schema_editor):
    for name in ["Snapshot", "HistoricalSnapshot"]:
        model = apps.get_model("snapshot", name)
        for row in model.objects.all():
            row.period_month = row.period_start.strftime("%Y-%m")
            row.save(update_fields=["period_month"])


def dates_from_months(apps, schema_editor):
    for name in ["Snapshot", "HistoricalSnapshot"]:
        model = apps.get_model("snapshot", name)
        for row in model.objects.all():
            row.period_start = row.period_end = f"{row.period_month}-01"
            row.save(update_fields=["period_start", "period_end"])


class Migration(migrations.Migration):

    dependencies = [
        ('guidance', '0005_quote_speaker_as_given'),
        ('snapshot', '0004_historicalfigure_display_and_more'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='snapshot',
            options={'ordering': ['-period_month', 'position']},
        ),
        migrations.AddField(
            model_name='figure',
            name='qualifier',
            field=models.CharField(blank=True, help_text="Words the source puts before the number, kept with it: 'less than', 'about'.", max_length=60),
        ),
        migrations.AddField(
            model_name='historicalfigure',
            name='qualifier',
            field=models.CharField(blank=True, help_text="Words the source puts before the number, kept with it: 'less than', 'about'.", max_length=60),
        ),
        migrations.AddField(
            model_name='historicalsnapshot',
            name='period_length',
            field=models.CharField(blank=True, help_text="How long it ran, as the source says, e.g. 'one week'.", max_length=50),
        ),
        migrations.AddField(
            model_name='historicalsnapshot',
            name='period_month',
            field=models.CharField(default='', help_text='The month the Snapshot ran, as YYYY-MM (e.g. 2021-11). Used to put Snapshots in order.', max_length=7, validators=[django.core.validators.RegexValidator('^\\d{4}-(0[1-9]|1[0-2])$', 'Use the form YYYY-MM.')]),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalstudy',
            name='source_note',
            field=models.CharField(blank=True, help_text="Shown instead of a source when the briefing names none, e.g. 'Not named in the briefing; see the research listed in the references.'", max_length=300),
        ),
        migrations.AddField(
            model_name='historicalstudyfigure',
            name='qualifier',
            field=models.CharField(blank=True, help_text="Words the source puts before the number, kept with it: 'less than', 'about'.", max_length=60),
        ),
        migrations.AddField(
            model_name='historicalstudyfigure',
            name='title',
            field=models.CharField(blank=True, help_text="A short name in the source's words for chart and table rows, without the number, e.g. 'Lack of financial support'.", max_length=300),
        ),
        migrations.AddField(
            model_name='snapshot',
            name='period_length',
            field=models.CharField(blank=True, help_text="How long it ran, as the source says, e.g. 'one week'.", max_length=50),
        ),
        migrations.AddField(
            model_name='snapshot',
            name='period_month',
            field=models.CharField(default='', help_text='The month the Snapshot ran, as YYYY-MM (e.g. 2021-11). Used to put Snapshots in order.', max_length=7, validators=[django.core.validators.RegexValidator('^\\d{4}-(0[1-9]|1[0-2])$', 'Use the form YYYY-MM.')]),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='study',
            name='source_note',
            field=models.CharField(blank=True, help_text="Shown instead of a source when the briefing names none, e.g. 'Not named in the briefing; see the research listed in the references.'", max_length=300),
        ),
        migrations.AddField(
            model_name='studyfigure',
            name='qualifier',
            field=models.CharField(blank=True, help_text="Words the source puts before the number, kept with it: 'less than', 'about'.", max_length=60),
        ),
        migrations.AddField(
            model_name='studyfigure',
            name='title',
            field=models.CharField(blank=True, help_text="A short name in the source's words for chart and table rows, without the number, e.g. 'Lack of financial support'.", max_length=300),
        ),
        migrations.AlterField(
            model_name='historicalstudy',
            name='reference',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Only when the briefing itself names the reference for this study.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='guidance.researchreference'),
        ),
        migrations.AlterField(
            model_name='study',
            name='reference',
            field=models.ForeignKey(blank=True, help_text='Only when the briefing itself names the reference for this study.', null=True, on_delete=django.db.models.deletion.SET_NULL, to='guidance.researchreference'),
        ),
        migrations.RunPython(months_from_dates, dates_from_months),
        migrations.RemoveField(
            model_name='historicalsnapshot',
            name='period_end',
        ),
        migrations.RemoveField(
            model_name='historicalsnapshot',
            name='period_start',
        ),
        migrations.RemoveField(
            model_name='snapshot',
            name='period_end',
        ),
        migrations.RemoveField(
            model_name='snapshot',
            name='period_start',
        ),
    ]
