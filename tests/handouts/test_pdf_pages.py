"""PDFs that don't waste paper: every page but the last is at least a fifth full.

Each PDF is laid out by WeasyPrint as the site makes it; a page's fill is how far
down its content area the lowest laid-out line, image or border reaches.
"""

import pytest

from guidance import pdf
from tests.conftest import BRIEFING

# Lays out PDFs (WeasyPrint): make test runs it, make test-fast does not. How a
# page is laid out on paper is the same on every database engine.
pytestmark = [pytest.mark.slow, pytest.mark.same_on_every_engine]

HANDOUT = "/handouts/handout.pdf"
# Controls that only work on a screen: none belongs on paper.
SCREEN_ONLY = [
    "More on this figure",
    "Print this page",
    "Back to top",
    "Cite this",
    "Help us improve",
    "Download PDF",
    "Change this handout",
]


def _leaves(box):
    children = getattr(box, "children", None)
    if not children:
        yield box
        return
    for child in children:
        yield from _leaves(child)


def _content(page):
    """The page's laid-out document (its margin boxes, header and footer, aside)."""
    page_box = page._page_box
    return [c for c in page_box.children if type(c).__name__ != "MarginBox"]


def page_fill(page):
    """The share of a page's content height its content reaches down to."""
    page_box = page._page_box
    top = page_box.content_box_y()
    bottom = max(
        (
            leaf.position_y + leaf.margin_height()
            for root in _content(page)
            for leaf in _leaves(root)
            if leaf.margin_height()
        ),
        default=top,
    )
    return (bottom - top) / page_box.height


def page_text(page):
    return " ".join(
        leaf.text
        for root in _content(page)
        for leaf in _leaves(root)
        if getattr(leaf, "text", None)
    )


@pytest.fixture
def laid_out(monkeypatch):
    """The documents WeasyPrint lays out while the test runs, in order."""
    documents = []

    def render(html, base_url):
        document = pdf.render_document(html, base_url)
        documents.append(document)
        return pdf.write_pdf(document)

    monkeypatch.setattr(pdf, "render_pdf", render)
    return documents


FOUR_ITEMS = [
    "practice-point:ask-the-question",
    "figure:domestic-abuse",
    "quote:wendy-box",
    "resource:tara",
]
# name: (address, its parameters, the most pages it may take)
PDFS = {
    "snapshot": ("/snapshot/encompass-snapshot-2021.pdf", None, 6),
    "briefing": (f"/briefings/{BRIEFING}.pdf", None, 9),
    "practice-point": ("/practice-points/ask-the-question.pdf", None, 1),
    "four-item-handout": (HANDOUT, {"title": "Session", "item": FOUR_ITEMS}, 1),
    # A plain cover, the content, and a back page with the QR code.
    "discreet-handout": (
        HANDOUT,
        {"discreet": "1", "item": ["resource:tara", FOUR_ITEMS[0]]},
        3,
    ),
}


# Each PDF laid out once per run, read by every test below: the loaded content
# they are made from is the same for each test, and laying one out takes seconds.
LAID_OUT = {}


@pytest.fixture(params=PDFS)
def document(request, client, content, laid_out):
    url, params, most_pages = PDFS[request.param]
    if request.param not in LAID_OUT:
        response = client.get(url, params, follow=True)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        [LAID_OUT[request.param]] = laid_out
    return LAID_OUT[request.param], most_pages


def test_no_page_but_the_last_is_less_than_a_fifth_full(document):
    document, most_pages = document
    fills = [round(page_fill(page), 2) for page in document.pages]
    assert all(fill >= 0.2 for fill in fills[:-1]), fills
    assert len(fills) <= most_pages, fills


def test_nothing_only_a_screen_can_use_is_printed(document):
    document, _ = document
    text = " ".join(page_text(page) for page in document.pages)
    assert text.strip()
    for control in SCREEN_ONLY:
        assert control not in text


def test_a_heading_is_never_last_on_its_page(document):
    document, _ = document
    for page in document.pages[:-1]:
        lowest = max(
            (
                leaf
                for root in _content(page)
                for leaf in _leaves(root)
                if leaf.margin_height() and getattr(leaf, "text", "").strip()
            ),
            key=lambda leaf: leaf.position_y,
        )
        assert lowest.element_tag not in {"h1", "h2", "h3", "h4"}, page_text(page)


def test_the_snapshot_chart_its_heading_and_its_table_share_a_page(
    client, content, laid_out
):
    client.get(PDFS["snapshot"][0])
    [document] = laid_out
    pages = [page_text(page) for page in document.pages]
    [with_heading] = [text for text in pages if "The figures as a chart" in text]
    assert "Horizontal bar chart" in with_heading  # the chart's description
    assert "Printed in the source" in with_heading  # its table's last column
