"""The content models, named once.

A model is content when its class says so with ``content = Content(...)``.
Every list of content models is read from here, through the app registry: the
fixtures and their load order, "What's changed", the apps the editorial roles
cover, the tables whose writes refresh reader pages, what the site search
indexes and follows and its kinds, and what the handout builder offers. A new
model is added by giving it that one line (see README, "What is where").
"""

import functools
from dataclasses import dataclass

from django.apps import apps
from django.core import serializers
from django.db import models


def cached(function):
    """Remembered per set of installed apps: a test that installs an app of its
    own sees its models, and the site's lists again afterwards."""
    memo = {}

    @functools.wraps(function)
    def remembered(*args):
        key = (tuple(apps.app_configs), *args)
        if key not in memo:
            memo[key] = function(*args)
        return memo[key]

    return remembered


@dataclass(frozen=True)
class Content:
    """What a content model is to the features that gather every kind of item."""

    # The name of its items' kind in search (?kind=, the index's kind column)
    # and handout addresses ("practice-point"). "": not found on its own.
    kind: str = ""
    # What the search filter calls the kind; the first model of a kind names it.
    label: str = ""
    # Where the kind comes in the search filter and the builder: lowest first.
    order: int = 0
    # What its search_document() reads besides its own row, as lookups from the
    # model ("practice_point__audiences"): the index loads them with the item and
    # rewrites the item when any of them changes.
    search_reads: tuple[str, ...] = ()
    # The handout builder's heading for the kind ("Practice points"); "": not
    # offered to handouts. A printable model has a kind, a slug and a __str__.
    printable: str = ""
    # Lookups from the model to what its page shows with it ("prompts"): a
    # noted change to any of those dates the item too, wherever its "Last
    # updated" is shown (its page, PDF and handout; editorial.changes).
    rolls_up: tuple[str, ...] = ()
    # Its page shows readers its review dates (editorial.gaps lists those missing).
    shows_review_dates: bool = False


def content_of(model):
    """The model's ``Content``, or None when it is not content."""
    content = getattr(model, "content", None)
    return content if isinstance(content, Content) else None


@cached
def content_models():
    """Every content model: app by app as INSTALLED_APPS lists them, each app's
    models in dependency order (every model only points at models before it)."""
    found = []
    for config in apps.get_app_configs():
        models = [model for model in config.get_models() if content_of(model)]
        if models:
            found += serializers.sort_dependencies([(config, models)])
    return tuple(found)


def content_apps():
    """The labels of the apps that hold content, lowest floor first."""
    return list(dict.fromkeys(model._meta.app_label for model in content_models()))


def fixtures():
    """{file name in fixtures/: the models it holds}, in the order they load."""
    files = {}
    for model in content_models():
        files.setdefault(f"{model._meta.app_label}.json", []).append(model)
    return files


def editor_data():
    """{file name in fixtures/: the models it holds} for what editors keep
    besides the content (a model marked ``editor_data = True``: the search
    vocabulary, best bets, handout presets). It loads after the content, whose
    items it may name by their natural keys."""
    files = {}
    for config in apps.get_app_configs():
        for model in config.get_models():
            if getattr(model, "editor_data", False):
                files.setdefault(f"{config.label}.json", []).append(model)
    return files


class FieldKeyManager(models.Manager):
    """Finds a row by the one field that names it in fixtures (its natural
    key), so loading a fixture twice updates rows instead of adding them."""

    def __init__(self, field):
        super().__init__()
        self.key_field = field

    def get_by_natural_key(self, value):
        return self.get(**{self.key_field: value})


@cached
def searchable_models():
    """Content models found in search on their own: {model: its kind}."""
    return {
        model: content_of(model).kind
        for model in content_models()
        if content_of(model).kind
    }


def _kinds(models):
    ordered = sorted(models, key=lambda model: content_of(model).order)
    found = {}
    for model in ordered:
        found.setdefault(content_of(model).kind, []).append(model)
    return found


@cached
def search_kinds():
    """{kind: what the search filter calls it}, in the filter's order."""
    return {
        kind: content_of(models[0]).label or kind.replace("-", " ").capitalize()
        for kind, models in _kinds(searchable_models()).items()
    }


@cached
def printable_models():
    """{kind: (the builder's heading, its model)}, in the builder's order."""
    printable = [model for model in searchable_models() if content_of(model).printable]
    return {
        kind: (content_of(models[0]).printable, models[0])
        for kind, models in _kinds(printable).items()
    }


def watched_models():
    """Every model whose rows readers can see: the content models with their
    history and many-to-many tables, and the tables a model marks with
    ``reader_data = True`` (the search index, editors' presets): a write to any
    of them bumps the content version (editorial.versions)."""
    watched = []
    for config in apps.get_app_configs():
        for model in config.get_models(include_auto_created=True):
            opts = model._meta
            if opts.proxy or not opts.managed:
                continue
            if _reader_sees(model):
                watched.append(model)
    return watched


def _reader_sees(model):
    if content_of(model) or getattr(model, "reader_data", False):
        return True
    # A history table (django-simple-history) or a many-to-many table of content.
    history_of = getattr(model, "instance_type", None)
    if history_of is not None and content_of(history_of):
        return True
    if model._meta.auto_created:
        return any(
            content_of(field.related_model)
            for field in model._meta.fields
            if field.is_relation
        )
    return False
