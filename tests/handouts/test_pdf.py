"""PDFs are real, hold what was chosen, never touch the network, and are cached."""

import io
import re

import pytest
from pypdf import PdfReader

from guidance import pdf
from practice_points.models import PracticePoint
from tests.conftest import BRIEFING
from tests.pages import parse

# Renders PDFs (WeasyPrint): make test runs it, make test-fast does not.
pytestmark = pytest.mark.slow

# The site's header and menu (not "In their words": the quotes' own heading).
NAVIGATION = ["Skip to main content", "Search the guidance", "Using this site safely"]
SOME_ITEMS = [
    "practice-point:ask-the-question",
    "figure:domestic-abuse",
    "resource:tara",
]


def read_pdf(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    return reader, pages, " ".join(" ".join(pages).split())


_LAID_OUT = {}  # (url, params): the response, for this module's tests


def laid_out(client, url, params=None):
    """The PDF at ``url`` of the loaded content (after any redirect to its
    short address), laid out once for this module.

    Each test starts from the same loaded content (its changes roll back), and
    WeasyPrint takes seconds a PDF: the tests that only read one share it.
    """
    key = (url, repr(params))
    if key not in _LAID_OUT:
        _LAID_OUT[key] = client.get(url, params, follow=True)
    return _LAID_OUT[key]


def test_handout_pdf_holds_the_chosen_items_and_not_the_others(client, content):
    response = client.get(
        "/handouts/handout.pdf",
        {
            "title": "Asking about selling sex",
            "audience": "Substance misuse team",
            "item": [
                "practice-point:ask-the-question",
                "practice-point:drug-and-alcohol-use-may-be-a-factor",
                "practice-point:individuals-may-hide-their-involvement",
                "figure:domestic-abuse",
                "figure:childhood-sexual-abuse",
                "quote:wendy-box",
            ],
        },
        follow=True,
    )
    reader, pages, text = read_pdf(response)
    assert 1 <= len(pages) <= 3
    for chosen in [
        "Asking about selling sex",
        "Substance misuse team",
        "Ask the question",
        "Drug & alcohol use may be a factor",
        "Individuals may hide their involvement",
        "Domestic abuse",
        "Childhood sexual abuse",
        "Wendy",
    ]:
        assert chosen in text
    for unchosen in ["Take a trauma informed approach", "Mental health", "Natalia"]:
        assert unchosen not in text
    for chrome in NAVIGATION:
        assert chrome not in text
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "Content dated" not in text  # loaded content has no date
    assert "Source: Encompass Network, Scotland" in text
    assert re.search(r"Made \d{1,2} \w+ \d{4}", text)
    assert reader.metadata.title == "Asking about selling sex – Encompass Guidance"
    assert 'filename="asking-about-selling-sex.pdf"' in response["Content-Disposition"]


def test_running_title_and_page_numbers_on_every_later_page(client, content):
    _, pages, _ = read_pdf(laid_out(client, f"/briefings/{BRIEFING}.pdf"))
    assert len(pages) >= 5
    title = "Women involved in selling or exchanging sex or images: a practice briefing"
    for number, page in enumerate(pages[1:], start=2):
        assert title in page.splitlines()
        assert f"Page {number} of {len(pages)}" in page


def test_whole_briefing_pdf_has_contents_and_every_part(client, content):
    _, pages, text = read_pdf(laid_out(client, f"/briefings/{BRIEFING}.pdf"))
    assert 6 <= len(pages) <= 20
    assert "Contents" in pages[0]
    for heading in [
        "Practice points for substance misuse professionals",
        "Further resources",
        "Research",
        "Take a trauma informed approach",
    ]:
        assert heading in text
    for chrome in NAVIGATION:
        assert chrome not in text


def test_discreet_pdf_names_nothing_on_its_outside_pages(client, content):
    response = client.get(
        "/handouts/handout.pdf",
        {
            "discreet": "1",
            "title": "Selling sex: where to get support",
            "item": ["resource:tara", "practice-point:ask-the-question"],
        },
        follow=True,
    )
    reader, pages, text = read_pdf(response)
    assert len(pages) >= 3
    for outside in (pages[0], pages[-1]):
        lowered = outside.lower()
        for word in ["sex", "selling", "exploitation", "prostitution", "guidance"]:
            assert word not in lowered
    assert "Information and support" in pages[0]
    assert "Ask the question" in text  # the content is inside
    assert "Selling sex: where to get support" not in text
    assert "sex" not in (reader.metadata.title or "").lower()
    assert "sex" not in (reader.metadata.get("/Subject") or "").lower()
    assert 'filename="information-and-support.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    "url",
    [
        "/practice-points/ask-the-question.pdf",
        "/snapshot/encompass-snapshot-2021.pdf",
    ],
)
def test_page_pdfs_are_the_page_printed(client, content, url):
    _, pages, text = read_pdf(laid_out(client, url))
    # The Snapshot page holds cards, two charts with their tables and other studies.
    assert 1 <= len(pages) <= 7
    for chrome in NAVIGATION:
        assert chrome not in text
    # The page's own address is printed, not the PDF's.
    assert "http://testserver/practice-points/ask-the-question/" in text or (
        "http://testserver/snapshot/encompass-snapshot-2021/" in text
    )
    assert ".pdf" not in text


