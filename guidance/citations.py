"""'Cite this': a ready Harvard reference for a briefing and each part of it.

Each kind of item builds its own ``Citation`` in one method, ``citation()``
(a briefing, section, practice point, quote, Snapshot, Snapshot figure), from
what the content records and nothing else: a year the source does not give is
"n.d.", an author it does not give is left out (Harvard then starts with the
title). The ``{% cite item %}`` tag renders one with ``includes/cite.html``.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import format_html

NO_DATE = "n.d."


def public_url(request, path):
    """The absolute address of ``path`` readers should type, scan or cite: on the
    public SITE_URL when set (behind a proxy the request's host may be internal)."""
    base = settings.SITE_URL.rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


def year_of(date):
    return str(date.year) if date else NO_DATE


@dataclass(frozen=True)
class Citation:
    """A Harvard reference to a web page, or to a part of one."""

    name: str  # what is cited, for the disclosure's label
    author: str  # as the source gives it, or "" when it gives none
    year: str  # as the source gives it, or "n.d."
    title: str  # the work: the briefing, or the Snapshot
    url: str  # absolute
    accessed: datetime.date
    part: str = ""  # the part of the work: a section or practice point
    detail: str = ""  # what is cited within it: a figure, who is quoted
    facts: tuple[tuple[str, str], ...] = ()  # shown beside the reference

    def _render(self, fmt, title):
        # One order for both forms: fmt is str.format for text, format_html
        # (which escapes) for HTML.
        work = fmt("‘{}’, in {}", self.part, title) if self.part else title
        if self.author:
            reference = fmt("{} ({}) {}.", self.author, self.year, work)
        else:  # Harvard: with no author, the title leads
            reference = fmt("{} ({}).", work, self.year)
        if self.detail:
            reference = fmt("{} {}.", reference, self.detail)
        return fmt(
            "{} Available at: {} (Accessed: {}).",
            reference,
            self.url,
            f"{self.accessed.day} {self.accessed:%B %Y}",
        )

    @property
    def text(self):
        """The reference as plain text, to paste anywhere."""
        return self._render(str.format, self.title)

    @property
    def html(self):
        """The same reference with the work's title in italics."""
        return self._render(format_html, format_html("<cite>{}</cite>", self.title))


def cite_briefing_part(briefing, url, accessed, name, part="", detail=""):
    """A reference to a briefing, or to a part of it (a section, a practice point)."""
    return Citation(
        name=name,
        author=briefing.author,
        year=year_of(briefing.first_published),
        title=briefing.title,
        url=url,
        accessed=accessed,
        part=part,
        detail=detail,
    )
