"""Word files (.docx) with python-docx: blocks read from paragraphs, and a
briefing written with Word's own styles (Heading 1, Heading 2, Quote, List Bullet)."""

import io
import re

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.run import Run

from .markdown_format import split_blocks
from .structure import (
    BlockQuote,
    Heading,
    Image,
    ListItem,
    Paragraph,
    assemble,
)

QUOTE_STYLES = {"quote", "intense quote"}
HEADING_STYLE = re.compile(r"^heading\s+(\d)$", re.I)
DRAWING_ALT = (
    "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
)


# Reading ---------------------------------------------------------------


def _wrap(text, marker):
    """``text`` in markdown emphasis, with its outer spaces kept outside."""
    stripped = text.strip()
    if not stripped:
        return text
    start = text[: len(text) - len(text.lstrip())]
    end = text[len(text.rstrip()) :]
    return f"{start}{marker}{stripped}{marker}{end}"


def _runs_markdown(runs):
    """Runs as markdown: neighbours with the same formatting are joined first."""
    pieces = []
    for run in runs:
        key = (bool(run.bold), bool(run.italic))
        if pieces and pieces[-1][0] == key:
            pieces[-1][1] += run.text
        else:
            pieces.append([key, run.text])
    out = []
    for (bold, italic), text in pieces:
        if italic:
            text = _wrap(text, "*")
        if bold:
            text = _wrap(text, "**")
        out.append(text)
    return "".join(out)


def _paragraph_markdown(paragraph):
    out, runs = [], []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            out.append(_runs_markdown(runs))
            runs = []
            url = item.url
            text = _runs_markdown(item.runs)
            out.append(f"[{text}]({url})" if url else text)
        else:
            runs.append(item)
    out.append(_runs_markdown(runs))
    return "".join(out).strip()


def _images(paragraph):
    return [
        Image(alt=(doc_pr.get("descr") or doc_pr.get("title") or "").strip())
        for doc_pr in paragraph._p.iter(DRAWING_ALT)
    ]


def _is_list(paragraph):
    pr = paragraph._p.pPr
    return pr is not None and pr.numPr is not None


def _paragraph_blocks(paragraph):
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    text = _paragraph_markdown(paragraph)
    blocks = _images(paragraph)
    if not text:
        return blocks + [None]  # an empty paragraph: ends a quote
    heading = HEADING_STYLE.match(style)
    if heading or style.lower() == "title":
        level = int(heading[1]) if heading else 1
        # A heading's own emphasis is the style's, not the words'.
        return blocks + [Heading(level, paragraph.text.strip())]
    if style.lower() in QUOTE_STYLES:
        return blocks + [BlockQuote([text])]
    if style.lower().startswith("list number"):
        return blocks + [ListItem(text, ordered=True)]
    if style.lower().startswith("list") or _is_list(paragraph):
        return blocks + [ListItem(text)]
    return blocks + [Paragraph(text)]


def docx_blocks(document):
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            # Tables have no convention: their text is kept, cell by cell.
            for row in item.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        blocks += [b for b in _paragraph_blocks(paragraph) if b]
            continue
        blocks += _paragraph_blocks(item)
    merged = []
    for block in blocks:
        if (
            isinstance(block, BlockQuote)
            and merged
            and isinstance(merged[-1], BlockQuote)
        ):
            # Quote paragraphs in a row are one quote.
            merged[-1].paragraphs += block.paragraphs
        else:
            merged.append(block)
    return [b for b in merged if b is not None]


def read_docx(data):
    document = Document(io.BytesIO(data))
    doc = assemble(docx_blocks(document))
    if any(True for _ in document.tables):
        doc.unclassified.append(
            {
                "where": "Tables",
                "text": "",
                "reason": "The document has tables: their text was kept as "
                "paragraphs where the table was.",
            }
        )
    return doc


# Writing ---------------------------------------------------------------

INLINE = re.compile(
    r"\[(?P<link>[^\]]+)\]\((?P<url>[^)\s]+)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\w*])\*(?P<italic>[^*\n]+?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<italic2>[^_\n]+?)_(?![\w_])"
)


