"""PDFs made by WeasyPrint from the same HTML and print stylesheet as the pages.

WeasyPrint never reaches the network: its URL fetcher serves the site's own
static files from disk and refuses everything else (a link in editor markdown
must not make the server fetch it).

A PDF address is a reader page like any other, so the page cache keeps each
PDF once per content version (any extra query parameter is ignored). Below
that, PDFs are also kept on a digest of the HTML they are made from, so a new
content version that leaves a page unchanged costs no new rendering.
"""

import hashlib
import logging
import mimetypes
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.urls import reverse
from django.utils.text import slugify

from editorial.pagecache import cache_get, cache_set
from guidance.citations import public_url

# Bump when the rendering changes in a way the HTML does not show.
PDF_VERSION = "2"
CACHE_SECONDS = 60 * 60 * 24 * 30
NONCE = re.compile(r'\snonce="[^"]*"')

# WeasyPrint warns about every CSS property meant for screens only.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def _static_file(path):
    """The file on disk behind a /static/ path, or None."""
    name = unquote(path[len(settings.STATIC_URL) :])
    if not name or ".." in Path(name).parts:
        return None
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    found = finders.find(name)
    return Path(found) if found else None


@cache
def static_only_fetcher():
    """WeasyPrint's URL fetcher, narrowed to /static/ files from disk.

    Built on first use: importing WeasyPrint takes most of a second, and only
    PDF requests need it.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            if path.startswith(settings.STATIC_URL):
                file = _static_file(path)
            else:
                file = None
            if file is None or not file.is_file():
                raise ValueError(
                    f"Not fetched (PDFs use local static files only): {url}"
                )
            content_type = mimetypes.guess_type(file.name)[0]
            return URLFetcherResponse(
                url,
                body=file.read_bytes(),
                headers={"Content-Type": content_type or "application/octet-stream"},
            )

    return StaticOnlyFetcher


@cache
def _stylesheet_digest():
    # Stylesheets change the PDF without changing the HTML that links them.
    digest = hashlib.sha256()
    for name in ("css/site.css", "css/print.css"):
        found = finders.find(name)
        if found:
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()


def cache_key(html):
    # A per-response CSP nonce would make every copy of a page look new.
    digest = hashlib.sha256(NONCE.sub("", html).encode())
    digest.update(_stylesheet_digest().encode())
    digest.update(PDF_VERSION.encode())
    return f"pdf:{digest.hexdigest()}"


def render_document(html, base_url):
    """The laid-out pages (WeasyPrint's Document), before they become a PDF."""
    from weasyprint import HTML

    fetcher = static_only_fetcher()()
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()


def write_pdf(document):
    """The PDF bytes of a laid-out document, tagged for screen readers.

    Tags give the PDF its headings, lists and reading order; WeasyPrint also
    sets the catalog's language (from <html lang>), MarkInfo and
    DisplayDocTitle, so a viewer shows the title rather than the file name.
    Plain tags, not the pdf/ua-1 variant: that would claim a PDF/UA
    conformance nobody has checked.
    """
    return document.write_pdf(pdf_tags=True)


def render_pdf(html, base_url):
    return write_pdf(render_document(html, base_url))


def cached_pdf(html, base_url):
    key = cache_key(html)
    pdf = cache_get(key)
    if pdf is None:
        pdf = render_pdf(html, base_url)
        cache_set(key, pdf, CACHE_SECONDS)
    return pdf


def pdf_response(request, html, filename):
    pdf = cached_pdf(html, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(filename) or "handout"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def page_pdf(request, page, url_name, slug):
    """The page of the item with this slug as a PDF named after it: the page's
    own context and template.

    The page's address (``url_name`` with the slug) is printed and QR-coded on
    the PDF in place of the PDF's own.
    """
    address = reverse(url_name, args=[slug])
    extra = {"page_address": public_url(request, address)}
    html = page.render_to_string(request, extra, slug=slug)
    return pdf_response(request, html, slug)
