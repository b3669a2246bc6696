"""Email through Django's framework: plain text with an HTML alternative.

Every message is rendered from ``<template>.txt`` and ``<template>.html``, names
people and items only, and links nowhere but this site's own admin: no
tracking pixel, no redirect through anyone else.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def admin_link(path):
    """An absolute address for a link in an email (SITE_URL, else as it is)."""
    return settings.SITE_URL.rstrip("/") + path if settings.SITE_URL else path


def render(template, context):
    context = {"site_name": settings.SITE_NAME, **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    return (
        " ".join(subject.split()),
        render_to_string(f"{template}.txt", context),
        render_to_string(f"{template}.html", context),
    )


def send(to, template, context, connection=None, bcc=()):
    """Send one message to the addresses in ``to`` (and, unseen by each other,
    ``bcc``); raises if it cannot be sent."""
    subject, text, html = render(template, context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        list(to),
        bcc=list(bcc),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    message.send()
