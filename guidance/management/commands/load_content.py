from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from editorial.content import fixtures
from guidance.models import Briefing


class Command(BaseCommand):
    help = "Load the guidance content from fixtures/ (natural keys: safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when no briefing exists yet, so admin edits are never overwritten.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Briefing.objects.exists():
            self.stdout.write("Content already loaded: leaving the database as it is.")
            return
        # In dependency order: each fixture only points at the ones before it.
        paths = [str(settings.BASE_DIR / "fixtures" / name) for name in fixtures()]
        call_command("loaddata", *paths, verbosity=options["verbosity"])
        # loaddata saves raw, without history: record the loaded versions so the
        # first edit of each item can be reverted.
        call_command("populate_history", "--auto", verbosity=0)
