"""Plain-English labels and help for the fields every content model shares.

Kept here, not as ``help_text`` on each model, so one sentence serves every
model with the field (and changing it needs no migration). A model's own
``help_text`` or ``verbose_name`` wins where it has one.
"""

from django.conf import settings
from django.utils.text import capfirst

LABELS = {
    "slug": "web address",
    "url": "web address",
    "position": "order",
}

HELP = {
    "slug": "The last part of this item's web address: lowercase letters, numbers "
    "and hyphens. Changing it changes the address.",
    "position": "Where it comes in its list: lower numbers come first.",
    "last_reviewed": "The day someone last checked this is still accurate.",
    "next_review_due": "When it should next be checked. Items due within "
    "{days} days, and items with no date, are listed under Review.",
    "audiences": "Who this is written for.",
    "references": "The research this draws on.",
}


def label(field):
    """The field's label as an editor reads it, capitalised."""
    default = field.name.replace("_", " ")
    if field.verbose_name == default and field.name in LABELS:
        return capfirst(LABELS[field.name])
    return capfirst(field.verbose_name)


def help_text(field):
    if field.help_text:
        return field.help_text
    return HELP.get(field.name, "").format(days=settings.REVIEW_DUE_WITHIN_DAYS)
