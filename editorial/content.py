"""The content models, named once.

A model is content when its class says so with ``content = Content(...)``.
Every list of content models is read from here, through the app registry: the
fixtures and their load order, "What's changed", the apps the editorial roles
cover, and what the site search indexes and follows. A new model is added by
giving it that one line.
"""

import functools
from dataclasses import dataclass

from django.apps import apps
from django.core import serializers


@dataclass(frozen=True)
class Content:
    """What a content model is to the features that gather every kind of item."""

    # Its range of search document ids (search.models.document_id). Ids are
    # stored, so a number is never changed or reused: a new model takes the next
    # one. None: the model is not found in search on its own.
    search_number: int | None = None
    # What its search_document() reads besides its own row, as lookups from the
    # model ("practice_point__audiences"): the index loads them with the item and
    # rewrites the item when any of them changes.
    search_reads: tuple[str, ...] = ()


def content_of(model):
    """The model's ``Content``, or None when it is not content."""
    content = getattr(model, "content", None)
    return content if isinstance(content, Content) else None


@functools.cache
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


@functools.cache
def searchable_models():
    """Content models found in search on their own, with their id numbers."""
    return {
        model: content_of(model).search_number
        for model in content_models()
        if content_of(model).search_number is not None
    }