def _add_hyperlink(paragraph, url, text):
    part = paragraph.part
    rel_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    paragraph._p.append(link)
    hyperlink = Hyperlink(link, paragraph)
    _add_inline(hyperlink, text, paragraph, style="Hyperlink")


def _add_inline(target, text, paragraph, bold=False, italic=False, style=None):
    """Markdown emphasis and links as runs (``target`` is a paragraph or link)."""
    position = 0
    for match in INLINE.finditer(text):
        _run(target, text[position : match.start()], bold, italic, style)
        if match["link"] is not None:
            if isinstance(target, Hyperlink):
                _run(target, match[0], bold, italic, style)
            else:
                _add_hyperlink(paragraph, match["url"], match["link"])
        elif match["bold"] is not None:
            _add_inline(target, match["bold"], paragraph, True, italic, style)
        else:
            inner = match["italic"] or match["italic2"]
            _add_inline(target, inner, paragraph, bold, True, style)
        position = match.end()
    _run(target, text[position:], bold, italic, style)


def _run(target, text, bold, italic, style):
    if not text:
        return
    if isinstance(target, Hyperlink):
        run_element = OxmlElement("w:r")
        target._hyperlink.append(run_element)
        run = Run(run_element, target._parent)
    else:
        run = target.add_run()
    # A line break inside a paragraph is kept as Word's own line break.
    for n, line in enumerate(text.split("\n")):
        if n:
            run.add_break()
        run.add_text(line)
    run.bold = bold or None
    run.italic = italic or None
    if style:
        run.style = style


def _ensure_styles(document):
    names = {s.name for s in document.styles}
    if "Hyperlink" not in names:
        style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.font.underline = True


class _Writer:
    def __init__(self):
        self.document = Document()
        _ensure_styles(self.document)
        self.last_was_quote = False

    def paragraph(self, text, style=None):
        if style == "Quote" and self.last_was_quote:
            # An empty paragraph between two quotes keeps them apart.
            self.document.add_paragraph()
        paragraph = self.document.add_paragraph(style=style)
        _add_inline(paragraph, text, paragraph)
        self.last_was_quote = style == "Quote"
        return paragraph

    def heading(self, text, level):
        self.document.add_heading(text, level=level)
        self.last_was_quote = False

    def markdown(self, text):
        for block in split_blocks(text):
            if isinstance(block, Heading):
                self.heading(block.text, block.level)
            elif isinstance(block, ListItem):
                style = "List Number" if block.ordered else "List Bullet"
                self.paragraph(block.text, style)
            elif isinstance(block, BlockQuote):
                for n, p in enumerate(block.paragraphs):
                    if n:
                        self.last_was_quote = False
                    self.paragraph(p, "Quote")
            elif isinstance(block, Paragraph):
                self.paragraph(block.text)

    def quote(self, quote):
        for n, p in enumerate(quote.text.split("\n\n")):
            if n:
                self.last_was_quote = False
            self.paragraph(p, "Quote")
        self.paragraph(f"— {quote.speaker}, {quote.source}")


def write_docx(doc):
    out = _Writer()
    out.heading(doc.title, 1)
    if doc.author:
        out.paragraph(f"By {doc.author}")
    out.markdown(doc.intro)
    part = ""
    for section in doc.sections:
        if section.part and section.part != part:
            out.heading(section.part, 2)
            part = section.part
        out.heading(section.title, 2)
        out.markdown(section.body)
        for quote in section.quotes:
            out.quote(quote)
    for number, point in enumerate(doc.practice_points, start=1):
        out.heading(f"Practice point {number}: {point.title}", 2)
        if point.summary:
            out.paragraph(f"Summary: {point.summary}")
        out.markdown(point.body)
        for practice_list in point.lists:
            out.heading(practice_list.title, 3)
            if practice_list.intro:
                out.markdown(practice_list.intro)
            for item in practice_list.items:
                out.paragraph(item, "List Bullet")
        for heading, questions in (
            ("Example questions", point.prompts),
            ("Reflective questions", point.reflective_questions),
        ):
            if questions:
                out.heading(heading, 3)
                for question in questions:
                    out.paragraph(question, "List Bullet")
        for quote in point.quotes:
            out.quote(quote)
        out.markdown(point.closing)
    buffer = io.BytesIO()
    out.document.save(buffer)
    return buffer.getvalue()
