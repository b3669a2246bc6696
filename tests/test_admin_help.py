"""Every field an editor fills in on an admin page says, in plain English, what
it is for: a label without developer words, and a help text tied to the field
(``aria-describedby``, so a screen reader reads it with the field).

Django's own user and group pages (``auth``) are left out: only administrators
use them, and their wording is Django's.
"""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.pages import parse, text

# What a non-technical editor should never meet as a field's whole name.
DEVELOPER_WORDS = re.compile(r"\b(slug|position|fk|id|pk|url)\b|_", re.IGNORECASE)
NOT_FILLED_IN = {"hidden", "submit", "button", "reset", "image"}
EDITED = [model for model in admin.site._registry if model._meta.app_label != "auth"]


def _pages(admin_client, model):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    add = admin_client.get(reverse(f"{name}_add"))
    if add.status_code == 200:  # read-only reports have no add page
        yield reverse(f"{name}_add"), add
    obj = model._default_manager.first()
    if obj is not None:
        url = reverse(f"{name}_change", args=[obj.pk])
        yield url, admin_client.get(url)


def _controls(form):
    """The inputs an editor fills in, not a template row for a new inline."""
    for element in form.find_all(True):
        if element.name not in {"input", "select", "textarea"}:
            continue
        if element.attrs.get("type", "text") in NOT_FILLED_IN:
            continue
        name = element.attrs.get("name", "")
        if "__prefix__" in name or name.startswith("_") or name.endswith("-DELETE"):
            continue
        if (
            element.attrs.get("readonly") is not None
            or element.name == "input"
            and (element.attrs.get("aria-hidden") == "true")
        ):
            continue
        yield element


@pytest.mark.parametrize("model", EDITED, ids=lambda m: m._meta.label)
def test_every_admin_field_has_a_plain_label_and_a_help_text(
    admin_client, content, model
):
    checked, editable = 0, False
    for url, response in _pages(admin_client, model):
        model_admin = admin.site._registry[model]
        editable |= model_admin.has_change_permission(response.wsgi_request)
        assert response.status_code == 200, url
        page = parse(response)
        form = page.find("form", id=f"{model._meta.model_name}_form")
        helps = {
            element["id"]: text(element)
            for element in form.find_all(True)
            if "id" in element.attrs and element.attrs["id"].endswith("_helptext")
        }
        # A table of inline rows gives each column's help in its heading.
        columns = {
            name[len("column-") :]: img["alt"]
            for th in form.find_all("th")
            for name in th.get("class", [])
            if name.startswith("column-")
            for img in th.find_all("img", class_="help")
        }
        for control in _controls(form):
            name = control.attrs.get("name", "")
            described = control.attrs.get("aria-describedby", "").split()
            texts = [helps.get(target, "") for target in described]
            texts.append(
                columns.get(name.rpartition("-")[2], "") if "-" in name else ""
            )
            assert any(texts), f"{url}: {name} has no help text"
            labels = [
                text(label)
                for label in form.find_all("label")
                if label.attrs.get("for") == control.attrs.get("id")
            ]
            for label in labels:
                assert not DEVELOPER_WORDS.search(label), f"{url}: {label!r}"
            checked += 1
    # Read-only reports (sign-in attempts, feedback) have nothing to fill in.
    assert checked or not editable, f"no fields found for {model._meta.label}"
