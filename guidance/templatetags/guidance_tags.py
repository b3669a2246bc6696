import functools

import segno
from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from segno import DataOverflowError

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


@register.inclusion_tag("includes/cite.html", takes_context=True)
def cite(context, item, **within):
    """'Cite this' for item: its reference, dated the day the page is served.

    Pages are cached per content version and per day, so the accessed date
    is right on every copy. ``within``: what the item is shown in (a quote's
    briefing, a figure's Snapshot).
    """
    base = public_url(context.request, "/").rstrip("/")
    return {"citation": item.citation(base, timezone.localdate(), **within)}
