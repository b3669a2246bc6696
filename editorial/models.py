"""Draft changes to published content, waiting for an editor to publish them."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class PendingChangeQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).first()


class PendingChange(models.Model):
    """A contributor's edit to a published item, kept apart until it is published.

    Readers go on seeing the published version; the change form shows the draft,
    the preview renders it, and an editor's save publishes it.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    fields = models.JSONField(encoder=DjangoJSONEncoder)
    change_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_pending_change_per_item"
            )
        ]
        permissions = [
            ("publish_content", "Can publish content and draft changes"),
            ("revert_content", "Can revert content to an earlier version"),
        ]

    def __str__(self):
        return f"Draft change to {self.content_type.name} {self.object_id}"

    @classmethod
    def store(cls, obj, m2m, change_note, user):
        """Keep the unsaved ``obj`` (and its many-to-many choices) as a draft."""
        data = serializers.serialize("python", [obj])[0]["fields"]
        data.update({name: [related.pk for related in values] for name, values in m2m})
        pending, _ = cls.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            defaults={"fields": data, "change_note": change_note, "created_by": user},
        )
        return pending

    def apply_to(self, obj):
        """Put the draft's values on ``obj`` in memory; many-to-many go in _pending_m2m."""
        label = obj._meta.label_lower
        payload = [{"model": label, "pk": obj.pk, "fields": self.fields}]
        draft = next(serializers.deserialize("python", payload, ignorenonexistent=True))
        for field in obj._meta.concrete_fields:
            if field.name in self.fields and not field.primary_key:
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
