from django.conf import settings
from django.core.management.base import BaseCommand

from handouts.models import SavedHandout


class Command(BaseCommand):
    help = (
        "Delete saved handouts nobody has made or opened for HANDOUT_KEEP_DAYS "
        f"({settings.HANDOUT_KEEP_DAYS}) days."
    )

    def handle(self, *args, **options):
        deleted = SavedHandout.prune()
        self.stdout.write(f"Deleted {deleted} unused handout(s).")