def test_unknown_page_pdf_is_not_found(client, content):
    assert client.get("/practice-points/nope.pdf").status_code == 404
    assert client.get("/snapshot/nope.pdf").status_code == 404
    assert client.get("/briefings/nope.pdf").status_code == 404


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (f"/briefings/{BRIEFING}/print.pdf", f"/briefings/{BRIEFING}.pdf"),
        (
            "/handouts/pdf/practice-points/ask-the-question.pdf",
            "/practice-points/ask-the-question.pdf",
        ),
        (
            "/handouts/pdf/snapshot/encompass-snapshot-2021.pdf",
            "/snapshot/encompass-snapshot-2021.pdf",
        ),
    ],
)
def test_old_pdf_addresses_redirect_beside_their_pages(client, content, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


@pytest.mark.parametrize(
    ("url", "pdf_url"),
    [
        (f"/briefings/{BRIEFING}/", f"/briefings/{BRIEFING}.pdf"),
        (f"/briefings/{BRIEFING}/print/", f"/briefings/{BRIEFING}.pdf"),
        (
            "/practice-points/ask-the-question/",
            "/practice-points/ask-the-question.pdf",
        ),
        ("/snapshot/", "/snapshot/encompass-snapshot-2021.pdf"),
        (
            "/snapshot/encompass-snapshot-2021/",
            "/snapshot/encompass-snapshot-2021.pdf",
        ),
    ],
)
def test_printable_pages_declare_and_offer_their_pdf(client, content, url, pdf_url):
    page = parse(client.get(url).content)
    link = page.find("link", rel="alternate", type="application/pdf")
    assert link["href"] == pdf_url
    assert page.find("a", href=pdf_url).text == "Download PDF"


def test_whole_briefing_print_page_has_contents_in_order(client, content):
    html = client.get(f"/briefings/{BRIEFING}/print/").content.decode()
    assert parse(html).find("nav", class_="contents")
    assert html.index("Contents") < html.index("Encompass Snapshot")
    assert html.index("Practice points for substance misuse") < html.index(
        'id="further-resources"'
    )
    assert "Content dated" not in html  # loaded content has no date


def test_unchanged_content_is_rendered_once(client, content, monkeypatch):
    # Two different addresses for the same content share one rendering too.
    calls = []
    render = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda *a: calls.append(1) or render(*a))
    url = "/practice-points/ask-the-question.pdf"
    first = client.get(url).content
    second = client.get(url).content
    third = client.get(url + "?utm=x").content
    assert first == second == third
    assert len(calls) == 1


