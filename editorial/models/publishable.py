"""Draft or published: the state every content model shares.

``Status``, ``Publishable`` and ``PublishedQuerySet`` live here, on the floor
every content app builds on, so editorial code never spells a status itself.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .. import wording


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

    def unique_error_message(self, model_class, unique_check):
        # The fields as the form labels them ("web address"), not by their
        # names ("Practice point with this Slug already exists").
        error = super().unique_error_message(model_class, unique_check)
        labels = [
            wording.label(model_class._meta.get_field(name)).lower()
            for name in unique_check
        ]
        if "field_label" in (error.params or {}):
            error.params["field_label"] = labels[0]
        elif "field_labels" in (error.params or {}):
            error.params["field_labels"] = " and ".join(labels)
        return error

    def _stored_as_published(self):
        stored = type(self)._base_manager.filter(pk=self.pk)
        return stored.filter(status=Status.PUBLISHED).exists()

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def is_draft(self):
        return self.status == Status.DRAFT


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
