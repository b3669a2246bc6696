"""The one place where editor markdown becomes HTML a reader may see.

Markdown is rendered, then sanitised with nh3 against an allow-list, so a
``<script>`` or ``onerror=`` typed in the admin never reaches a browser. The
admin preview (MARKDOWNX_MARKDOWNIFY_FUNCTION) uses the same function.

Editors can write ``[[kind:slug]]`` (for example ``[[figure:domestic-abuse]]``)
to show data from another app, so figures are never retyped as prose. Apps
above this one register a resolver for their kind; guidance never imports them.

Last, the first use on a page of each glossary term (``PTSD``, ``survival sex``)
is linked to its glossary entry, abbreviations inside ``<abbr title>``.
"""

import functools
import posixpath
import re
import threading
from html import unescape
from urllib.parse import unquote

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.core.signals import request_started
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import mark_safe

from editorial.pagecache import per_version

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"alt", "src", "title"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# An image with its address taken away (not one of the site's uploads).
IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")

TOKEN = re.compile(r"\[\[([a-z-]+):([A-Za-z0-9_-]+)\]\]")
# A token alone in its paragraph may stand for a block (a list of organisations).
BLOCK_TOKEN = re.compile(r"<p>(\[\[[a-z-]+:[A-Za-z0-9_-]+\]\])</p>")

_resolvers = {}
_shown_models = {}
_request_cache = threading.local()


def register_token(kind, resolver, model):
    """Register ``resolver() -> {slug: html}`` for ``[[kind:slug]]`` tokens,
    whose slugs are those of ``model``: a change to one changes the text around it.
    """
    _resolvers[kind] = resolver
    _shown_models[kind] = model


def token_kinds(model):
    """The kinds of token that show items of this model."""
    return [kind for kind, shown in _shown_models.items() if shown is model]


def new_page(**kwargs):
    """Forget what this thread has looked up: the next render is a new page."""
    _request_cache.__dict__.clear()


def once_per_page(key, compute):
    """compute(), looked up once per page however often the page asks."""
    cache = _request_cache.__dict__
    if key not in cache:
        cache[key] = compute()
    return cache[key]


# Each kind is looked up once per request, so a page costs the same number of
# queries however many tokens its content holds.
request_started.connect(new_page, dispatch_uid="guidance.markdown.clear_cache")


def _lookup(kind):
    if kind not in _request_cache.__dict__:
        resolver = _resolvers.get(kind)
        _request_cache.__dict__[kind] = (
            per_version(f"token:{kind}", resolver) if resolver else {}
        )
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


# A note a token carries (a figure's "The source briefing printed this as 20%.")
# goes after the sentence the token sits in, so it never interrupts it.
NOTE_CLASS = "figure-note"
_NOTE_OR_SENTENCE_END = re.compile(
    rf'\s*(?P<note><small class="{NOTE_CLASS}">[^<]*</small>)'
    r"|(?P<end>[.!?][)\]’”'\"]*(?=\s|<|$))"
    r"|(?P<block></(?:p|li|blockquote|td|th|dd)>)"
)


def notes_after_sentences(html):
    """Move each token's note to the end of its sentence (or of its paragraph)."""
    pending = []

    def replace(match):
        if match.group("note"):
            pending.append(match.group("note"))
            return ""
        if not pending:
            return match.group(0)
        notes = " ".join(pending)
        pending.clear()
        if match.group("end"):
            return f"{match.group('end')} {notes}"
        return f" {notes}{match.group('block')}"

    html = _NOTE_OR_SENTENCE_END.sub(replace, html)
    return html + (" " + " ".join(pending) if pending else "")


def _uploads_only(tag, attribute, value):
    # Images come from the site's own uploads (served at MEDIA_URL): a reader's
    # browser never asks another host for one.
    if tag == "img" and attribute == "src":
        # Judged on the path a browser will ask for: "%2e%2e" is ".." once
        # decoded, and "/media/%2e%2e/admin/" resolves outside the uploads.
        path = unquote(value)
        uploaded = (
            path.startswith(settings.MEDIA_URL)
            and ".." not in path
            and "\\" not in path
            and posixpath.normpath(path).startswith(settings.MEDIA_URL)
        )
        return value if uploaded else None
    return value


def sanitise(html):
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_uploads_only,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return IMAGE_WITHOUT_SOURCE.sub("", html)


