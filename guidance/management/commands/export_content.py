import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

# What each fixture holds, in load order: every item only points at items before it.
FIXTURE_MODELS = {
    "guidance.json": [
        "guidance.Audience",
        "guidance.ResearchReference",
        "guidance.Briefing",
        "guidance.Section",
        "guidance.Quote",
        "guidance.Resource",
        "guidance.GlossaryTerm",
    ],
    "practice_points.json": [
        "practice_points.PracticePoint",
        "practice_points.PracticeList",
        "practice_points.PracticeListItem",
        "practice_points.Prompt",
        "practice_points.ReflectiveQuestion",
    ],
    "snapshot.json": [
        "snapshot.Organisation",
        "snapshot.Snapshot",
        "snapshot.Figure",
        "snapshot.Study",
        "snapshot.StudyFigure",
    ],
}


def export_fixture(labels):
    """The models' rows as loaddata reads them: natural keys, stable order."""
    objects = []
    for label in labels:
        model = apps.get_model(label)
        # Meta.ordering then pk: the same order in any database the content is
        # loaded into, because loading follows the file's order.
        ordering = [*model._meta.ordering, "pk"]
        objects.extend(model._default_manager.order_by(*ordering))
    data = serializers.serialize(
        "python",
        objects,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    # The JSON serializer's own encoding, laid out for readable diffs in git.
    text = json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
    return text + "\n"


class Command(BaseCommand):
    help = "Write the content in the database back to fixtures/ for review in git."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "fixtures"),
            help="Directory to write the fixtures to (default: fixtures/).",
        )

    def handle(self, *args, output, **options):
        directory = Path(output)
        directory.mkdir(parents=True, exist_ok=True)
        for name, labels in FIXTURE_MODELS.items():
            path = directory / name
            path.write_text(export_fixture(labels), encoding="utf-8")
            if options["verbosity"]:
                self.stdout.write(f"Wrote {path}")
