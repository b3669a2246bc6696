from django import template

from editorial.gaps import reader_gaps as find_gaps

register = template.Library()


@register.simple_tag
def reader_gaps():
    """What readers find empty, for the admin's home page."""
    return find_gaps()
