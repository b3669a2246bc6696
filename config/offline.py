"""The offline briefing pack: one HTML file that works from a downloads folder.

The pack is rendered from the briefing's own context and templates, so the
links in it are the site's (a figure token links to its Snapshot page, a
glossary term to the glossary). A file opened without a network can follow
only links inside itself, so each link to a page of this site becomes the
anchor of the same item in the file where the file holds it, and the site's
full public address otherwise (still useful once back online).

"Cite this" gives the live address and the day it was read: a saved copy is
neither, so the templates leave it out when the context says ``offline``.
"""

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders

HREF = re.compile(r'\bhref="([^"]*)"')
ID = re.compile(r'\bid="([^"]+)"')
# Pages whose items the pack holds under ids of its own: the glossary's terms
# sit beside practice points and references, so they carry a prefix here.
ID_PREFIXES = {"/glossary/": "glossary-"}

# What the file allows itself when opened from disk, where no header can say
# it: its own inline styles and data: images, never a script or a request.
POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


@cache
def stylesheet():
    """The site's screen and print styles, to put inline."""
    parts = []
    for name, media in (("css/site.css", None), ("css/print.css", "print")):
        text = Path(finders.find(name)).read_text(encoding="utf-8")
        parts.append(f"@media {media} {{\n{text}\n}}" if media else text)
    return "\n".join(parts).replace("</", "<\\/")


def offline_links(html, anchors, base):
    """``html`` with every link to this site pointing inside the file.

    ``anchors`` maps page addresses the pack holds whole (a section's own
    page) to their anchor; ``base`` is the site's public address.
    """
    ids = set(ID.findall(html))

    def rewrite(match):
        href = match.group(1)
        if not href.startswith("/") or href.startswith("//"):
            return match.group(0)
        parts = urlsplit(href)
        anchor = None
        if parts.fragment:
            candidate = ID_PREFIXES.get(parts.path, "") + parts.fragment
            anchor = candidate if candidate in ids else None
        if anchor is None and not parts.query:
            anchor = anchors.get(parts.path)
        if anchor is not None and anchor in ids:
            return f'href="#{anchor}"'
        return f'href="{base}{href}"'

    return HREF.sub(rewrite, html)
