import functools

import segno
from django import template
from django.utils.safestring import mark_safe

from guidance.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render editor markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter
@functools.lru_cache(maxsize=1024)
def qr_code(url):
    """An inline SVG QR code for url, for print (segno escapes what it writes).

    Cached: choosing the best mask takes segno several milliseconds a code.
    """
    svg = segno.make(url, error="m").svg_inline(scale=3, dark="#000", light="#fff")
    return mark_safe(svg)  # noqa: S308
