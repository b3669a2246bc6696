"""An editor imports a briefing in Chromium: upload a .docx, read the preview,
confirm, land on the draft briefing. axe checks the upload page (with an error
and without) and the preview."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from guidance.models import Briefing
from tests.browser.conftest import DESKTOP, describe, run_axe, sign_in_directly

pytestmark = pytest.mark.browser


def housing_docx(path):
    doc = Document()
    doc.add_heading("Housing and women who sell sex", 1)
    doc.add_paragraph("By Housing Network")
    doc.add_paragraph("For housing officers.")
    doc.add_heading("Why housing matters", 2)
    doc.add_paragraph("Stable housing comes first.")
    doc.add_paragraph("I had nowhere to go that night.", style="Quote")
    doc.add_paragraph("— Amira, Housing and Exploitation Study")
    doc.add_heading("Practice point 1: Ask about housing", 2)
    doc.add_paragraph("Ask where she is staying.")
    doc.add_heading("Example questions", 3)
    doc.add_paragraph("Where are you staying tonight?", style="List Bullet")
    doc.add_paragraph("Unexpected text.", style="Quote")
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_an_editor_uploads_previews_and_imports_a_briefing(
    page, site, transactional_db, editor, axe_source, screenshots, tmp_path
):
    page.set_viewport_size(DESKTOP)
    sign_in_directly(page.context, site, editor)

    # From the briefing list to the import page.
    page.goto(site + "/admin/guidance/briefing/")
    page.get_by_role("link", name="Import a briefing").click()
    expect(page.get_by_role("heading", name="Import a briefing")).to_be_visible()
    assert run_axe(page, axe_source) == [], describe(run_axe(page, axe_source))

    # A file that is not Word: a clear message, on the page, and axe-clean.
    pdf = tmp_path / "notes.docx"
    pdf.write_bytes(b"%PDF-1.7 not really")
    page.get_by_label("Word or Markdown file").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("alert")).to_contain_text("is a PDF, not a Word document")
    violations = run_axe(page, axe_source)
    assert violations == [], describe(violations)

    # The real file: the preview shows what was recognised, saves nothing.
    page.get_by_label("Word or Markdown file").set_input_files(
        str(housing_docx(tmp_path / "housing.docx"))
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    main = page.locator("#content-main")
    expect(main).to_contain_text("Section 1: Why housing matters")
    expect(main).to_contain_text("Practice point 1: Ask about housing")
    expect(main).to_contain_text("Where are you staying tonight?")
    expect(main).to_contain_text("Amira, Housing and Exploitation Study")
    expect(
        page.get_by_role("heading", name="Text it could not classify")
    ).to_be_visible()
    expect(main).to_contain_text("Unexpected text.")
    screenshots(page, "briefing-import-preview.png", full_page=True)
    violations = run_axe(page, axe_source)
    assert violations == [], describe(violations)
    assert not Briefing.objects.filter(slug="housing-and-women-who-sell-sex").exists()

    # Confirm: drafts, and the editor lands on the new briefing.
    page.get_by_role("button", name="Import as drafts").click()
    expect(page.locator("ul.messagelist")).to_contain_text(
        "Imported “Housing and women who sell sex” from housing.docx as drafts"
    )
    briefing = Briefing.objects.get(slug="housing-and-women-who-sell-sex")
    assert briefing.is_draft
    assert briefing.practice_points.get().prompts.get().text == (
        "Where are you staying tonight?"
    )
    expect(page.locator("#id_title")).to_have_value("Housing and women who sell sex")
