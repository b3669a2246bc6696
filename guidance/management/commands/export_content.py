import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from editorial.content import editor_data, fixtures


def export_fixture(models):
    """The models' rows as loaddata reads them: natural keys, stable order.

    A model with ``to_fixture`` writes some fields its own way (a best bet
    names its items by natural key); load_content reads them back with
    ``from_fixture``.
    """
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
    for record, obj in zip(data, objects, strict=True):
        if hasattr(obj, "to_fixture"):
            try:
                record["fields"] = obj.to_fixture(record["fields"])
            except ValueError as error:
                raise CommandError(
                    f"Cannot export {obj._meta.label_lower}: {error}."
                ) from error
    # The JSON serializer's own encoding, laid out for readable diffs in git.
    text = json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
    return text + "\n"


class Command(BaseCommand):
    help = (
        "Write the content, and what editors keep beside it (search vocabulary, "
        "best bets, handout presets), back to fixtures/ for review in git."
    )

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
        # items before it. Every file is made before any is written, so a
        # failed export leaves fixtures/ as it was.
        files = {
            name: export_fixture(models)
            for name, models in {**fixtures(), **editor_data()}.items()
        }
        for name, text in files.items():
            path = directory / name
            path.write_text(text, encoding="utf-8")
            if options["verbosity"]:
                self.stdout.write(f"Wrote {path}")
