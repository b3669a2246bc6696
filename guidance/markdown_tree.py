"""What the site adds to Python-Markdown, as processors of its element tree.

They run after Python-Markdown's own (so the tree holds the text a reader
will see, escapes undone), in this order: the editor's links get their rel,
data tokens are filled in, images outside the uploads are dropped, figure
notes move after their sentence, glossary terms are linked, and links to the
site's pages follow ``guidance.addresses``. Sanitising comes after all of them
(``guidance.markdown``), so nothing here is the last word on safety.
"""

import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

from markdown import serializers
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from . import addresses

TOKEN_PATTERN = r"\[\[([a-z-]+):([A-Za-z0-9_-]+)\]\]"
TOKEN_TAG = "data-token"
MISSING = '<span class="missing-data">[not available]</span>'
NOTE_CLASS = "figure-note"
# A token alone in its paragraph may stand for a block (a list of organisations).
BLOCK_TAGS = {"ul", "ol", "div"}
# Where a pending figure note goes at the latest: the end of its block.
NOTE_BLOCKS = {"p", "li", "blockquote", "td", "th", "dd"}
SENTENCE_END = re.compile(r"[.!?][)\]’”'\"]*(?=\s|$)")
# Never mark glossary terms inside these: a link in a link is invalid, code is
# literal.
NO_MARKING_INSIDE = {"a", "abbr", "code", "pre", "script", "style", "textarea"}
# Block ends read as a space in plain text, so words in adjacent list items
# never run together.
PLAIN_BREAKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd",
                "dt", "blockquote", "br"}  # fmt: skip


# Text slots: an element's text (before its first child) or its tail (after
# it, inside its parent). Inserting elements at a slot keeps document order.


def _slots(element, parent=None, skip=lambda e: False):
    """(owner, "text"|"tail", parent) for each piece of text, in document order;
    nothing inside an element ``skip`` refuses, nor its text."""
    if not skip(element):
        yield element, "text", parent
        for child in list(element):
            yield from _slots(child, element, skip)
    if parent is not None:
        yield element, "tail", parent


def _get(owner, slot):
    return getattr(owner, slot) or ""


def _insert_at(owner, slot, parent, elements, after_text):
    """Put ``elements`` right after the slot's current text; ``after_text``
    follows them."""
    if not elements:
        setattr(owner, slot, _get(owner, slot) + after_text)
        return
    if slot == "text":
        container, index = owner, 0
    else:
        container, index = parent, list(parent).index(owner) + 1
    for offset, element in enumerate(elements):
        container.insert(index + offset, element)
    elements[-1].tail = (elements[-1].tail or "") + after_text


def _fragment(html):
    """Trusted HTML (built with format_html from data) as elements."""
    return etree.fromstring(f"<fragment>{html}</fragment>")


def _has_class(element, name):
    return name in (element.get("class") or "").split()


class TokenInline(InlineProcessor):
    """``[[kind:slug]]`` becomes a placeholder element, resolved on the tree."""

    def handleMatch(self, m, data):
        element = etree.Element(TOKEN_TAG, {"kind": m.group(1), "slug": m.group(2)})
        return element, m.start(0), m.end(0)


class _Attributes(HTMLParser):
    def handle_starttag(self, tag, attrs):
        self.attrs = {name: value or "" for name, value in attrs}


