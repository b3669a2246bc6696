import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from editorial.content import fixtures


def export_fixture(models):
    """The models' rows as loaddata reads them: natural keys, stable order."""
    objects = []
    for model in models:
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
        # What each fixture holds, in load order: every item only points at
        # items before it.
        for name, models in fixtures().items():
            path = directory / name
            path.write_text(export_fixture(models), encoding="utf-8")
            if options["verbosity"]:
                self.stdout.write(f"Wrote {path}")
