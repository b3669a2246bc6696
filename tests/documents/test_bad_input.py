"""Files that cannot be imported get a clear message, and nothing is created."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from docx import Document

from guidance.models import Briefing, Quote, ResearchReference, Section
from practice_points.models import PracticePoint, Prompt
from tests.conftest import BRIEFING
from tests.pages import parse

pytestmark = pytest.mark.django_db
IMPORT = "/admin/guidance/briefing/import/"
MODELS = (Briefing, Section, Quote, ResearchReference, PracticePoint, Prompt)


def docx(*, title=True):
    doc = Document()
    if title:
        doc.add_heading("A new briefing", 1)
    doc.add_heading("A section", 2)
    doc.add_paragraph("Some text.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def with_member(data, name, content):
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def macro_enabled():
    """A .docm as Word saves it: its main part declared macro-enabled."""
    source = zipfile.ZipFile(io.BytesIO(docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "[Content_Types].xml":
                data = data.replace(
                    b"document.main+xml", b"document.macroEnabled.main+xml"
                )
            archive.writestr(member, data)
    return buffer.getvalue()


def zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        # 50 MB of zeros packs into about 50 KB.
        archive.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    return buffer.getvalue()


def corrupt():
    data = docx()
    return data[:200] + b"\x00garbage" * 50 + data[-300:]


def counts():
    return [model.objects.count() for model in MODELS]


BAD_FILES = {
    "renamed PDF": ("briefing.docx", b"%PDF-1.7\n1 0 obj<<>>endobj\n", "is a PDF, not a Word document"),
    "image": ("briefing.docx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "is a PNG image, not a Word document"),
    "empty file": ("briefing.docx", b"", "file is empty"),
    "plain text": ("briefing.docx", b"Just some words", "is not a Word document (.docx)"),
    "corrupt": ("briefing.docx", corrupt(), "damaged"),
    "password-protected": (
        "briefing.docx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        "password-protected",
    ),
    "zip but not Word": ("briefing.docx", with_member(b"", "notes.txt", "hello"), "not a Word document"),
    "zip bomb": ("briefing.docx", zip_bomb(), "zip bomb"),
    "macros": ("briefing.docx", with_member(docx(), "word/vbaProject.bin", b"\0" * 100), "contains macros"),
    "macro-enabled": ("briefing.docm", with_member(docx(), "word/vbaProject.bin", b"x"), "contains macros"),
    "declared macro-enabled": ("briefing.docm", macro_enabled(), "contains macros"),
    "no Heading 1": ("briefing.docx", docx(title=False), "no title: make the briefing’s title a Heading 1"),
    "markdown with no title": ("briefing.md", b"## A section\n\nText\n", "no title"),
    "markdown not UTF-8": ("briefing.md", "# Caf\u00e9".encode("latin-1"), "not in UTF-8"),
    "title too long": ("long.md", ("# " + "Long " * 50).encode(), "at most 200"),
    "neither format": ("briefing.pdf", b"%PDF-1.7", "Choose a Word document (.docx) or a Markdown file (.md)"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_is_refused_in_the_admin_and_nothing_is_created(admin_client, case):
    name, data, message = BAD_FILES[case]
    before = counts()
    response = admin_client.post(
        IMPORT, {"file": SimpleUploadedFile(name, data), "slug": ""}
    )
    assert response.status_code == 200
    page = parse(response.content.decode())
    error = page.find(class_="errornote")
    assert "Nothing was imported" in error.text
    assert message in error.text
    assert page.find_all("input", attrs={"name": "token"}) == []
    assert counts() == before


@pytest.mark.parametrize("case", ["renamed PDF", "zip bomb", "no Heading 1"])
def test_bad_file_is_refused_by_the_command(tmp_path, case):
    name, data, message = BAD_FILES[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = counts()
    with pytest.raises(CommandError, match="Nothing was imported") as error:
        call_command("import_briefing", str(path))
    assert message in str(error.value)
    assert counts() == before


def test_file_over_ten_megabytes_is_refused_before_it_is_read(admin_client):
    before = counts()
    big = SimpleUploadedFile("big.docx", b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024))
    response = admin_client.post(IMPORT, {"file": big, "slug": ""})
    error = parse(response.content.decode()).find(class_="errornote")
    assert "The file is 10.0 MB: the limit is 10 MB" in error.text
    assert counts() == before


def test_slug_that_exists_is_refused(admin_client, content):
    before = counts()
    response = admin_client.post(
        IMPORT, {"file": SimpleUploadedFile("new.docx", docx()), "slug": BRIEFING}
    )
    error = parse(response.content.decode()).find(class_="errornote")
    assert f"A briefing with the address “{BRIEFING}” already exists" in error.text
    assert counts() == before


def test_title_whose_slug_exists_is_refused(admin_client, content):
    data = b"# Selling or Exchanging Sex\n\n## Section\n\nText.\n"
    response = admin_client.post(
        IMPORT, {"file": SimpleUploadedFile("same.md", data), "slug": ""}
    )
    error = parse(response.content.decode()).find(class_="errornote")
    assert "already exists. Choose another address" in error.text


def test_title_that_makes_no_address_asks_for_one(admin_client):
    before = counts()
    data = "# ¿¡…!?\n\n## Section\n\nText.\n".encode()
    response = admin_client.post(
        IMPORT, {"file": SimpleUploadedFile("odd.md", data), "slug": ""}
    )
    error = parse(response.content.decode()).find(class_="errornote")
    assert "No address can be made from this title" in error.text
    assert counts() == before


def test_command_refuses_a_slug_that_exists(tmp_path, content):
    path = tmp_path / "new.docx"
    path.write_bytes(docx())
    before = counts()
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_briefing", str(path), slug=BRIEFING)
    assert counts() == before


def test_contributors_cannot_import(client, contributor):
    client.force_login(contributor)
    assert client.get(IMPORT).status_code == 403
    response = client.post(IMPORT, {"file": SimpleUploadedFile("a.docx", docx())})
    assert response.status_code == 403
    listing = client.get("/admin/guidance/briefing/")
    assert "Import a briefing" not in listing.content.decode()
    assert "Import a briefing" not in client.get("/admin/").content.decode()


def test_editors_find_the_import_page(client, editor):
    client.force_login(editor)
    for address in ("/admin/", "/admin/guidance/briefing/"):
        link = parse(client.get(address).content.decode()).find("a", href=IMPORT)
        assert link.text == "Import a briefing"
    page = client.get(IMPORT)
    assert page.status_code == 200
    assert "Heading 2" in parse(page.content.decode()).find(id="content-main").text


def test_readers_are_sent_to_sign_in(client):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
