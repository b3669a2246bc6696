from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents import formats
from documents.briefings import document_from_briefing
from guidance.models import Briefing


class Command(BaseCommand):
    help = (
        "Write a briefing (drafts included) to a Word (.docx) or Markdown (.md) "
        "file, in the conventions import_briefing reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["docx", "md"], default="docx")
        parser.add_argument("-o", "--output", type=Path, help="Defaults to SLUG.FORMAT")

    def handle(self, slug, format, output=None, **options):
        briefing = Briefing.objects.filter(slug=slug).first()
        if briefing is None:
            raise CommandError(f"No briefing has the address “{slug}”.")
        data = formats.write(
            document_from_briefing(briefing, published_only=False), format
        )
        output = Path(output or f"{slug}.{format}")
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
        self.stdout.write(f"Wrote {output} ({len(data):,} bytes).")
