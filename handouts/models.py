import base64
import datetime
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from guidance.models import SlugKeyed

from . import selection
from .forms import HandoutForm


class HandoutPreset(SlugKeyed):
    """A curated handout, listed on /handouts/ for trainers to print or adapt."""

    # Readers see presets on the builder: a change refreshes cached pages.
    reader_data = True
    # Kept in fixtures/handouts.json (load_content, export_content).
    editor_data = True

    name = models.CharField(
        max_length=120,
        help_text="Shown on the handouts page, e.g. 'One-page: asking the question'.",
    )
    slug = models.SlugField(
        "web address",
        unique=True,
        help_text="The last part of its own short address, /handouts/presets/"
        "this-name/: lowercase letters, numbers and hyphens.",
    )
    description = models.TextField(
        blank=True, help_text="A sentence on when to use it."
    )
    query = models.TextField(
        "handout address",
        help_text="Build the handout at /handouts/, then paste its address here "
        "(the part after '?' is kept).",
    )
    position = models.PositiveIntegerField(
        "order",
        default=0,
        help_text="Where it comes among the ready-made handouts: lower numbers "
        "come first.",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('handouts:handout_detail')}?{self.query}"

    def clean(self):
        # Keep only the query string, in its canonical order, and refuse a preset
        # whose address the builder would have to correct.
        query = self.query.strip()
        if "?" in query or query.startswith(("http://", "https://", "/")):
            query = urlsplit(query).query
        handout = HandoutForm(QueryDict(query)).handout()
        if not handout.item_ids:
            raise ValidationError({"query": "This address chooses no items."})
        selection.resolve(handout)
        if handout.notices:
            raise ValidationError({"query": handout.notices})
        self.query = handout.querystring()

    def get_builder_url(self):
        return f"{reverse('handouts:handout_builder')}?{self.query}"

    def get_pdf_url(self):
        return f"{reverse('handouts:handout_pdf')}?{self.query}"


class SavedHandout(models.Model):
    """A handout's choices kept under a short code, for a short address.

    Holds only what the handout's address held (its items, title, audience,
    date and notes), never who made it.
    """

    code = models.CharField(max_length=16, unique=True)
    query = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved on (at most once a day) when the handout is made again or its page
    # or PDF is rendered; unused for HANDOUT_KEEP_DAYS, it is pruned.
    used_on = models.DateField(default=timezone.localdate, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("handouts:saved_handout", args=[self.code])

    @staticmethod
    def code_for(query):
        digest = hashlib.sha256(query.encode()).digest()
        return base64.b32encode(digest).decode().lower()[:12]

    @classmethod
    def for_handout(cls, handout):
        """The saved handout for this selection, stored on first use."""
        query = handout.querystring()
        saved, _ = cls.objects.get_or_create(
            code=cls.code_for(query), defaults={"query": query}
        )
        if saved.query != query:  # 60 bits make this unlikely; never guess
            raise ValueError(f"Handout code {saved.code} already holds another query")
        saved.mark_used()
        return saved

    def mark_used(self):
        today = timezone.localdate()
        if self.used_on < today:
            SavedHandout.objects.filter(pk=self.pk).update(used_on=today)
            self.used_on = today

    @classmethod
    def prune(cls, keep_days=None):
        """Delete handouts nobody has used for ``keep_days``; how many went."""
        keep_days = settings.HANDOUT_KEEP_DAYS if keep_days is None else keep_days
        cutoff = timezone.localdate() - datetime.timedelta(days=keep_days)
        deleted, _ = cls.objects.filter(used_on__lt=cutoff).delete()
        return deleted

    def handout(self):
        return HandoutForm(QueryDict(self.query)).handout()

    def get_pdf_url(self):
        return reverse("handouts:saved_handout_pdf", args=[self.code])

    def get_text_url(self):
        """The plain page a discreet handout's QR code opens."""
        return reverse("handout_text", args=[self.code])
