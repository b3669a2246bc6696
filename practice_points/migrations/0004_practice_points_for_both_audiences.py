from django.db import migrations

# The briefing's introduction tells children and families social workers that
# the practice points "will support you in your work", while their heading says
# "Practice points for substance misuse professionals": the source addresses
# every practice point to both.
SOCIAL_WORK = "children-and-families-social-work"
SUBSTANCE_MISUSE = "substance-misuse-professionals"


def tag_for_both(apps, schema_editor):
    Audience = apps.get_model("guidance", "Audience")
    PracticePoint = apps.get_model("practice_points", "PracticePoint")
    social_work = Audience.objects.filter(slug=SOCIAL_WORK).first()
    if social_work is None:
        return  # a database without the briefing's audiences: nothing to tag
    for point in PracticePoint.objects.filter(audiences__slug=SUBSTANCE_MISUSE):
        point.audiences.add(social_work)


def untag(apps, schema_editor):
    PracticePoint = apps.get_model("practice_points", "PracticePoint")
    for point in PracticePoint.objects.filter(audiences__slug=SUBSTANCE_MISUSE):
        point.audiences.remove(*point.audiences.filter(slug=SOCIAL_WORK))


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0001_initial"),
        ("practice_points", "0003_short_titles"),
    ]

    operations = [
        migrations.RunPython(tag_for_both, untag),
    ]
