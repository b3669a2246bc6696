"""Draft or published, and the draft revisions of published items.

``Status``, ``Publishable`` and ``PublishedQuerySet`` live here, on the floor
every content app builds on, so editorial code never spells a status itself.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishedQuerySet(models.QuerySet):
    def published(self):
        # An item whose parent is a draft is hidden with it (a section of a draft
        # briefing, a figure of a draft snapshot).
        parents = {
            f"{parent}__status": Status.PUBLISHED
            for parent in getattr(self.model, "published_parents", ())
        }
        return self.filter(status=Status.PUBLISHED, **parents)


class Publishable(models.Model):
    """Draft or published: readers only ever see published items.

    New items start as drafts, so nothing reaches readers unless someone who may
    publish chooses to.
    """

    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Readers only see published items. Use the Publish and "
        "Unpublish buttons to change it.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set automatically the first time the item is published.",
    )

    # Every save is recorded (who, when, change note) for diffs, revert and recovery.
    history = HistoricalRecords(inherit=True)
    # Foreign keys to Publishable parents that must be published too.
    published_parents = ()

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            # Content loaded from the source briefing was published before this
            # site recorded dates: its first edit here is not its publication.
            if self._state.adding or not self._stored_as_published():
                self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def _stored_as_published(self):
        stored = type(self)._base_manager.filter(pk=self.pk)
        return stored.filter(status=Status.PUBLISHED).exists()

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def is_draft(self):
        return self.status == Status.DRAFT


# Whether the item is published, and since when, is the item's own state, never
# part of a draft: a draft saved while it was live must not make it look live.
KEPT_FROM_THE_ITEM = {"status", "published_at"}


class PendingChangeQuerySet(models.QuerySet):
    def of(self, obj):
        """Every draft revision of ``obj``, newest first."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("-created_at", "-pk")

    def waiting(self):
        return self.filter(state=PendingChange.State.WAITING)

    def for_object(self, obj):
        """The draft revision of ``obj`` waiting to be published, if any."""
        return self.of(obj).waiting().first()


class PendingChange(models.Model):
    """A draft revision of a published item, kept apart until it is published.

    Readers go on seeing the published version; the change form shows the newest
    waiting draft, the preview renders it, and Publish makes it live. Revisions
    are never deleted: a later draft replaces one, Discard and Publish mark it,
    so every draft stays in the item's history.
    """

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting to be published"
        REPLACED = "replaced", "Replaced by a later draft"
        DISCARDED = "discarded", "Discarded"
        LIVE = "live", "Published"
        APPLIED = "applied", "Saved to the unpublished item"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    fields = models.JSONField(encoder=DjangoJSONEncoder)
    change_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.WAITING
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who published, discarded or replaced this draft.",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # A revert kept as a draft: the date of the version it brings back.
    reverts_to = models.DateTimeField(null=True, blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "draft revision"
        indexes = [models.Index(fields=["content_type", "object_id", "state"])]
        permissions = [
            ("publish_content", "Can publish content and draft changes"),
            ("revert_content", "Can revert content to an earlier version"),
        ]

    def __str__(self):
        return f"Draft revision of {self.content_type.name} {self.object_id}"

    @property
    def is_waiting(self):
        return self.state == self.State.WAITING

    @classmethod
    def store(cls, obj, m2m, change_note, user):
        """Keep the unsaved ``obj`` (and its many-to-many choices) as a new draft.

        The draft it replaces stays, marked as replaced.
        """
        data = serializers.serialize("python", [obj])[0]["fields"]
        data.update({name: [related.pk for related in values] for name, values in m2m})
        replaced = cls.objects.for_object(obj)
        cls.settle(obj, cls.State.REPLACED, user)
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            fields=data,
            change_note=change_note,
            created_by=user,
            # An edit of a revert kept as a draft is still that revert.
            reverts_to=replaced.reverts_to if replaced is not None else None,
        )

    @classmethod
    def settle(cls, obj, state, user):
        """Mark ``obj``'s waiting draft (if any) as published, replaced, ..."""
        return (
            cls.objects.of(obj)
            .waiting()
            .update(state=state, resolved_by=user, resolved_at=timezone.now())
        )

    def resolve(self, state, user):
        self.state, self.resolved_by, self.resolved_at = state, user, timezone.now()
        self.save(update_fields=["state", "resolved_by", "resolved_at", "updated_at"])

    def keep_in_step(self, values):
        """Copy reordered values (a new position) into the draft.

        Publishing the draft later must not undo a reorder made since it was saved.
        """
        self.fields.update(values)
        self.save(update_fields=["fields", "updated_at"])

    def apply_to(self, obj):
        """Put the draft's values on ``obj`` in memory; many-to-many go in _pending_m2m."""
        label = obj._meta.label_lower
        payload = [{"model": label, "pk": obj.pk, "fields": self.fields}]
        draft = next(serializers.deserialize("python", payload, ignorenonexistent=True))
        for field in obj._meta.concrete_fields:
            if field.name in KEPT_FROM_THE_ITEM or field.primary_key:
                continue
            if field.name in self.fields:
                setattr(obj, field.attname, getattr(draft.object, field.attname))
        obj._pending_m2m = draft.m2m_data
        obj._pending_change = self
        return obj


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


class Deletion(models.Model):
    """Everything one delete removed, kept so that it can be recovered at once.

    The deleted item, every child the delete cascaded to and every
    many-to-many link it took with it, serialized as they were (list items
    and link rows, which keep no history of their own, included), plus the
    links to it that the delete emptied (``SET_NULL``).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    rows = models.JSONField(encoder=DjangoJSONEncoder)
    # {"app.model:pk": what the item was called}, for the "Deleted items" lists.
    names = models.JSONField(default=dict)
    # [[app.model, pk, field attname, value it held]]
    emptied_links = models.JSONField(encoder=DjangoJSONEncoder, default=list)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deleted_at = models.DateTimeField(auto_now_add=True)
    recovered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recovered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        default_permissions = ()

    def __str__(self):
        return f"Deletion of {self.content_type.name} “{self.title}”"


class Owned(models.Model):
    """Content with an owner: the staff member reminded when it is due for review.

    With no owner, the item's briefing's owner is responsible, then every
    editor (``editorial.owners``).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_staff": True},
        help_text="Who keeps this current and is reminded when its review is due. "
        "Leave empty to use the briefing's owner, or else every editor.",
    )

    class Meta:
        abstract = True

    def owner_parent(self):
        """The item whose owner is this item's owner when it has none."""
        return getattr(self, "briefing", None)


class ScheduledChange(models.Model):
    """A go-live or expiry time an editor set: run_due_jobs presses the button then."""

    class Action(models.TextChoices):
        PUBLISH = "publish", "Go live"
        UNPUBLISH = "unpublish", "Expire"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    action = models.CharField(max_length=10, choices=Action.choices)
    due_at = models.DateTimeField()
    # The draft revision the editor scheduled: a different draft by then
    # (someone edited it since) is not published unseen.
    draft = models.ForeignKey(
        PendingChange,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    change_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Set in the same transaction as the publish: a second node finds it done.
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        default_permissions = ()
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} at {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self):
        return self.done_at is None and self.cancelled_at is None


class Reversal(models.Model):
    """A published revert: the noted changes between the two dates were undone,
    so "What's changed" no longer announces them."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    # The date of the version brought back, and when the revert went live.
    undone_after = models.DateTimeField()
    undone_at = models.DateTimeField()

    class Meta:
        ordering = ["-undone_at"]
        default_permissions = ()
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"Revert of {self.content_type.name} {self.object_id}"


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
