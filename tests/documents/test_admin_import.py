"""Editors import a briefing in the admin: upload, preview, confirm, drafts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from guidance.models import Briefing, Quote, ResearchReference
from practice_points.models import PracticePoint
from tests.pages import parse

pytestmark = pytest.mark.django_db
IMPORT = "/admin/guidance/briefing/import/"


def written_docx():
    """A .docx a network might write, made here with python-docx, not the exporter."""
    doc = Document()
    doc.add_heading(
        "Working with women who sell sex: a briefing for housing officers", 1
    )
    doc.add_paragraph("By Housing Network")
    doc.add_paragraph("This briefing helps housing officers.")
    doc.add_heading("Why housing matters", 2)
    intro = doc.add_paragraph("Stable housing is ")
    intro.add_run("the first step").bold = True
    intro.add_run(" for many women.")
    doc.add_paragraph("Rent arrears", style="List Bullet")
    doc.add_paragraph("Unsafe landlords", style="List Bullet")
    doc.add_paragraph("I had nowhere to go that night.", style="Quote")
    doc.add_paragraph("— Amira, Housing and Exploitation Study")
    doc.add_heading("Practice point 1: Ask about housing", 2)
    doc.add_paragraph("Ask every woman where she is staying tonight.")
    doc.add_heading("Example questions", 3)
    doc.add_paragraph("Where are you staying tonight?", style="List Bullet")
    doc.add_paragraph("Do you feel safe there?", style="List Bullet")
    doc.add_heading("Reflective questions", 3)
    doc.add_paragraph("Do our forms ask about housing?", style="List Bullet")
    doc.add_paragraph("A note the conventions do not cover.", style="Caption")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def upload(client, data, name="housing.docx", slug=""):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data), "slug": slug})


def test_editor_imports_a_word_briefing_as_drafts(admin_client):
    preview = upload(admin_client, written_docx())
    assert preview.status_code == 200
    page = parse(preview.content.decode())
    text = page.get_text(" ", strip=True)
    assert "Nothing has been saved yet" in text
    assert "Section 1: Why housing matters" in text
    assert "Practice point 1: Ask about housing" in text
    assert "Where are you staying tonight?" in text
    assert "Amira, Housing and Exploitation Study" in text
    assert "made as drafts) Housing and Exploitation Study" in text
    assert not Briefing.objects.filter(title__startswith="Working with women").exists()

    token = page.find("input", attrs={"name": "token"})["value"]
    done = admin_client.post(IMPORT, {"token": token})
    briefing = Briefing.objects.get(
        slug="working-with-women-who-sell-sex-a-briefing-for"
    )
    assert done.status_code == 302
    assert done["Location"] == reverse(
        "admin:guidance_briefing_change", args=[briefing.pk]
    )
    assert briefing.is_draft
    assert briefing.author == "Housing Network"
    assert briefing.summary == "This briefing helps housing officers."
    section = briefing.sections.get()
    assert section.is_draft
    assert section.body == (
        "Stable housing is **the first step** for many women.\n\n"
        "- Rent arrears\n- Unsafe landlords"
    )
    quote = Quote.objects.get(speaker="Amira")
    assert (quote.text, quote.section, quote.is_draft) == (
        "I had nowhere to go that night.",
        section,
        True,
    )
    assert quote.source == ResearchReference.objects.get(
        title="Housing and Exploitation Study"
    )
    point = briefing.practice_points.get()
    assert (point.title, point.is_draft) == ("Ask about housing", True)
    assert point.summary == "Ask every woman where she is staying tonight."
    assert [p.text for p in point.prompts.all()] == [
        "Where are you staying tonight?",
        "Do you feel safe there?",
    ]
    assert all(p.is_draft for p in point.prompts.all())
    assert [q.text for q in point.reflective_questions.all()] == [
        "Do our forms ask about housing?"
    ]
    # Nothing dropped: the caption paragraph is kept after the questions.
    assert point.closing == "A note the conventions do not cover."
    for item in (briefing, section, quote, point, point.prompts.first()):
        record = item.history.latest()
        assert record.history_change_reason == "Imported from housing.docx"
        assert record.history_user.username == "admin"
    # Drafts: readers see nothing of it.
    assert Client().get(briefing.get_absolute_url()).status_code == 404


def test_confirming_twice_creates_the_briefing_once(admin_client):
    page = parse(upload(admin_client, written_docx()).content.decode())
    token = page.find("input", attrs={"name": "token"})["value"]
    admin_client.post(IMPORT, {"token": token})
    again = admin_client.post(IMPORT, {"token": token}, follow=True)
    assert "expired or was already imported" in again.content.decode()
    assert PracticePoint.objects.filter(title="Ask about housing").count() == 1


def test_a_forged_token_imports_nothing(admin_client):
    before = Briefing.objects.count()
    response = admin_client.post(IMPORT, {"token": "made-up"}, follow=True)
    assert "expired or was already imported" in response.content.decode()
    assert Briefing.objects.count() == before


def own_content(response):
    """The page's own part (#content-main) in a minimal page: the admin's
    sidebar and header are Django's, not this project's."""
    html = response.content.decode()
    start = html.index('<div id="content-main"')
    # Up to the end of #content, which holds #content-main.
    end = html.rindex("</div>", start, html.index("<!-- END Content -->"))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><title>Import</title></head>'
        f"<body><main>{html[start:end].strip()}</main></body></html>\n"
    )


@pytest.mark.integration  # html-validate runs on node: make install-test
def test_import_pages_are_valid_html(admin_client, validate):
    error = upload(admin_client, b"%PDF-1.7", name="x.docx")
    pages = {
        "import": own_content(admin_client.get(IMPORT)),
        "import-error": own_content(error),
        "import-preview": own_content(upload(admin_client, written_docx())),
    }
    problems = [
        f"{name} {message}"
        for name, messages in validate(pages).items()
        for message in messages
        # Django's template tags leave trailing spaces on their lines.
        if "no-trailing-whitespace" not in message
    ]
    assert not problems, "\n".join(problems)
