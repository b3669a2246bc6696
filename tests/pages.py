"""Pages as the tests reach and read them."""

from bs4 import BeautifulSoup, NavigableString, Tag
from django.urls import reverse


def page_of(client, url):
    """The page at ``url``, parsed; it must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return parse(response)


def admin_url(obj, view="change", *args):
    """The address of one of the item's admin pages ("change", "history", ...)."""
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args]
    )


# Elements a browser starts on a line of their own: their text is kept apart.
BLOCKS = {
    "article", "blockquote", "br", "caption", "dd", "div", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "nav",
    "ol", "p", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip


def parse(page):
    """A page (a response, bytes or a string) as a BeautifulSoup document.

    lxml (installed with python-docx) parses a page about five times faster
    than html.parser; every test reads pages through BeautifulSoup."""
    return BeautifulSoup(getattr(page, "content", page), "lxml")


def text(element):
    """The element's text with white space folded, blocks kept apart, so a
    check holds however the HTML is laid out."""
    return " ".join("".join(_strings(element)).split())


def _strings(element):
    for child in element.children:
        if isinstance(child, Tag):
            gap = " " if child.name in BLOCKS else ""
            yield gap
            yield from _strings(child)
            yield gap
        elif type(child) is NavigableString:  # not a comment or a doctype
            yield str(child)
