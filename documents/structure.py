"""The one shape a briefing file has, whichever format it came in or goes out in.

Both readers (``word.py``, ``markdown_format.py``) turn a file into a list of
blocks; ``assemble`` applies the conventions (docs/importing.md) to those blocks
and gives a ``BriefingDocument``. Both writers take a ``BriefingDocument``. So a
.docx and a .md file follow exactly the same conventions.
"""

import re
from dataclasses import asdict, dataclass, field

from django.template.defaultfilters import pluralize

# Bodies are markdown: lists, links, bold and italics as markdown.


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    text: str


@dataclass
class ListItem:
    text: str
    ordered: bool = False


@dataclass
class BlockQuote:
    paragraphs: list


@dataclass
class Image:
    alt: str
    source: str = ""


@dataclass
class Quote:
    text: str
    speaker: str
    source: str


@dataclass
class PracticeList:
    title: str
    intro: str = ""
    items: list = field(default_factory=list)


@dataclass
class Section:
    title: str
    part: str = ""
    body: str = ""
    quotes: list = field(default_factory=list)


@dataclass
class PracticePoint:
    title: str
    summary: str = ""
    body: str = ""
    lists: list = field(default_factory=list)
    prompts: list = field(default_factory=list)
    reflective_questions: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    closing: str = ""


@dataclass
class BriefingDocument:
    title: str = ""
    author: str = ""
    intro: str = ""
    sections: list = field(default_factory=list)
    practice_points: list = field(default_factory=list)
    # Text kept where it was, but not recognised as any of the conventions.
    unclassified: list = field(default_factory=list)
    images_not_imported: list = field(default_factory=list)

    def to_dict(self):
        return asdict(self)

    def counted(self):
        """What it holds, as an editor reads it: "2 sections and 1 practice point"."""
        sections, points = len(self.sections), len(self.practice_points)
        return (
            f"{sections} section{pluralize(sections)} and "
            f"{points} practice point{pluralize(points)}"
        )

    @classmethod
    def from_dict(cls, data):
        def quotes(rows):
            return [Quote(**q) for q in rows]

        return cls(
            title=data["title"],
            author=data["author"],
            intro=data["intro"],
            sections=[
                Section(**{**s, "quotes": quotes(s["quotes"])})
                for s in data["sections"]
            ],
            practice_points=[
                PracticePoint(
                    **{
                        **p,
                        "quotes": quotes(p["quotes"]),
                        "lists": [PracticeList(**x) for x in p["lists"]],
                    }
                )
                for p in data["practice_points"]
            ],
            unclassified=list(data["unclassified"]),
            images_not_imported=list(data["images_not_imported"]),
        )


PRACTICE_POINT = re.compile(
    r"^\s*practice\s+point\b\s*(\d+)?\s*[:.\u2013\u2014-]?\s*", re.I
)
EXAMPLE_QUESTIONS = "example questions"
REFLECTIVE_QUESTIONS = "reflective questions"
# "— Natalia, Inside Outside": an em dash, en dash or two hyphens, the speaker,
# a comma, the source.
ATTRIBUTION = re.compile(
    r"^\s*(?:\u2014|\u2013|--)\s*(?P<who>[^,\n]+?)\s*(?:,\s*(?P<source>[^\n]+?))?\s*$"
)
ATTRIBUTION_LENGTH = 300
SPEAKER_LENGTH = 100  # Quote.speaker's length: a longer "speaker" is just text
EMPHASIS = re.compile(r"(\*\*|\*|__|_)(.+?)\1")
BY_LINE = re.compile(r"^\s*by\s+(?P<author>.+?)\s*$", re.I)
SUMMARY_LINE = re.compile(r"^\s*summary:\s*(?P<summary>.+?)\s*$", re.I | re.S)


def attribution(block):
    """(speaker, source) if the block is a short attribution line, else None."""
    if not isinstance(block, Paragraph) or len(block.text) > ATTRIBUTION_LENGTH:
        return None
    match = ATTRIBUTION.match(block.text)
    if match is None:
        return None
    speaker = _plain(match["who"])
    if len(speaker) > SPEAKER_LENGTH:
        return None
    return speaker, _plain(match["source"] or "")


def _plain(text):
    """Words without markdown emphasis: a source's title is often in italics."""
    return EMPHASIS.sub(r"\2", text).strip()


def practice_point_title(heading, number):
    title = PRACTICE_POINT.sub("", heading, count=1).strip()
    return title or f"Practice point {number}"


