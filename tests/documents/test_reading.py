"""Reading a file: the conventions, applied the same way to Word and Markdown."""

import io

import pytest
from docx import Document
from PIL import Image

from documents import formats
from documents.structure import BriefingDocument, Quote

MARKDOWN = """\
Draft for comment

# A briefing for housing officers

By Housing Network

Why this briefing, with a [link](https://example.org/guide) and *emphasis*.

## Part one: the research

## What the research found

Most women **said** housing came first.

![A chart of housing need](https://elsewhere.example/chart.png)

> Excerpt from the report, with no speaker.

> I slept in the stairwell.
>
> Nobody asked me why.

— Amira, *Housing Study*, 2020

## Practice point: Ask about housing

Summary: Ask where she is staying.

Ask early.

### Places women stay

Women may stay:

- with friends
- in hostels

### Example questions

- Where are you staying tonight?

### Reflective questions

- Do we ask?

Keep asking.
"""


def test_markdown_follows_the_conventions():
    doc = formats.read(MARKDOWN.encode(), "housing.md")
    assert doc.title == "A briefing for housing officers"
    assert doc.author == "Housing Network"
    assert doc.intro == (
        "Draft for comment\n\n"
        "Why this briefing, with a [link](https://example.org/guide) and *emphasis*."
    )
    [section] = doc.sections
    assert section.title == "What the research found"
    assert section.part == "Part one: the research"
    assert section.body == (
        "Most women **said** housing came first.\n\n"
        "> Excerpt from the report, with no speaker."
    )
    assert section.quotes == [
        Quote(
            text="I slept in the stairwell.\n\nNobody asked me why.",
            speaker="Amira",
            source="Housing Study, 2020",
        )
    ]
    [point] = doc.practice_points
    assert point.title == "Ask about housing"
    assert point.summary == "Ask where she is staying."
    assert point.body == "Ask early."
    [places] = point.lists
    assert (places.title, places.intro, places.items) == (
        "Places women stay",
        "Women may stay:",
        ["with friends", "in hostels"],
    )
    assert point.prompts == ["Where are you staying tonight?"]
    assert point.reflective_questions == ["Do we ask?"]
    assert point.closing == "Keep asking."
    # Nothing dropped: what fits no convention is kept and listed.
    reasons = [note["reason"] for note in doc.unclassified]
    assert any(r.startswith("Text before the title") for r in reasons)
    assert any(r.startswith("A quote with no attribution") for r in reasons)
    # Images are listed, never linked from elsewhere.
    assert doc.images_not_imported == [
        {
            "where": "Section: What the research found",
            "alt": "A chart of housing need",
            "source": "https://elsewhere.example/chart.png",
        }
    ]
    assert "elsewhere.example" not in section.body


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_word_images_are_listed_with_their_alt_text():
    document = Document()
    document.add_heading("Briefing", 1)
    document.add_heading("Section", 2)
    document.add_paragraph("Before the picture.")
    shape = document.add_picture(png())
    shape._inline.docPr.set("descr", "A map of services")
    buffer = io.BytesIO()
    document.save(buffer)
    doc = formats.read(buffer.getvalue(), "b.docx")
    assert doc.images_not_imported == [
        {"where": "Section: Section", "alt": "A map of services", "source": ""}
    ]
    assert doc.sections[0].body == "Before the picture."


def test_word_links_bold_italics_and_numbered_lists_are_kept():
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.add_heading("Briefing", 1)
    document.add_heading("Section", 2)
    paragraph = document.add_paragraph("See ")
    rel = paragraph.part.relate_to(
        "https://example.org/", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "the guide"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    paragraph.add_run(" and ")
    paragraph.add_run("this").italic = True
    paragraph.add_run(".")
    document.add_paragraph("First", style="List Number")
    document.add_paragraph("Second", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    doc = formats.read(buffer.getvalue(), "b.docx")
    assert doc.sections[0].body == (
        "See [the guide](https://example.org/) and *this*.\n\n1. First\n2. Second"
    )


@pytest.mark.parametrize("kind", ["md", "docx"])
def test_both_formats_write_what_they_read(kind):
    doc = formats.read(MARKDOWN.encode(), "housing.md")
    again = formats.read(formats.write(doc, kind), f"again.{kind}")
    assert again.sections == doc.sections
    assert again.practice_points == doc.practice_points
    assert again.intro == doc.intro


def test_nothing_is_dropped_from_odd_practice_points():
    text = (
        "# Briefing\n\n## Practice point 1: Odd\n\n### Example questions\n\n"
        "### Reflective questions\n\n- Do we ask?\n\nThen:\n\n1. First\n   wrapped\n2. Second\n"
    )
    doc = formats.read(text.encode(), "odd.md")
    [point] = doc.practice_points
    assert point.prompts == []
    assert point.reflective_questions == ["Do we ask?"]
    assert point.closing == (
        "### Example questions\n\nThen:\n\n1. First\n   wrapped\n2. Second"
    )
    assert "A questions heading with no bulleted list" in doc.unclassified[0]["reason"]


@pytest.mark.parametrize(
    ("sections", "points", "said"),
    [
        (1, 1, "1 section and 1 practice point"),
        (2, 0, "2 sections and 0 practice points"),
    ],
)
def test_what_an_import_holds_is_counted_in_plain_english(sections, points, said):
    doc = BriefingDocument(sections=[None] * sections, practice_points=[None] * points)
    assert doc.counted() == said
