"""A briefing as readers download it: data tokens (``[[figure:slug]]``) written
out as the words readers see, and links to this site's pages made absolute.

An editor's export keeps the tokens, so a re-imported briefing still shows live
figures; a reader's download has the figures themselves.
"""

import dataclasses
import re

from guidance.citations import public_url
from guidance.markdown import TOKEN, render_markdown
from guidance.markdown_tree import list_items_of, words_of

# A markdown link to a page of this site: "[Research](/research/)".
SITE_LINK = re.compile(r"\]\((/[^)\s]*)\)")


def _words(html):
    return words_of(str(html))


def _block(paragraph):
    html = str(render_markdown(paragraph))
    items = list_items_of(html)
    if items:
        return "\n".join(f"- {item}" for item in items)
    return _words(html)


def resolve_tokens(text):
    if not text or not TOKEN.search(text):
        return text
    paragraphs = []
    for paragraph in text.split("\n\n"):
        if TOKEN.fullmatch(paragraph.strip()):
            # A token alone may stand for a block (the list of organisations).
            paragraphs.append(_block(paragraph.strip()))
        else:
            paragraphs.append(
                TOKEN.sub(lambda m: _words(str(render_markdown(m[0]))), paragraph)
            )
    return "\n\n".join(paragraphs)


def for_readers(value, request):
    """A copy of a document (or any part of one) with every token written out
    and every link to this site absolute, so the file works on its own."""
    if isinstance(value, str):
        text = resolve_tokens(value)
        return SITE_LINK.sub(lambda m: f"]({public_url(request, m[1])})", text)
    if isinstance(value, list):
        return [for_readers(v, request) for v in value]
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(
            value,
            **{
                f.name: for_readers(getattr(value, f.name), request)
                for f in dataclasses.fields(value)
            },
        )
    return value
