from django import template

from guidance.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render editor markdown as sanitised HTML."""
    return render_markdown(text)
