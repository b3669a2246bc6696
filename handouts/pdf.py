"""PDFs made by WeasyPrint from the same HTML and print stylesheet as the pages.

WeasyPrint never reaches the network: its URL fetcher serves the site's own
static files from disk and refuses everything else (a link in editor markdown
must not make the server fetch it). PDFs are cached twice:

- on a digest of the HTML they are made from, so unchanged content is never
  rendered twice and a changed practice point gives a fresh PDF;
- on the request (address, day, and a content version that every save or
  delete of guidance content changes), so a repeat request skips the database
  and templates too. Changes made without signals (queryset.update()) reach
  this second cache within REQUEST_CACHE_SECONDS.
"""

import hashlib
import logging
import mimetypes
import re
import uuid
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache as django_cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

# Bump when the rendering changes in a way the HTML does not show.
PDF_VERSION = "1"
CACHE_SECONDS = 60 * 60 * 24 * 30
REQUEST_CACHE_SECONDS = 10 * 60
VERSION_KEY = "pdf:content-version"
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


def render_pdf(html, base_url):
    from weasyprint import HTML

    fetcher = static_only_fetcher()()
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def cached_pdf(html, base_url):
    key = cache_key(html)
    pdf = django_cache.get(key)
    if pdf is None:
        pdf = render_pdf(html, base_url)
        django_cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def content_changed(**kwargs):
    """Signal receiver: some guidance changed, so no request-keyed PDF is current."""
    django_cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _content_version():
    version = django_cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        django_cache.add(VERSION_KEY, version, None)
        version = django_cache.get(VERSION_KEY, version)
    return version


def _request_key(request):
    parts = [
        request.get_host(),
        request.get_full_path(),
        settings.SITE_URL,
        timezone.localdate().isoformat(),  # PDFs print the day they were made
        _content_version(),
        _stylesheet_digest(),
        PDF_VERSION,
    ]
    return "pdf:request:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(filename) or "handout"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def cached_response(request):
    """The PDF already made for this very request, or None."""
    found = django_cache.get(_request_key(request))
    return _response(*found) if found else None


def pdf_response(request, html, filename):
    pdf = cached_pdf(html, request.build_absolute_uri("/"))
    django_cache.set(_request_key(request), (pdf, filename), REQUEST_CACHE_SECONDS)
    return _response(pdf, filename)


def public_url(request, path):
    """The address readers should type or scan: SITE_URL when set."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)
