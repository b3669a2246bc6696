import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import (
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import transaction

from editorial.bulk import bulk_load
from editorial.content import editor_data, fixtures
from guidance.models import Briefing


def load_editor_data(path):
    """Load what editors keep beside the content (fixtures/search.json, ...),
    each row updated in place by its natural key. A row that names an item
    the content lacks stops the load with a message saying which and why."""
    for record in json.loads(path.read_text(encoding="utf-8")):
        model = apps.get_model(record["model"])
        fields = record["fields"]
        try:
            if hasattr(model, "from_fixture"):
                fields = model.from_fixture(fields)
            for obj in serializers.deserialize(
                "python", [{**record, "fields": fields}]
            ):
                obj.save()
        except (
            ValueError,
            DeserializationError,
            ValidationError,
            ObjectDoesNotExist,
            MultipleObjectsReturned,
        ) as error:
            name = next(iter(record["fields"].values()), "")
            name = " / ".join(str(name).splitlines()[:2])
            raise CommandError(
                f"{path.name}: the {model._meta.verbose_name} '{name}' cannot be "
                f"loaded: {error}."
            ) from error


class Command(BaseCommand):
    help = (
        "Load the guidance content from fixtures/, then the search vocabulary, "
        "best bets and handout presets (natural keys: safe to run twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when no briefing exists yet, so admin edits are never overwritten.",
        )
        parser.add_argument(
            "--input",
            default=str(settings.BASE_DIR / "fixtures"),
            help="Directory to read the fixtures from (default: fixtures/), "
            "as export_content --output wrote them.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Briefing.objects.exists():
            self.stdout.write("Content already loaded: leaving the database as it is.")
            return
        directory = Path(options["input"])
        # One transaction: a fixture that cannot load leaves nothing half done.
        with transaction.atomic():
            # In dependency order: each fixture only points at the ones before it.
            paths = [str(directory / name) for name in fixtures()]
            # Indexed once at the end, not item by item (editorial.bulk).
            with bulk_load():
                call_command("loaddata", *paths, verbosity=options["verbosity"])
                # Editors' data names content items, so it comes after them.
                for name in editor_data():
                    load_editor_data(directory / name)
        # loaddata saves raw, without history: record the loaded versions so the
        # first edit of each item can be reverted.
        call_command("populate_history", "--auto", verbosity=0)