class RawImage(InlineProcessor):
    """An ``<img>`` typed as HTML becomes an element of the tree (Python-Markdown
    would keep it aside as text), so the image check below sees it too."""

    PATTERN = r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>"""

    def handleMatch(self, m, data):
        parser = _Attributes(convert_charrefs=True)
        parser.feed(m.group(0))
        parser.close()
        return etree.Element("img", parser.attrs), m.start(0), m.end(0)


class EditorLinks(Treeprocessor):
    """The editor's links tell the page they open nothing of this one (no
    Referer, no window.opener): which guidance a reader was on stays private."""

    def run(self, root):
        for link in root.iter("a"):
            link.set("rel", "noopener noreferrer")


class Tokens(Treeprocessor):
    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for token in list(root.iter(TOKEN_TAG)):
            html = self.md.lookup(token.get("kind")).get(token.get("slug"))
            # Unknown or unpublished: say so quietly instead of showing the token.
            html = self.md.missing if html is None else str(html)
            self._replace(token, parents[token], parents, html)

    def _replace(self, token, parent, parents, html):
        try:
            fragment = _fragment(html)
        except etree.ParseError:
            fragment = etree.Element("fragment")
            fragment.text = self.md.htmlStash.store(html)
        alone = (
            parent.tag == "p"
            and not (parent.text or "").strip()
            and not (token.tail or "").strip()
            and len(parent) == 1
        )
        blocks = list(fragment)
        if (
            alone
            and len(blocks) == 1
            and blocks[0].tag in BLOCK_TAGS
            and not (fragment.text or blocks[0].tail or "").strip()
            and parent in parents
        ):
            grandparent = parents[parent]
            blocks[0].tail = parent.tail
            grandparent.insert(list(grandparent).index(parent), blocks[0])
            grandparent.remove(parent)
            return
        index = list(parent).index(token)
        parent.remove(token)
        before = (parent, "text") if index == 0 else (parent[index - 1], "tail")
        setattr(*before, _get(*before) + (fragment.text or ""))
        _insert_at(before[0], before[1], parent, blocks, token.tail or "")


class Images(Treeprocessor):
    """An image from anywhere but the site's uploads is no image at all."""

    def run(self, root):
        for parent in list(root.iter()):
            for image in parent.findall("img"):
                if not self.md.is_upload(image.get("src", "")):
                    index = list(parent).index(image)
                    before = (
                        (parent, "text") if index == 0 else (parent[index - 1], "tail")
                    )
                    setattr(*before, _get(*before) + (image.tail or ""))
                    parent.remove(image)


class Notes(Treeprocessor):
    """A note a token carries (a figure's "The source briefing printed this as
    20%.") goes after the sentence the token sits in, or at the end of its
    block, so it never interrupts the sentence."""

    def run(self, root):
        pending = []
        for owner, slot, parent in list(self._events(root)):
            if slot == "note":
                self._take(owner, parent, pending)
            elif slot == "end" and pending:
                self._flush_at_end(owner, pending)
            elif slot != "end" and pending:
                self._flush_in_text(owner, slot, parent, pending)
        if pending:
            self._flush_at_end(root, pending)

    def _events(self, element, parent=None):
        if parent is not None and element.tag == "small":
            if _has_class(element, NOTE_CLASS):
                yield element, "note", parent
                return
        yield element, "text", parent
        for child in list(element):
            yield from self._events(child, element)
        if element.tag in NOTE_BLOCKS and parent is not None:
            yield element, "end", parent
        if parent is not None:
            yield element, "tail", parent

    def _take(self, note, parent, pending):
        index = list(parent).index(note)
        owner, slot = (parent, "text") if index == 0 else (parent[index - 1], "tail")
        # The space before the note goes with it; its tail stays where it was,
        # now after what preceded it, and is read on for a sentence's end.
        before = _get(owner, slot).rstrip()
        parent.remove(note)
        setattr(owner, slot, before + (note.tail or ""))
        note.tail = None
        pending.append(note)
        self._flush_in_text(owner, slot, parent, pending, start=len(before))

    def _flush_in_text(self, owner, slot, parent, pending, start=0):
        text = _get(owner, slot)
        end = SENTENCE_END.search(text, start)
        if end is None:
            return
        notes = self._spaced(pending)
        setattr(owner, slot, text[: end.end()] + " ")
        _insert_at(owner, slot, parent, notes, text[end.end() :])

    def _flush_at_end(self, block, pending):
        notes = self._spaced(pending)
        if len(block):
            block[-1].tail = _get(block[-1], "tail") + " "
        else:
            block.text = _get(block, "text") + " "
        block.extend(notes)

    @staticmethod
    def _spaced(pending):
        notes = list(pending)
        pending.clear()
        for note in notes[:-1]:
            note.tail = " "
        return notes


class GlossaryMarker:
    """Links the first use on a page of each glossary term in element text."""

    def __init__(self, terms, marked):
        self.marked = marked  # the pks of the terms this page has linked
        alternatives = []
        self.by_key = {}
        # Longest first, so "Complex PTSD" wins over "PTSD" at the same place.
        for term in sorted(terms, key=lambda t: len(t.term), reverse=True):
            words = r"\s+".join(re.escape(word) for word in term.term.split())
            alternatives.append(words if term.matches_case else f"(?i:{words})")
            self.by_key[self._key(term.term, term.matches_case)] = term
        self.pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])"
        )

    @staticmethod
    def _key(text, matches_case):
        text = " ".join(text.split())
        return text if matches_case else text.lower()

    def mark(self, root):
        skip = lambda element: element.tag in NO_MARKING_INSIDE  # noqa: E731
        for owner, slot, parent in list(_slots(root, skip=skip)):
            self._mark_slot(owner, slot, parent)

    def _mark_slot(self, owner, slot, parent):
        text = _get(owner, slot)
        for match in self.pattern.finditer(text):
            found = match.group(0)
            term = self.by_key.get(self._key(found, True)) or self.by_key.get(
                self._key(found, False)
            )
            if term is None or term.pk in self.marked:
                continue
            self.marked.add(term.pk)
            link = self._link(term, found)
            setattr(owner, slot, text[: match.start()])
            _insert_at(owner, slot, parent, [link], "")
            # The rest of the text is now the link's tail: go on from there.
            link.tail = text[match.end() :]
            self._mark_slot(link, "tail", parent if slot == "tail" else owner)
            return

    @staticmethod
    def _link(term, text):
        link = etree.Element(
            "a", {"class": "glossary-term", "href": term.get_absolute_url()}
        )
        if term.is_abbreviation:
            abbr = etree.SubElement(link, "abbr", {"title": term.expansion})
            abbr.text = text
        else:
            link.text = text
        return link


