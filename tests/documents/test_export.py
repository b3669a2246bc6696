"""Any briefing out to Word and Markdown: readers, editors and the shell."""

import io

import pytest
from django.core.management import call_command
from docx import Document

from editorial.models import Status
from guidance.models import Briefing, Section
from tests.conftest import BRIEFING
from tests.factories import BriefingFactory, SectionFactory, SnapshotFactory
from tests.pages import parse
from tests.test_query_counts import grow_content, queries_for

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_text(data):
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_briefing_page_offers_word_and_markdown(client, content):
    page = parse(client.get(f"/briefings/{BRIEFING}/").content.decode())
    word = page.find("a", href=f"/briefings/{BRIEFING}.docx")
    markdown = page.find("a", href=f"/briefings/{BRIEFING}.md")
    assert (word.text, markdown.text) == ("Download as Word", "Download as Markdown")
    # The print page has its own tools.
    printed = client.get(f"/briefings/{BRIEFING}/print/").content.decode()
    assert f"/briefings/{BRIEFING}.docx" not in printed


def test_reader_downloads_the_briefing_as_word(client, content):
    response = client.get(f"/briefings/{BRIEFING}.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        f'attachment; filename="{BRIEFING}.docx"'
    )
    assert not response.cookies
    text = docx_text(response.content)
    assert text.startswith(Briefing.objects.get(slug=BRIEFING).title)
    assert "Practice point 5: Ask the question" in text
    assert "— Natalia, Inside Outside" in text
    # Readers get the figures themselves, not the editors' data tokens.
    assert "32 of 150 women (21%)" in text
    assert "[[" not in text


def test_reader_downloads_markdown_with_figures_written_out(client, content):
    response = client.get(f"/briefings/{BRIEFING}.md")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert "## Practice point 1: Recognise the diversity of experiences" in text
    assert "- Routes Out (Glasgow)" in text
    assert "[[" not in text


def test_links_to_the_site_work_in_the_downloaded_file(client, content, settings):
    settings.SITE_URL = "https://guidance.example"
    section = Section.objects.filter(briefing__slug=BRIEFING).first()
    section.body += "\n\nSee [the research](/research/)."
    section.save()
    text = client.get(f"/briefings/{BRIEFING}.md").content.decode()
    assert "See [the research](https://guidance.example/research/)." in text


def test_readers_never_get_drafts(client, content):
    section = Section.objects.filter(briefing__slug=BRIEFING).first()
    Section.objects.filter(pk=section.pk).update(status=Status.DRAFT)
    text = client.get(f"/briefings/{BRIEFING}.md").content.decode()
    assert f"## {section.title}\n" not in text
    draft = BriefingFactory(status=Status.DRAFT)
    assert client.get(f"/briefings/{draft.slug}.docx").status_code == 404
    assert client.get(f"/briefings/{draft.slug}.md").status_code == 404
    assert client.get("/briefings/no-such-briefing.md").status_code == 404


@pytest.mark.slow  # grows the content
def test_download_costs_the_same_queries_however_long_the_briefing(client, no_content):
    briefing, snapshot = BriefingFactory(), SnapshotFactory()
    grow_content(briefing, snapshot, 1)
    SectionFactory(briefing=briefing)
    urls = [f"/briefings/{briefing.slug}.docx", f"/briefings/{briefing.slug}.md"]
    before = [queries_for(client, url) for url in urls]
    grow_content(briefing, snapshot, 2)  # a query per item would show as two more
    after = [queries_for(client, url) for url in urls]
    assert after == before
    assert max(before) <= 20


def test_editor_downloads_drafts_too_from_the_admin(admin_client, content):
    briefing = Briefing.objects.get(slug=BRIEFING)
    section = briefing.sections.first()
    Section.objects.filter(pk=section.pk).update(status=Status.DRAFT)
    page = parse(
        admin_client.get(
            f"/admin/guidance/briefing/{briefing.pk}/change/"
        ).content.decode()
    )
    link = page.find("a", href=f"/admin/guidance/briefing/{briefing.pk}/export/md/")
    assert link.text == "Download as Markdown"
    response = admin_client.get(link["href"])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert f"## {section.title}" in text
    # Editors' copies keep the data tokens, so a re-import shows live figures.
    assert "[[figure:children-removed]]" in text
    word = admin_client.get(f"/admin/guidance/briefing/{briefing.pk}/export/docx/")
    assert word["Content-Type"] == DOCX
    assert (
        admin_client.get(
            f"/admin/guidance/briefing/{briefing.pk}/export/pdf/"
        ).status_code
        == 404
    )
    assert (
        admin_client.get("/admin/guidance/briefing/not-a-number/export/md/").status_code
        == 404
    )


@pytest.mark.parametrize("kind", ["docx", "md"])
def test_export_then_import_from_the_shell(tmp_path, content, kind):
    path = tmp_path / f"copy.{kind}"
    call_command("export_briefing", BRIEFING, format=kind, output=str(path))
    call_command("import_briefing", str(path), slug="copy-from-shell")
    copy = Briefing.objects.get(slug="copy-from-shell")
    original = Briefing.objects.get(slug=BRIEFING)
    assert copy.is_draft and copy.title == original.title
    assert copy.practice_points.count() == original.practice_points.count()
    assert all(p.is_draft for p in copy.practice_points.all())
    assert copy.history.latest().history_change_reason == f"Imported from copy.{kind}"


def test_export_of_unknown_briefing_says_so(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No briefing has the address"):
        call_command("export_briefing", "nope", output=str(tmp_path / "x.md"))


@pytest.mark.parametrize("kind", ["docx", "md"])
def test_download_is_made_once_per_content_version(client, content, kind):
    url = f"/briefings/{BRIEFING}.{kind}"
    first = client.get(url)
    assert queries_for(client, url) == 1  # the content version, then the cache
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url).content == first.content
