import functools

import segno
from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from segno import DataOverflowError

from guidance import addresses
from guidance.citations import public_url
from guidance.markdown import mark_glossary_terms_in_text, render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render editor markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter
def glossary(text):
    """Escape plain text and link the page's first use of each glossary term."""
    return mark_glossary_terms_in_text(text)


@register.filter
def href(address):
    """A link to a page of this site as the page being rendered needs it: the
    path, or inside {% pack_addresses %} the offline file's own anchor."""
    return addresses.href(address)


@register.tag
def pack_addresses(parser, token):
    """``{% pack_addresses anchors %}...{% end_pack_addresses %}``: links inside
    go to ``anchors`` ({site address: anchor in this file}) or else to the
    site's public address (``site_base``), for a file read offline."""
    try:
        _, anchors = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError(
            "pack_addresses takes one argument"
        ) from None
    nodelist = parser.parse(("end_pack_addresses",))
    parser.delete_first_token()
    return PackAddressesNode(parser.compile_filter(anchors), nodelist)


class PackAddressesNode(template.Node):
    def __init__(self, anchors, nodelist):
        self.anchors, self.nodelist = anchors, nodelist

    def render(self, context):
        pack = addresses.PackAddresses(
            base=context["site_base"], anchors=self.anchors.resolve(context)
        )
        with addresses.using(pack):
            return self.nodelist.render(context)


@register.filter
@functools.lru_cache(maxsize=1024)
def qr_code(url):
    """An inline SVG QR code for url, for print (segno escapes what it writes).

    Cached: choosing the best mask takes segno several milliseconds a code.
    """
    try:
        code = segno.make(url, error="m")
    except DataOverflowError:
        return ""  # too long for any QR code (a hostile address on a 404 page)
    return mark_safe(code.svg_inline(scale=3, dark="#000", light="#fff"))  # noqa: S308


# "Cite this": one per page. Each {% cite item %} in the page's templates adds
# the item's reference to a list that {% collect_citations %} (in base.html)
# starts; {% cite_this %}, after the content, shows them all in one disclosure.
# The list hangs on the Context: an include copies the context, attributes and
# all, so every template the page includes adds to the same list.
@register.simple_tag(takes_context=True)
def collect_citations(context):
    context.page_citations = []
    return ""


@register.simple_tag(takes_context=True)
def cite(context, item, page=False, **within):
    """Add item's reference, dated the day the page is served, to the page's
    "Cite this"; ``page=True`` for the page's own item, which leads the list.

    Pages are cached per content version and per day, so the accessed date
    is right on every copy. ``within``: what the item is shown in (a quote's
    briefing, a figure's Snapshot). Outside a page (the offline pack) there is
    no "Cite this", so nothing is added.
    """
    citations = getattr(context, "page_citations", None)
    if citations is not None:
        base = public_url(context.request, "/").rstrip("/")
        citation = item.citation(base, timezone.localdate(), **within)
        if citation not in citations:
            citations.insert(0 if page else len(citations), citation)
    return ""


@register.inclusion_tag("includes/cite.html", takes_context=True)
def cite_this(context):
    return {"citations": getattr(context, "page_citations", [])}
