from django import template

from editorial.review import due_count

register = template.Library()


@register.simple_tag
def review_due_count():
    """How many items are overdue or due for review soon (admin index)."""
    return due_count()
