from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents import formats
from documents.briefings import SlugTaken, create_briefing, short_slug
from guidance.models import Briefing


class Command(BaseCommand):
    help = (
        "Import a briefing from a Word (.docx) or Markdown (.md) file as drafts, "
        "with the conventions in docs/importing.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--slug", help="Its address; made from the title if not given."
        )

    def handle(self, path, slug=None, **options):
        path = Path(path)
        try:
            size = path.stat().st_size
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            formats.kind_of(path.name)
            formats.check_size(size)
            doc = formats.read(path.read_bytes(), path.name)
        except formats.ImportProblem as problem:
            raise CommandError(
                f"{path.name}: {problem} Nothing was imported."
            ) from problem
        slug = slug or short_slug(doc.title)
        if not slug:
            raise CommandError(
                "No address can be made from this title: give one with --slug. "
                "Nothing was imported."
            )
        if Briefing.objects.filter(slug=slug).exists():
            raise CommandError(
                f"A briefing with the address “{slug}” already exists: give another "
                "with --slug. Nothing was imported."
            )
        try:
            briefing = create_briefing(doc, slug, path.name)
        except SlugTaken as error:
            raise CommandError(
                f"“{slug}” was taken meanwhile. Nothing was imported."
            ) from error
        for note in doc.unclassified:
            self.stdout.write(f"Kept as text ({note['where']}): {note['reason']}")
        for image in doc.images_not_imported:
            self.stdout.write(
                f"Image not imported ({image['where']}): {image['alt'] or 'no alt text'}"
            )
        self.stdout.write(
            f"Imported “{briefing.title}” as drafts at /briefings/{slug}/: "
            f"{doc.counted()}. Publish it in the admin when it is ready."
        )
