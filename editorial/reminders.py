"""Review reminders: one message per owner per run, never the same list twice a week."""

import datetime
import hashlib

from django.conf import settings
from django.utils import timezone

from . import mail
from .models import ReminderSent
from .owners import editors, responsible
from .review import due_for_review

NOT_AGAIN_WITHIN = datetime.timedelta(days=7)


def due_by_owner():
    """{user: [review items overdue or due within the window]}, users with email."""
    everyone = editors()
    by_owner = {}
    for item in due_for_review():
        if not (item["overdue"] or item["due_soon"]):
            continue  # undated or only short of details: on the Review page
        # An owner with no address to write to: the editors are told instead.
        people = [u for u in responsible(item["object"], everyone) if u.email]
        for user in people or everyone:
            by_owner.setdefault(user, []).append(item)
    return by_owner


def fingerprint(items):
    """The same items with the same dates make the same list."""
    keys = sorted(
        f"{item['object']._meta.label_lower}:{item['object'].pk}:{item['due']}"
        for item in items
    )
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def send():
    """Send each owner their list, unless they were sent that list this week."""
    sent = 0
    since = timezone.now() - NOT_AGAIN_WITHIN
    for user, items in due_by_owner().items():
        print_ = fingerprint(items)
        if ReminderSent.objects.filter(
            user=user, fingerprint=print_, sent_at__gte=since
        ).exists():
            continue
        # Recorded first: a second node that gets here finds it and stays quiet.
        record = ReminderSent.objects.create(user=user, fingerprint=print_)
        try:
            mail.send(
                [user.email], "editorial/email/review_reminder", _context(user, items)
            )
        except Exception:
            record.delete()
            raise
        sent += 1
    return sent


def _context(user, items):
    return {
        "name": user.get_full_name() or user.get_username(),
        "count": len(items),
        "days": settings.REVIEW_DUE_WITHIN_DAYS,
        "overdue": [_row(item) for item in items if item["overdue"]],
        "due_soon": [_row(item) for item in items if not item["overdue"]],
    }


def _row(item):
    return {
        "title": str(item["object"]),
        "kind": item["kind"],
        "due": item["due"],
        "needs_details": item.get("needs_details", False),
        "admin_url": mail.admin_link(item["admin_url"]),
    }
