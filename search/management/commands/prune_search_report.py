from django.core.management.base import BaseCommand

from search import report


class Command(BaseCommand):
    help = (
        f"Delete counts of searches with no results older than {report.KEEP_DAYS} "
        "days (they are also deleted whenever a new count is written)."
    )

    def handle(self, *args, **options):
        deleted = report.prune()
        self.stdout.write(f"Deleted {deleted} old count(s).")
