from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from editorial.pagecache import reader_page
from guidance.models import Briefing

from . import formats
from .briefings import document_from_briefing
from .readable import for_readers


def download(doc, slug, kind):
    response = HttpResponse(
        formats.write(doc, kind), content_type=formats.CONTENT_TYPES[kind]
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}.{kind}"'
    return response


@reader_page()
def briefing_download(request, slug, kind):
    """A published briefing, as readers see it, as a Word or Markdown file."""
    if kind not in formats.CONTENT_TYPES:
        raise Http404
    briefing = get_object_or_404(Briefing.objects.published(), slug=slug)
    doc = document_from_briefing(briefing, published_only=True)
    return download(for_readers(doc, request), slug, kind)