def test_a_changed_practice_point_gives_a_fresh_pdf(client, content, monkeypatch):
    url = "/handouts/handout.pdf?item=practice-point:ask-the-question"
    url = client.get(url)["Location"]  # the handout's short PDF address
    _, _, before = read_pdf(client.get(url))
    point = PracticePoint.objects.get(slug="ask-the-question")
    point.title = "Ask the question, kindly"
    point.save()  # as the admin does
    _, _, after = read_pdf(client.get(url))
    assert "Ask the question, kindly" not in before
    assert "Ask the question, kindly" in after


def test_pdf_fetcher_serves_static_files_and_refuses_everything_else(settings):
    fetcher = pdf.static_only_fetcher()()
    response = fetcher.fetch("http://testserver/static/css/print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    for url in [
        "https://example.org/tracker.png",
        "http://testserver/admin/",
        "file:///etc/passwd",
        "http://testserver/static/../config/settings.py",
        "http://testserver/static/css/missing.css",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_pdf_of_markdown_with_an_outside_image_fetches_nothing(monkeypatch, no_content):
    fetched = []
    original = pdf.static_only_fetcher().fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.static_only_fetcher(), "fetch", spy)
    html = '<img src="https://example.org/x.png"><link rel="stylesheet" href="https://example.org/x.css"><p>Hello</p>'
    assert pdf.render_pdf(html, "http://testserver/").startswith(b"%PDF")
    assert fetched  # asked, and refused (nothing raised out of WeasyPrint)


def test_a_handout_pdf_prints_its_local_support(client, content):
    response = client.get(
        "/handouts/handout.pdf",
        {"item": ["organisation:routes-out", "organisation:vice-versa"]},
        follow=True,
    )
    _, pages, text = read_pdf(response)
    assert len(pages) == 1
    for shown in ["Local support", "Routes Out", "Glasgow", "Vice Versa", "Dundee"]:
        assert shown in text


def _structure(element, seen):
    """The structure types (H1, P, L...) under a tagged PDF's structure element."""
    element = element.get_object()
    if "/S" in element:
        seen.append(element["/S"])
    kids = element.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, dict) and kid.get("/Type") not in ("/MCR", "/OBJR"):
            _structure(kid, seen)
    return seen


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/handouts/handout.pdf", {"title": "Session", "item": SOME_ITEMS}),
        ("/handouts/handout.pdf", {"discreet": "1", "item": SOME_ITEMS}),
        (f"/briefings/{BRIEFING}.pdf", None),
        ("/practice-points/ask-the-question.pdf", None),
        ("/snapshot/encompass-snapshot-2021.pdf", None),
    ],
    ids=["handout", "discreet-handout", "briefing", "practice-point", "snapshot"],
)
def test_every_pdf_is_tagged_in_english_and_shows_its_title(
    client, content, url, params
):
    reader, _, _ = read_pdf(laid_out(client, url, params))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title  # what the viewer shows in place of the file name
    tags = _structure(catalog["/StructTreeRoot"], [])
    assert {"/H1", "/H2", "/P", "/L", "/LI"} <= set(tags), sorted(set(tags))
    if "snapshot" in url:
        # A chart's table is a table a screen reader can walk, not loose words.
        assert {"/Table", "/TH", "/TD"} <= set(tags)


def test_snapshot_pdf_keeps_its_first_line_whole(client, content):
    # WeasyPrint once broke the summary after its first word ("Over" alone).
    _, pages, text = read_pdf(laid_out(client, "/snapshot/encompass-snapshot-2021.pdf"))
    lines = [line.strip() for line in pages[0].splitlines()]
    summary = next(line for line in lines if line.startswith("Over"))
    assert summary.startswith("Over a week in November 2021 the 7 organisations")
    assert "supported 150 women who had been involved" in text
