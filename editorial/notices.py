"""“Waiting for an editor”: the Editors are told once about each contributor's draft.

Saving queues one notice per item (later saves of the same draft add
nothing); run_due_jobs sends it. Publishing or discarding the draft clears it,
so the contributor's next draft is news again.
"""

import datetime

from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from . import mail
from .models import EditorNotice
from .owners import editors
from .publishing import forget_notice
from .roles import can_publish
from .saving import Outcome, edit_of

# A node that died while sending gives its claim up after this long.
CLAIM_EXPIRES = datetime.timedelta(hours=1)


def queue(obj, contributor, change_note):
    """Tell the editors about ``obj``'s draft, unless they have been already."""
    ct = ContentType.objects.get_for_model(obj)
    try:
        with transaction.atomic():
            EditorNotice.objects.create(
                content_type=ct, object_id=str(obj.pk), contributor=contributor,
                change_note=change_note or "",
            )  # fmt: skip
    except IntegrityError:
        # Already queued: a note written before it is sent goes with it.
        EditorNotice.objects.filter(
            content_type=ct, object_id=str(obj.pk), claimed_at__isnull=True
        ).update(change_note=change_note or "")


def send_waiting():
    """Send every queued notice to the Editors; returns how many were sent."""
    now = timezone.now()
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES)
    sent = 0
    recipients = [user.email for user in editors()]
    for pk in list(
        EditorNotice.objects.filter(free, sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    ):
        claimed = EditorNotice.objects.filter(free, pk=pk, sent_at__isnull=True)
        if not claimed.update(claimed_at=timezone.now()):
            continue  # another node is sending it
        notice = EditorNotice.objects.select_related("contributor", "content_type").get(
            pk=pk
        )
        item = notice.item
        if item is None or not recipients:
            notice.delete()
            continue
        try:
            # Bcc: one message for all the Editors, no one shown the others' addresses.
            mail.send(
                [],
                "editorial/email/waiting_for_editor",
                _context(notice, item),
                bcc=recipients,
            )
        except Exception:
            EditorNotice.objects.filter(pk=pk).update(claimed_at=None)
            raise
        EditorNotice.objects.filter(pk=pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def _context(notice, item):
    opts = item._meta
    return {
        "item": str(item),
        "kind": opts.verbose_name,
        "contributor": _name(notice.contributor),
        "change_note": notice.change_note,
        "admin_url": mail.admin_link(
            reverse(admin_urlname(opts, "change"), args=[item.pk])
        ),
    }


def _name(user):
    if user is None:
        return "A contributor"
    return user.get_full_name() or user.get_username()


class NoticeAdmin:
    """Admin mixin: queue the notice when a contributor saves a draft."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        outcome = edit_of(request).outcome
        if outcome == Outcome.WENT_LIVE:
            forget_notice(obj)
        elif outcome is not None and not can_publish(request.user):
            queue(obj, request.user, form.cleaned_data.get("change_note", ""))

    def discard_view(self, request, object_id):
        response = super().discard_view(request, object_id)
        if request.method == "POST":
            obj = self.model._default_manager.filter(pk=object_id).first()
            if obj is not None:
                forget_notice(obj)
        return response
