"""The one place where editor markdown becomes HTML a reader may see.

Markdown is rendered, then sanitised with nh3 against an allow-list, so a
``<script>`` or ``onerror=`` typed in the admin never reaches a browser. The
admin preview (MARKDOWNX_MARKDOWNIFY_FUNCTION) uses the same function.

Editors can write ``[[kind:slug]]`` (for example ``[[figure:domestic-abuse]]``)
to show data from another app, so figures are never retyped as prose. Apps
above this one register a resolver for their kind; guidance never imports them.
"""

import re
import threading
from html import unescape

import markdown as markdown_lib
import nh3
from django.core.signals import request_started
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}

TOKEN = re.compile(r"\[\[([a-z-]+):([A-Za-z0-9_-]+)\]\]")
# A token alone in its paragraph may stand for a block (a list of organisations).
BLOCK_TOKEN = re.compile(r"<p>(\[\[[a-z-]+:[A-Za-z0-9_-]+\]\])</p>")

_resolvers = {}
_request_cache = threading.local()


def register_token(kind, resolver):
    """Register ``resolver() -> {slug: html}`` for ``[[kind:slug]]`` tokens."""
    _resolvers[kind] = resolver


def _clear_cache(**kwargs):
    _request_cache.__dict__.clear()


# Each kind is looked up once per request, so a page costs the same number of
# queries however many tokens its content holds.
request_started.connect(_clear_cache, dispatch_uid="guidance.markdown.clear_cache")


def _lookup(kind):
    if kind not in _request_cache.__dict__:
        resolver = _resolvers.get(kind)
        _request_cache.__dict__[kind] = resolver() if resolver else {}
    return _request_cache.__dict__[kind]


def _token_replacer(lookup, missing):
    def replace(match):
        kind, slug = match.groups()
        html = lookup(kind).get(slug)
        # Unknown or unpublished: say so quietly instead of showing the token.
        return missing if html is None else str(html)

    return replace


def _block_token_replacer(replace_token):
    def replace(match):
        html = TOKEN.sub(replace_token, match.group(1))
        return html if html.startswith(("<ul", "<ol", "<div")) else f"<p>{html}</p>"

    return replace


MISSING = '<span class="missing-data">[not available]</span>'
_replace_token = _token_replacer(_lookup, MISSING)
_replace_block_token = _block_token_replacer(_replace_token)


def sanitise(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text):
    """Markdown to sanitised HTML, with data tokens filled in after sanitising."""
    if not text:
        return mark_safe("")
    html = markdown_lib.markdown(
        text, extensions=["extra", "sane_lists"], output_format="html"
    )
    html = sanitise(html)
    # Resolvers return HTML built with format_html from data, never editor input.
    html = BLOCK_TOKEN.sub(_replace_block_token, html)
    html = TOKEN.sub(_replace_token, html)
    return mark_safe(html)


def plain_text(text):
    """Markdown as the words a reader sees, data tokens filled in, for search.

    Tokens are resolved afresh on every call rather than from the per-request
    cache, so a management command indexing many items sees current figures.
    """
    if not text:
        return ""
    fresh = {}

    def lookup(kind):
        if kind not in fresh:
            resolver = _resolvers.get(kind)
            fresh[kind] = resolver() if resolver else {}
        return fresh[kind]

    replace_token = _token_replacer(lookup, "")
    html = markdown_lib.markdown(text, extensions=["extra", "sane_lists"])
    html = BLOCK_TOKEN.sub(_block_token_replacer(replace_token), sanitise(html))
    html = TOKEN.sub(replace_token, html)
    # Block ends become spaces so words in adjacent list items never run together.
    html = re.sub(r"</(p|li|h\d|td|th|dd|dt|blockquote)>|<br\s*/?>", " ", html)
    return " ".join(unescape(strip_tags(html)).split())


def strip_tokens(text):
    """Plain text for search and summaries: tokens become their slugs' text."""
    return TOKEN.sub(lambda m: escape(m.group(2).replace("-", " ")), text or "")