class Glossary(Treeprocessor):
    def run(self, root):
        marker = self.md.glossary() if self.md.glossary else None
        if marker is not None:
            marker.mark(root)


class Addresses(Treeprocessor):
    """Links to the site's pages as the page being rendered needs them."""

    def run(self, root):
        follow_addresses(root)


def follow_addresses(root):
    for link in root.iter("a"):
        if link.get("href"):
            link.set("href", addresses.href(link.get("href")))


class SiteExtension(Extension):
    """``lookup(kind) -> {slug: html}``; ``missing``: HTML for an unknown token;
    ``glossary() -> GlossaryMarker | None``; ``plain``: for search's plain text
    (tokens only: no images, notes, glossary or addresses)."""

    def __init__(self, lookup=None, missing="", glossary=None, plain=False):
        # Python-Markdown's config turns a None default into a bool: plain
        # attributes keep the callables as given.
        super().__init__()
        self.lookup, self.missing, self.glossary = lookup, missing, glossary
        self.plain = plain

    def extendMarkdown(self, md):
        from .markdown import is_upload

        md.lookup, md.missing, md.glossary = self.lookup, self.missing, self.glossary
        md.is_upload = is_upload
        md.inlinePatterns.register(TokenInline(TOKEN_PATTERN, md), "data-token", 200)
        # Before Python-Markdown's raw HTML pattern (90).
        md.inlinePatterns.register(RawImage(RawImage.PATTERN, md), "raw-image", 95)
        # After Python-Markdown's own processors (unescape is at 0).
        md.treeprocessors.register(EditorLinks(md), "editor-links", -1)
        md.treeprocessors.register(Tokens(md), "data-tokens", -2)
        if self.plain:
            return
        md.treeprocessors.register(Images(md), "images", -3)
        md.treeprocessors.register(Notes(md), "figure-notes", -4)
        md.treeprocessors.register(Glossary(md), "glossary", -5)
        md.treeprocessors.register(Addresses(md), "addresses", -6)


class _Words(HTMLParser):
    """The text of HTML, with each list item's words kept apart too."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words, self.items, self.first_tag = [], [], None
        self._item = None

    def handle_data(self, data):
        self.words.append(data)
        if self._item is not None:
            self._item.append(data)

    def handle_starttag(self, tag, attrs):
        self.first_tag = self.first_tag or tag
        if tag == "br":
            self.handle_data(" ")
        elif tag == "li":
            self._item = []

    def handle_endtag(self, tag):
        if tag == "li" and self._item is not None:
            self.items.append(" ".join("".join(self._item).split()))
            self._item = None
        if tag in PLAIN_BREAKS:
            self.handle_data(" ")


def _read(html):
    parser = _Words()
    parser.feed(html)
    parser.close()
    return parser


def words_of(html):
    """The words of sanitised HTML as a reader reads them, one space apart."""
    return " ".join("".join(_read(html).words).split())


def list_items_of(html):
    """The words of each item when ``html`` is a list, else None."""
    parser = _read(html)
    if parser.first_tag in ("ul", "ol") and parser.items:
        return parser.items
    return None


def mark_fragment(html, marker):
    """Safe ``html`` (escaped text, a figure) with glossary terms marked."""
    try:
        root = _fragment(html)
    except etree.ParseError:
        return html
    before = [(e.tag, e.get("href")) for e in root.iter()]
    if marker is not None:
        marker.mark(root)
    follow_addresses(root)
    if [(e.tag, e.get("href")) for e in root.iter()] == before:
        return html  # unchanged: as escaped, byte for byte
    out = serializers.to_html_string(root)
    return out[len("<fragment>") : -len("</fragment>")]
