"""Which views are reader pages, and what of a request their key depends on:
``@reader_page(...)`` marks a view; its rules name the query parameters it
reads."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module

from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve


@dataclass(frozen=True)
class Page:
    """A page's template and the one function that builds its context.

    The HTML page, its PDF and the editor's preview all render from these.
    """

    template: str
    context: Callable[..., dict]

    def render(self, request, extra=None, **kwargs):
        return HttpResponse(self.render_to_string(request, extra, **kwargs))

    def render_to_string(self, request, extra=None, **kwargs):
        context = self.context(**kwargs) | (extra or {})
        return render_to_string(self.template, context, request=request)


@dataclass(frozen=True)
class PageRules:
    params: tuple = ()
    multi: tuple = ()
    private: bool = False
    page: Page | None = None


def reader_page(params=(), multi=(), private=False, page=None):
    """Mark a view as a reader page, cached per content version.

    ``params`` are the single-valued query parameters the view reads and
    ``multi`` the repeated ones; the view sees only these. ``private`` pages
    (search results) may be kept by the reader's browser but not by a shared
    proxy. ``page`` lets the preview render the view's page from its context.
    """
    rules = PageRules(tuple(params), tuple(multi), private, page)

    def decorate(view):
        view.reader_page = rules
        return view

    return decorate


def find(items, **wanted):
    """The item of a per-version list with these attributes, or a 404."""
    for item in items:
        if all(getattr(item, name) == value for name, value in wanted.items()):
            return item
    raise Http404


def normalised_query(query, rules):
    """Only the parameters the view reads, in a fixed order."""
    clean = QueryDict(mutable=True)
    for name in sorted(rules.params):
        value = query.get(name)
        if value is not None:
            clean[name] = value
    for name in sorted(rules.multi):
        values = query.getlist(name)
        if values:
            clean.setlist(name, values)
    clean._mutable = False
    return clean


def _rules_for(request):
    if request.method not in ("GET", "HEAD"):
        return None
    # Signed-in staff see fresh pages and never fill the cache for readers. A
    # made-up session cookie is a reader's request: it must not skip the cache.
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if key and _session_exists(key):
        return None
    return _rules_for_path(request.path_info)


def _session_exists(key):
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore()
    # A key of the wrong shape is not looked up at all.
    return store._validate_session_key(key) and store.exists(key)


@lru_cache(maxsize=2048)
def _rules_for_path(path):
    # Resolving costs more than the rest of a cached response: remember it.
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "reader_page", None)
