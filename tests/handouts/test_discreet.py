"""A discreet handout names no organisation, network, site or subject around
the items chosen for it: not on its cover, header, back page, file name or PDF
metadata; no QR code unless asked for, and that code opens a plain page."""

import io
import re
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from guidance.templatetags.guidance_tags import qr_code
from handouts.models import HandoutPreset, SavedHandout
from tests.pages import parse

# Items that name nothing themselves, so whatever names something is the
# handout's own wrapping.
NEUTRAL_ITEMS = ["resource:you-my-sister", "organisation:routes-out"]
NAMING = ["Encompass", "Guidance", "testserver", "guidance.example.org", "Scotland"]


def saved(client, **params):
    """The saved handout these builder choices make."""
    response = client.get("/handouts/handout/", params)
    assert response.status_code == 302, response.content[:300]
    code = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return SavedHandout.objects.get(code=code)


def discreet(client, items=NEUTRAL_ITEMS, **extra):
    return saved(client, discreet="1", title="Selling sex", item=items, **extra)


def poppler(tool, pdf_bytes, tmp_path):
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf_bytes)
    args = [tool, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def drawn_lines(pdf_bytes):
    """How many line segments each page draws: a QR code draws hundreds."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    counts = []
    for page in reader.pages:
        stream = ContentStream(page.get_contents(), reader)
        counts.append(sum(op in (b"l", b"re") for _, op in stream.operations))
    return counts


@pytest.mark.integration  # poppler-utils: make install-test adds it
def test_a_discreet_pdf_read_with_poppler_names_nothing(client, content, tmp_path):
    handout = discreet(client)
    response = client.get(handout.get_pdf_url())
    assert response.status_code == 200
    text = poppler("pdftotext", response.content, tmp_path)
    info = poppler("pdfinfo", response.content, tmp_path)
    assert "You my Sister" in text  # the chosen items are there
    for name in NAMING:
        assert name.lower() not in text.lower(), name
        assert name.lower() not in info.lower(), name
    assert "Selling sex" not in text and "Selling sex" not in info
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Title"].strip() == "Information and support"
    for field in ("Author", "Subject", "Keywords"):
        assert fields.get(field, "").strip() == "", field
    assert "WeasyPrint" in fields["Producer"]  # the tool's name only
    name = re.search(r'filename="([^"]+)"', response["Content-Disposition"])[1]
    assert name == "information-and-support.pdf"
    # No QR code unless asked for.
    assert "Scan the code" not in text
    assert max(drawn_lines(response.content)) < 50


@pytest.mark.slow  # renders a PDF
def test_a_discreet_pdf_has_a_qr_code_only_when_asked_and_it_opens_the_plain_page(
    client, content
):
    plain = discreet(client)
    asked = discreet(client, qr="1")
    without, with_code = (client.get(h.get_pdf_url()).content for h in (plain, asked))
    assert max(drawn_lines(with_code)) > 200 > max(drawn_lines(without))
    page = client.get(asked.get_absolute_url()).content.decode()
    assert str(qr_code(f"http://testserver/t/{asked.code}/")) in page
    assert str(qr_code(f"http://testserver{asked.get_absolute_url()}")) not in page


def test_the_builder_keeps_the_qr_choice_off_by_default(client, content):
    page = parse(client.get("/handouts/", {"discreet": "1"}).content)
    box = page.find("input", attrs={"name": "qr"})
    assert "checked" not in box.attrs
    assert "qr=1" not in discreet(client).query


def test_the_plain_page_is_the_handouts_text_and_nothing_of_the_site(
    client, content, settings
):
    handout = discreet(client, qr="1")
    response = client.get(f"/t/{handout.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    page = parse(html)
    assert page.title.text == "Information and support"
    for chrome in ("site-header", "site-footer", "site-nav", "quick-exit"):
        assert not page.find_all(class_=chrome), chrome
    assert not page.find_all("nav") and not page.find_all("form")
    for name in NAMING:
        assert name not in page.text, name
    assert "You my Sister" in page.text
    # A quick way out that names nothing: not the site's bar.
    leave = page.find("a", attrs={"data-quick-exit-button": True})
    assert leave.text.strip() == "Leave this page"
    assert leave["href"] == settings.QUICK_EXIT_URL
    assert "using-this-site-safely" not in html
    # Links on it go nowhere on this site.
    assert not [a for a in page.find_all("a") if a.get("href", "").startswith("/")]


def test_only_discreet_handouts_have_a_plain_page(client, content):
    ordinary = saved(client, item=NEUTRAL_ITEMS)
    assert client.get(f"/t/{ordinary.code}/").status_code == 404
    assert client.get("/t/no-such-code/").status_code == 404


@pytest.mark.parametrize(
    ("items", "warned"),
    [
        (["practice-point:ask-the-question"], True),
        (["question:ask-the-question.money-or-goods"], True),
        (NEUTRAL_ITEMS, False),
    ],
)
def test_practitioner_voiced_items_on_a_discreet_handout_are_warned_of(
    client, content, items, warned
):
    builder = client.get("/handouts/", {"discreet": "1", "item": items})
    handout = discreet(client, items=items)
    shown = client.get(handout.get_absolute_url())
    for response in (builder, shown):
        assert ("Written for practitioners" in response.content.decode()) is warned
    # Not a discreet handout: nothing to warn of.
    ordinary = client.get("/handouts/", {"item": items})
    assert "Written for practitioners" not in ordinary.content.decode()


def test_every_discreet_preset_makes_a_pdf_that_names_nothing(client, content):
    presets = [p for p in HandoutPreset.objects.all() if "discreet=1" in p.query]
    assert presets
    for preset in presets:
        response = client.get(preset.get_absolute_url(), follow=True)
        pdf_url = response.context["pdf_url"]
        reader = PdfReader(io.BytesIO(client.get(pdf_url).content))
        text = " ".join(page.extract_text() for page in reader.pages)
        for name in ("Encompass", "Guidance", "testserver"):
            assert name not in text, (preset.slug, name)
