from django import template

from guidance.markdown import mark_glossary_terms_in_text, render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render editor markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter
def glossary(text):
    """Escape plain text and link the page's first use of each glossary term."""
    return mark_glossary_terms_in_text(text)