def quote_markdown(paragraphs):
    return "\n>\n".join(
        "\n".join(f"> {line}" if line else ">" for line in p.split("\n"))
        for p in paragraphs
    )


def blocks_to_markdown(blocks):
    """Blocks kept as text, as the markdown a body field holds."""
    parts = []
    previous = None
    number = 0
    for block in blocks:
        if isinstance(block, ListItem):
            same_list = (
                isinstance(previous, ListItem) and previous.ordered == block.ordered
            )
            number = number + 1 if same_list else 1
            marker = f"{number}." if block.ordered else "-"
            line = f"{marker} {block.text}"
            if same_list:
                parts[-1] += "\n" + line
            else:
                parts.append(line)
        elif isinstance(block, Heading):
            parts.append("#" * block.level + " " + block.text)
        elif isinstance(block, BlockQuote):
            parts.append(quote_markdown(block.paragraphs))
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        previous = block
    return "\n\n".join(parts)


class _Assembler:
    def __init__(self):
        self.doc = BriefingDocument()
        self.target = None  # the Section or PracticePoint being read
        self.text = []  # blocks kept as text in the current place
        self.seen_title = False
        self.part = ""
        self.pp_state = None  # None, "body" or "closing" inside a practice point
        # (field, heading) while reading questions: the field is "prompts" or
        # "reflective_questions", the heading as written.
        self.questions = None
        self.questions_before = 0
        self.practice_list = None
        self.after_heading = False

    def note(self, text, reason):
        where = self.where()
        self.doc.unclassified.append({"where": where, "text": text, "reason": reason})

    def where(self):
        if self.target is None:
            return "Introduction"
        kind = "Section" if isinstance(self.target, Section) else "Practice point"
        return f"{kind}: {self.target.title}"

    # Text ---------------------------------------------------------------
    def flush_text(self):
        markdown = blocks_to_markdown(self.text)
        self.text = []
        if not markdown:
            return
        if self.target is None:
            self.doc.intro = _join(self.doc.intro, markdown)
        elif isinstance(self.target, Section):
            self.target.body = _join(self.target.body, markdown)
        elif self.pp_state == "closing":
            self.target.closing = _join(self.target.closing, markdown)
        else:
            self.target.body = _join(self.target.body, markdown)

    def keep(self, block):
        self.text.append(block)

    def structured(self):
        """Something a practice point lists (a list, questions, a quote) comes next."""
        self.flush_text()
        if isinstance(self.target, PracticePoint):
            self.pp_state = "closing"

    def end_list(self):
        if self.questions is not None:
            empty, heading = self.no_questions_yet(), self.questions[1]
            self.questions = None
            if empty:
                # A questions heading with no bullets under it stays as text.
                self.note(
                    heading,
                    "A questions heading with no bulleted list under it: kept as text.",
                )
                self.keep(Heading(3, heading))
        if self.practice_list is not None:
            pl, self.practice_list = self.practice_list, None
            if pl.items:
                self.target.lists.append(pl)
            else:
                # A heading with no list under it is just text.
                self.keep(Heading(3, pl.title))
                if pl.intro:
                    self.keep(Paragraph(pl.intro))

    def no_questions_yet(self):
        return len(getattr(self.target, self.questions[0])) == self.questions_before

    # Blocks -------------------------------------------------------------
    def heading(self, block):
        self.end_list()
        text = block.text.strip()
        if block.level == 1 and not self.seen_title:
            if self.text:
                self.note(
                    blocks_to_markdown(self.text),
                    "Text before the title (Heading 1): kept in the introduction.",
                )
            self.seen_title = True
            self.doc.title = text
            self.after_heading = "title"
            return
        if PRACTICE_POINT.match(text):
            self.finish_target()
            number = len(self.doc.practice_points) + 1
            self.target = PracticePoint(title=practice_point_title(text, number))
            self.doc.practice_points.append(self.target)
            self.pp_state = "body"
            self.after_heading = "practice-point"
            return
        lowered = text.lower().rstrip(":")
        if isinstance(self.target, PracticePoint) and block.level >= 2:
            if lowered in (EXAMPLE_QUESTIONS, REFLECTIVE_QUESTIONS):
                self.structured()
                field = (
                    "prompts"
                    if lowered == EXAMPLE_QUESTIONS
                    else "reflective_questions"
                )
                self.questions = (field, text)
                self.questions_before = len(getattr(self.target, field))
                self.after_heading = False
                return
            if block.level >= 3:
                self.structured()
                self.practice_list = PracticeList(title=text)
                self.after_heading = False
                return
        if block.level <= 2:
            if block.level == 1:
                self.note(text, "A second Heading 1: read as a section heading.")
            if (
                self.after_heading == "section"
                and not self.target.body
                and not self.target.quotes
            ):
                # A heading with nothing under it heads the sections below it.
                self.doc.sections.remove(self.target)
                self.part = self.target.title
                self.target = None
            self.finish_target()
            self.target = Section(title=text, part=self.part)
            self.doc.sections.append(self.target)
            self.after_heading = "section"
            return
        if lowered in (EXAMPLE_QUESTIONS, REFLECTIVE_QUESTIONS):
            self.note(text, "Questions outside a practice point: kept as text.")
        self.keep(block)
        self.after_heading = False

    def finish_target(self):
        self.end_list()
        self.flush_text()
        if (
            isinstance(self.target, Section)
            and not self.target.body
            and not self.target.quotes
        ):
            self.note(self.target.title, "A section heading with nothing under it.")
        if isinstance(self.target, PracticePoint) and not self.target.summary:
            # Lists and search show a summary: the first paragraph, unless given.
            first = self.target.body.split("\n\n")[0] if self.target.body else ""
            self.target.summary = first.lstrip("#>-* ").strip()
        self.pp_state = None

    def paragraph(self, block):
        after, self.after_heading = self.after_heading, False
        if after == "title" and not self.doc.author:
            match = BY_LINE.match(block.text)
            if match and "\n" not in block.text:
                self.doc.author = match["author"]
                return
        if after == "practice-point":
            match = SUMMARY_LINE.match(block.text)
            if match:
                self.target.summary = match["summary"]
                return
        if self.practice_list is not None and not self.practice_list.items:
            self.practice_list.intro = _join(self.practice_list.intro, block.text)
            return
        if self.questions is not None and self.no_questions_yet():
            self.note(
                block.text,
                "Text between a questions heading and its list: kept as text after the questions.",
            )
        self.end_list()
        if attribution(block) is not None:
            self.note(
                block.text,
                "An attribution line with no Quote paragraph before it: kept as text.",
            )
        self.keep(block)

    def list_item(self, block):
        self.after_heading = False
        if self.questions is not None:
            getattr(self.target, self.questions[0]).append(block.text)
            return
        if self.practice_list is not None:
            self.practice_list.items.append(block.text)
            return
        self.keep(block)

    def quote(self, block, next_block):
        """Returns True when ``next_block`` (its attribution) was used."""
        self.after_heading = False
        self.end_list()
        paragraphs = list(block.paragraphs)
        found = attribution(next_block) if next_block is not None else None
        used_next = found is not None
        if found is None and paragraphs:
            # "> — Natalia, Inside Outside" as the quote's own last line.
            found = attribution(Paragraph(paragraphs[-1]))
            if found is not None:
                paragraphs = paragraphs[:-1]
        if found is None or not found[1] or not paragraphs:
            if found is not None:
                self.note(
                    _join(*paragraphs),
                    "A quote whose attribution names no source (“— Speaker, Source”): kept as text.",
                )
                used_next = False
                paragraphs = list(block.paragraphs)
            else:
                self.note(
                    _join(*paragraphs),
                    "A quote with no attribution line (“— Speaker, Source”) after it: kept as a block quote in the text.",
                )
            self.keep(BlockQuote(paragraphs))
            return False
        speaker, source = found
        quote = Quote(text="\n\n".join(paragraphs), speaker=speaker, source=source)
        if self.target is None:
            self.note(
                quote.text,
                "A quote before the first section: kept as a block quote in the introduction.",
            )
            self.keep(BlockQuote(block.paragraphs))
            return False
        self.structured()
        self.target.quotes.append(quote)
        return used_next

    def image(self, block):
        self.doc.images_not_imported.append(
            {"where": self.where(), "alt": block.alt, "source": block.source}
        )


def _join(*parts):
    return "\n\n".join(p for p in parts if p)


def assemble(blocks):
    """The conventions applied to a reader's blocks; nothing is dropped."""
    reader = _Assembler()
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, Heading):
            reader.heading(block)
        elif isinstance(block, ListItem):
            reader.list_item(block)
        elif isinstance(block, BlockQuote):
            if reader.quote(block, following):
                index += 1
        elif isinstance(block, Image):
            reader.image(block)
        else:
            reader.paragraph(block)
        index += 1
    reader.finish_target()
    return reader.doc
