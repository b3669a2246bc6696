"""Markdown files: blocks read from text, and a briefing written as text."""

import re

from .structure import (
    BlockQuote,
    Heading,
    Image,
    ListItem,
    Paragraph,
    assemble,
    quote_markdown,
)

ATX_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^(?P<marker>[-*+]|\d+[.)])\s+(?P<text>.*)$")
FENCE = re.compile(r"^(```|~~~)")
# Images are never kept as links elsewhere: ![alt](address) is listed instead.
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<source>[^)\s]*)(?:\s+\"[^\"]*\")?\)")


def split_blocks(text):
    """Markdown as blocks: headings, paragraphs, list items, block quotes, images."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = []
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            index += 1
            continue
        heading = ATX_HEADING.match(stripped) if not line.startswith("    ") else None
        if heading:
            blocks.append(Heading(len(heading[1]), heading[2]))
            index += 1
            continue
        if FENCE.match(stripped):
            fence = [line]
            index += 1
            while index < len(lines):
                fence.append(lines[index])
                index += 1
                if FENCE.match(fence[-1].strip()):
                    break
            blocks.append(Paragraph("\n".join(fence)))
            continue
        if stripped.startswith(">"):
            quoted = []
            while index < len(lines) and lines[index].strip().startswith(">"):
                quoted.append(re.sub(r"^\s*> ?", "", lines[index]))
                index += 1
            paragraphs = [
                p.strip("\n") for p in "\n".join(quoted).split("\n\n") if p.strip()
            ]
            blocks.append(BlockQuote([_strip_images(p, blocks) for p in paragraphs]))
            continue
        item = LIST_ITEM.match(line)
        if item:
            text_lines = [item["text"]]
            index += 1
            # An indented line continues the item (a wrapped line or a nested list).
            while index < len(lines) and lines[index].startswith((" ", "\t")):
                if not lines[index].strip():
                    break
                text_lines.append(lines[index])
                index += 1
            ordered = item["marker"][0].isdigit()
            text = _strip_images("\n".join(text_lines), blocks)
            blocks.append(ListItem(text, ordered=ordered))
            continue
        paragraph = []
        while index < len(lines) and lines[index].strip():
            current = lines[index]
            if paragraph and (
                ATX_HEADING.match(current.strip())
                or current.strip().startswith(">")
                or LIST_ITEM.match(current)
            ):
                break
            paragraph.append(current)
            index += 1
        blocks.extend(_without_images("\n".join(paragraph)))
    return blocks


def _without_images(text):
    images = [Image(m["alt"], m["source"]) for m in IMAGE.finditer(text)]
    rest = IMAGE.sub("", text).strip()
    return images + ([Paragraph(rest)] if rest else [])


def _strip_images(text, blocks):
    """``text`` without its images, which are listed in ``blocks`` instead."""
    blocks.extend(Image(m["alt"], m["source"]) for m in IMAGE.finditer(text))
    return IMAGE.sub("", text).strip()


def read_markdown(text):
    return assemble(split_blocks(text))


def _quote(quote):
    return f"{quote_markdown(quote.text.split(chr(10) * 2))}\n\n— {quote.speaker}, {quote.source}"


def write_markdown(doc):
    """A briefing as markdown in the import conventions (docs/importing.md)."""
    out = [f"# {doc.title}"]
    if doc.author:
        out.append(f"By {doc.author}")
    if doc.intro:
        out.append(doc.intro)
    part = ""
    for section in doc.sections:
        if section.part and section.part != part:
            out.append(f"## {section.part}")
            part = section.part
        out.append(f"## {section.title}")
        if section.body:
            out.append(section.body)
        out += [_quote(q) for q in section.quotes]
    for number, point in enumerate(doc.practice_points, start=1):
        out.append(f"## Practice point {number}: {point.title}")
        if point.summary:
            out.append(f"Summary: {point.summary}")
        if point.body:
            out.append(point.body)
        for practice_list in point.lists:
            out.append(f"### {practice_list.title}")
            if practice_list.intro:
                out.append(practice_list.intro)
            out.append("\n".join(f"- {item}" for item in practice_list.items))
        for heading, questions in (
            ("Example questions", point.prompts),
            ("Reflective questions", point.reflective_questions),
        ):
            if questions:
                out.append(f"### {heading}")
                out.append("\n".join(f"- {q}" for q in questions))
        out += [_quote(q) for q in point.quotes]
        if point.closing:
            out.append(point.closing)
    return "\n\n".join(part.strip("\n") for part in out) + "\n"
