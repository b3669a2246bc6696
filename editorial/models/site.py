"""What the running site keeps for itself: the content version, editors'
notices and email choices, jobs and client counts."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class ContentVersion(models.Model):
    """One row that changes in the same transaction as anything readers can see.

    Database triggers on every reader-visible table (installed by
    ``editorial.versions`` after each migrate) bump it, so saves, deletes,
    ``queryset.update()``, raw SQL and fixture loads all count. Every cache key
    and ETag is derived from it: a node never has to be told to forget a page.
    """

    number = models.BigIntegerField(default=0)
    # Random on every change, so keys never repeat after a restored backup
    # brings ``number`` back to a value that was already used.
    token = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(null=True)

    class Meta:
        # Not editable in the admin: only triggers write it.
        default_permissions = ()

    def __str__(self):
        return f"Content version {self.number}"


class EditorNotice(models.Model):
    """A contributor's draft the editors are told about once, by run_due_jobs."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_notice_per_draft"
            )
        ]

    def __str__(self):
        return f"Draft of {self.content_type.name} {self.object_id} for the editors"


class EmailPreference(models.Model):
    """What an editor chose to be sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_preference",
    )
    weekly_digest = models.BooleanField(
        "send me the weekly digest",
        default=False,
        help_text="Once a week: feedback counts by page, new searches that found "
        "nothing, and further resources whose links are broken.",
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"Email for {self.user}"


class ReminderSent(models.Model):
    """A review reminder sent: the same list is not sent again within a week."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        default_permissions = ()
        indexes = [models.Index(fields=["user", "fingerprint", "sent_at"])]

    def __str__(self):
        return f"Reminder to {self.user} on {self.sent_at:%Y-%m-%d}"


class Job(models.Model):
    """One of run_due_jobs' jobs: when it next runs and who holds it now.

    A node claims a job with one conditional UPDATE (a lease), so two nodes
    started together never run the same job at once.
    """

    name = models.CharField(max_length=50, primary_key=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        default_permissions = ()

    def __str__(self):
        return self.name


class ClientCount(models.Model):
    """How often one client did something costly lately (editorial.clients).

    ``key`` is a keyed hash of the address, the day and what was done: no
    address is kept. Rows outlive their window by at most a day.
    """

    key = models.CharField(max_length=40, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["expires_at"]
        default_permissions = ()

    def __str__(self):
        return f"{self.count} until {self.expires_at:%H:%M}"