@functools.lru_cache(maxsize=4096)
def _markdown_to_safe_html(text):
    # The same text always gives the same HTML: converted and sanitised once
    # per process, whichever pages show it.
    html = markdown_lib.markdown(
        text, extensions=["extra", "sane_lists"], output_format="html"
    )
    return sanitise(html)


def render_markdown(text):
    """Markdown to sanitised HTML, with data tokens filled in after sanitising."""
    if not text:
        return mark_safe("")
    html = _markdown_to_safe_html(text)
    # Resolvers return HTML built with format_html from data, never editor input.
    html = BLOCK_TOKEN.sub(_replace_block_token, html)
    html = notes_after_sentences(TOKEN.sub(_replace_token, html))
    return mark_safe(mark_glossary_terms(html))


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


# Glossary terms. The loader (registered by guidance's AppConfig) returns the
# published terms; they are compiled into one pattern once per request.
_glossary_loader = None
# A tag, allowing ">" inside quoted attribute values.
HTML_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
# Never mark inside these: a link in a link is invalid, code is literal.
NO_MARKING_INSIDE = {"a", "abbr", "code", "pre", "script", "style", "textarea"}


def register_glossary(loader):
    """Register ``loader() -> [GlossaryTerm, ...]`` for marking terms."""
    global _glossary_loader
    _glossary_loader = loader


def _glossary():
    if "glossary" not in _request_cache.__dict__:
        load = _glossary_loader
        terms = per_version("glossary", lambda: list(load())) if load else []
        _request_cache.__dict__["glossary"] = _compile_glossary(terms)
    return _request_cache.__dict__["glossary"]


def _term_key(text, matches_case):
    text = " ".join(text.split())
    return text if matches_case else text.lower()


def _compile_glossary(terms):
    if not terms:
        return None
    alternatives = []
    by_key = {}
    # Longest first, so "Complex PTSD" wins over "PTSD" at the same place.
    for term in sorted(terms, key=lambda t: len(t.term), reverse=True):
        words = r"\s+".join(re.escape(word) for word in term.term.split())
        alternatives.append(words if term.matches_case else f"(?i:{words})")
        by_key[_term_key(term.term, term.matches_case)] = term
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
    return pattern, by_key


def _term_markup(term, text):
    if term.is_abbreviation:
        return format_html(
            '<a class="glossary-term" href="{}"><abbr title="{}">{}</abbr></a>',
            term.get_absolute_url(),
            term.expansion,
            mark_safe(text),
        )
    return format_html(
        '<a class="glossary-term" href="{}">{}</a>',
        term.get_absolute_url(),
        mark_safe(text),
    )


def mark_glossary_terms(html):
    """Link the first use on this page of each glossary term in ``html``.

    ``html`` is already safe. Only text between tags is touched, never a tag,
    an attribute, or text already inside a link, abbreviation or code.
    """
    glossary = _glossary()
    if glossary is None:
        return html
    pattern, by_key = glossary
    marked = _request_cache.__dict__.setdefault("glossary_marked", set())

    def replace(match):
        text = match.group(0)
        term = by_key.get(_term_key(text, True)) or by_key.get(_term_key(text, False))
        if term is None or term.pk in marked:
            return text
        marked.add(term.pk)
        return _term_markup(term, conditional_escape(text))

    parts = []
    skip_depth = 0
    for chunk in HTML_TAG.split(html):
        if chunk.startswith("<"):
            name = TAG_NAME.match(chunk)
            if name and name.group(1).lower() in NO_MARKING_INSIDE:
                skip_depth += -1 if chunk.startswith("</") else 1
            parts.append(chunk)
        elif skip_depth > 0 or not chunk:
            parts.append(chunk)
        else:
            parts.append(_mark_text(chunk, pattern, replace))
    return "".join(parts)


def _mark_text(chunk, pattern, replace):
    """Mark terms in escaped text between tags. Matched on the text a reader
    sees (entities decoded), so a term never splits an entity ("&amp;") and
    one written with one ("A&amp;E") is found; re-escaped only if marked."""
    text = unescape(chunk)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        marked = replace(match)
        if marked == match.group(0):
            continue
        pieces += [conditional_escape(text[last : match.start()]), marked]
        last = match.end()
    if not pieces:
        return chunk
    return "".join(pieces) + conditional_escape(text[last:])


def mark_glossary_terms_in_text(text):
    """Plain or safe text (a list item, a figure) with glossary terms marked."""
    return mark_safe(mark_glossary_terms(str(conditional_escape(text))))
