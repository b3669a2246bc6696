from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = "Rebuild the site search index from the published content."

    def handle(self, *args, **options):
        count = index.rebuild()
        self.stdout.write(f"Search index rebuilt: {count} items.")
