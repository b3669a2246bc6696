"""What editors keep apart from the live item: draft revisions, go-live and
expiry times, published reverts and deleted items."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

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
