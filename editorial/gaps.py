"""What readers find empty on published pages: dates and contact details no
editor has given, listed on the admin's home page with a link to each.

Found by field, over every content model, so a new kind of content with a
review date or contact details is listed without a change here.
"""

from dataclasses import dataclass, field

from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from .content import content_models, content_of
from .models import PublishedQuerySet


@dataclass
class Gap:
    title: str
    why: str
    items: list = field(default_factory=list)


def _shown(model):
    """What readers can see of a model: its published items."""
    items = model._default_manager.all()
    return items.published() if isinstance(items, PublishedQuerySet) else items


def _has(model, name):
    return any(f.name == name for f in model._meta.concrete_fields)


def _link(obj, field_name=None):
    opts = obj._meta
    try:
        url = reverse(admin_urlname(opts, "change"), args=[obj.pk])
    except NoReverseMatch:  # a kind the admin does not edit on its own page
        return None
    anchor = f"#id_{field_name}" if field_name else ""
    return {"name": str(obj), "kind": opts.verbose_name, "url": url + anchor}


def reader_gaps():
    """[Gap] for publication dates, review dates and contact details, each with
    the published items that lack them (one query per model and gap)."""
    published = Gap(
        "No publication date",
        "Readers see no date saying when this was published.",
    )
    reviewed = Gap(
        "No review dates",
        "Its page shows readers no date it was last checked, or no date it will "
        "be checked next.",
    )
    contact = Gap(
        "No contact details",
        "Readers are told to look elsewhere: no website, phone, email, opening "
        "times or how to refer.",
    )
    for model in content_models():
        if _has(model, "first_published"):
            missing = Q(first_published=None)
            if _has(model, "published_at"):
                missing &= Q(published_at=None)
            for obj in _shown(model).filter(missing):
                published.items.append(_link(obj, "first_published"))
        if content_of(model).shows_review_dates:
            missing = Q(last_reviewed=None) | Q(next_review_due=None)
            for obj in _shown(model).filter(missing):
                first = "last_reviewed" if obj.last_reviewed is None else None
                reviewed.items.append(_link(obj, first or "next_review_due"))
        if hasattr(model, "has_contact_details"):
            for obj in _shown(model):
                if not obj.has_contact_details:
                    contact.items.append(_link(obj))
    gaps = [published, reviewed, contact]
    for gap in gaps:
        gap.items = [item for item in gap.items if item]
    return [gap for gap in gaps if gap.items]
