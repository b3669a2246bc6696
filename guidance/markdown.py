"""The one place where editor markdown becomes HTML a reader may see.

Markdown is parsed by Python-Markdown; what this site adds works on its
element tree, never on HTML text (see ``guidance/markdown_tree.py``):

- ``[[kind:slug]]`` (for example ``[[figure:domestic-abuse]]``) shows data from
  another app, so figures are never retyped as prose. Apps above this one
  register a resolver for their kind; guidance never imports them.
- A note a figure carries goes after the sentence its token sits in.
- The first use on a page of each glossary term (``PTSD``, ``survival sex``)
  links to its glossary entry, abbreviations inside ``<abbr title>``.
- Links to the site's pages follow ``guidance.addresses`` (the offline pack).

Last, the HTML is sanitised with nh3 against an allow-list, so a ``<script>``
or ``onerror=`` typed in the admin never reaches a browser. The admin preview
(MARKDOWNX_MARKDOWNIFY_FUNCTION) uses the same function.
"""

import posixpath
import re
import threading
from contextlib import contextmanager
from urllib.parse import unquote

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.core.signals import request_started
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from editorial.pagecache import per_version

from . import addresses, markdown_tree

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"alt", "src", "title"},
    "th": {"scope"},
}
# The classes the site's own markup carries (data tokens, glossary links); an
# editor's classes are dropped.
NOTE_CLASS = markdown_tree.NOTE_CLASS
ALLOWED_CLASSES = {
    "a": {"glossary-term"},
    "small": {NOTE_CLASS},
    "span": {"missing-data"},
    "strong": {"figure-value"},
    "ul": {"organisations"},
}
URL_SCHEMES = {"http", "https", "mailto"}

TOKEN = re.compile(markdown_tree.TOKEN_PATTERN)
MISSING = markdown_tree.MISSING

_resolvers = {}
_shown_models = {}
_request_cache = threading.local()
_converters = threading.local()


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


def unknown_tokens(text):
    """The ``[[kind:slug]]`` tokens in ``text`` that name nothing: a kind with
    no items, or a slug no item of its kind has. A draft item counts: it is
    shown once published. The others would show readers "[not available]"."""
    slugs = {}
    for kind, slug in TOKEN.findall(text or ""):
        slugs.setdefault(kind, set()).add(slug)
    unknown = []
    for kind, named in slugs.items():
        model = _shown_models.get(kind)
        known = (
            set(model.objects.filter(slug__in=named).values_list("slug", flat=True))
            if model
            else set()
        )
        unknown += [f"[[{kind}:{slug}]]" for slug in sorted(named - known)]
    return unknown


def _lookup(kind):
    if kind not in _request_cache.__dict__:
        resolver = _resolvers.get(kind)
        _request_cache.__dict__[kind] = (
            per_version(f"token:{kind}", resolver) if resolver else {}
        )
    return _request_cache.__dict__[kind]


def _fresh_lookup():
    """A lookup that asks each resolver afresh (once per call of plain_text)."""
    fresh = {}

    def lookup(kind):
        if kind not in fresh:
            resolver = _resolvers.get(kind)
            fresh[kind] = resolver() if resolver else {}
        return fresh[kind]

    return lookup


def _uploads_only(tag, attribute, value):
    # Images come from the site's own uploads (served at MEDIA_URL): a reader's
    # browser never asks another host for one.
    if tag == "img" and attribute == "src":
        return value if is_upload(value) else None
    return value


def is_upload(src):
    """Whether ``src`` is one of the site's uploads.

    Judged on the path a browser will ask for: "%2e%2e" is ".." once decoded,
    and "/media/%2e%2e/admin/" resolves outside the uploads.
    """
    path = unquote(src)
    return (
        path.startswith(settings.MEDIA_URL)
        and ".." not in path
        and "\\" not in path
        and posixpath.normpath(path).startswith(settings.MEDIA_URL)
    )


def sanitise(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_uploads_only,
        tag_attribute_values={"a": {"rel": {"noopener noreferrer"}}},
        url_schemes=URL_SCHEMES,
        # The editor's own links get rel on the tree (markdown_tree.EditorLinks);
        # the site's (figures, glossary) need none.
        link_rel=None,
    )


@contextmanager
def _converter(name, **config):
    """A Markdown instance of this thread's, free for one conversion.

    An instance keeps state while it converts, so a conversion started inside
    another (a resolver that renders markdown) gets an instance of its own.
    """
    pool = _converters.__dict__.setdefault(name, [])
    if pool:
        converter = pool.pop()
    else:
        extension = markdown_tree.SiteExtension(**config)
        converter = markdown_lib.Markdown(
            extensions=["extra", "sane_lists", extension], output_format="html"
        )
    converter.reset()
    try:
        yield converter
    finally:
        pool.append(converter)


def render_markdown(text):
    """Markdown to sanitised HTML, data tokens filled in, glossary terms linked."""
    if not text:
        return mark_safe("")
    config = {"lookup": _lookup, "missing": MISSING, "glossary": _glossary_marker}
    with _converter("reader", **config) as converter:
        return mark_safe(sanitise(converter.convert(text)))


def plain_text(text):
    """Markdown as the words a reader sees, data tokens filled in, for search.

    Tokens are resolved afresh on every call rather than from the per-request
    cache, so a management command indexing many items sees current figures.
    """
    if not text:
        return ""
    with _converter("plain", missing="", plain=True) as converter:
        converter.lookup = _fresh_lookup()
        return markdown_tree.words_of(sanitise(converter.convert(text)))


# Glossary terms. The loader (registered by guidance's AppConfig) returns the
# published terms; they are compiled into one pattern once per request.
_glossary_loader = None


def register_glossary(loader):
    """Register ``loader() -> [GlossaryTerm, ...]`` for marking terms."""
    global _glossary_loader
    _glossary_loader = loader


def _glossary_marker():
    """This page's glossary marker (None without terms)."""
    if "glossary" not in _request_cache.__dict__:
        load = _glossary_loader
        terms = per_version("glossary", lambda: list(load())) if load else []
        marked = _request_cache.__dict__.setdefault("glossary_marked", set())
        _request_cache.__dict__["glossary"] = (
            markdown_tree.GlossaryMarker(terms, marked) if terms else None
        )
    return _request_cache.__dict__["glossary"]


def mark_glossary_terms_in_text(text):
    """Plain or safe text (a list item, a figure) with glossary terms marked."""
    html = str(conditional_escape(text))
    marker = _glossary_marker()
    if marker is None and not addresses.active():
        return mark_safe(html)
    return mark_safe(markdown_tree.mark_fragment(html, marker))
