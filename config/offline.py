"""The offline briefing pack: one HTML file that works from a downloads folder.

The pack is rendered from the briefing's own context and templates. A file
opened without a network can follow only links inside itself, so the template
renders its body inside ``{% pack_addresses anchors %}`` (guidance.addresses):
each link the templates and the markdown write to a page of this site becomes
the anchor of the same item in the file where the file holds it, and the
site's full public address otherwise (still useful once back online).

"Cite this" gives the live address and the day it was read: a saved copy is
neither, so the templates leave it out when the context says ``offline``.
"""

from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse

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


def pack_anchors(context):
    """{address on the site: anchor in the file} for the pages and items the
    pack holds, under the ids its templates give them."""
    anchors = {
        reverse("guidance:reference_list"): "research",
        reverse("guidance:resource_list"): "further-resources",
        context["briefing"].get_absolute_url(): "main-content",
    }
    for reference in context["references"]:
        anchors[reference.get_absolute_url()] = reference.slug
    for resource in context["resources"]:
        anchors[resource.get_absolute_url()] = resource.slug
    if context["glossary"]:
        anchors[reverse("guidance:glossary")] = "glossary"
        for term in context["glossary"]:
            anchors[term.get_absolute_url()] = f"glossary-{term.slug}"
    snapshot = context["snapshot"]
    if snapshot is not None:
        anchors[reverse("snapshot:figure_list")] = "snapshot-figures"
        anchors[snapshot.get_absolute_url()] = "snapshot-figures"
        # A figure's address is its Snapshot's page and the id its card gives
        # it (figure_card.html); asking each figure would query its Snapshot.
        page = snapshot.get_absolute_url()
        for figure in snapshot.figures.all():
            for shown in (figure, *figure.variants.all()):
                anchors[f"{page}#figure-{shown.slug}"] = f"figure-{shown.slug}"
    for section in context["sections"]:
        anchors[section.get_absolute_url()] = f"section-{section.slug}"
        for quote in section.quotes.all():
            anchors[quote.get_absolute_url()] = quote.slug
    for point in context["practice_points"]:
        anchors[point.get_absolute_url()] = point.slug
        for quote in point.quotes.all():
            anchors[quote.get_absolute_url()] = quote.slug
    return anchors
