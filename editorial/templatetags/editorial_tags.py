from django import template
from django.conf import settings
from django.utils.translation import ngettext

from editorial.models import PendingChange
from editorial.review import due_count

register = template.Library()


@register.simple_tag
def review_summary():
    """The admin index's two sentences: reviews due and draft changes waiting."""
    due, waiting = due_count(), PendingChange.objects.waiting().count()
    days = settings.REVIEW_DUE_WITHIN_DAYS
    if due:
        due_text = ngettext(
            "%(count)d item overdue or due for review within %(days)d days",
            "%(count)d items overdue or due for review within %(days)d days",
            due,
        ) % {"count": due, "days": days}
    else:
        due_text = f"Nothing due for review in the next {days} days"
    if waiting:
        waiting_text = ngettext(
            "%(count)d draft change waiting to be published",
            "%(count)d draft changes waiting to be published",
            waiting,
        ) % {"count": waiting}
    else:
        waiting_text = "No draft changes waiting to be published"
    return {"due": due_text, "waiting": waiting_text}
