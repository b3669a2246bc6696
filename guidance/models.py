from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import Truncator
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from editorial.content import Content
from editorial.models import Owned, Publishable, PublishedQuerySet

from .citations import cite_briefing_part
from .markdown import once_per_page, plain_text, unknown_tokens


@dataclass(frozen=True)
class SearchDocument:
    """What an item offers the site search: every content model's search_document().

    The search app (a floor above) reads these; content apps never import it.
    The item's kind is its model's ``Content.kind``.
    """

    title: str
    body: str
    url: str
    published: bool
    audiences: tuple[str, ...] = ()
    # The slug of the briefing the item belongs to; "" for items briefings share.
    briefing: str = ""


def _slugs(audiences):
    return tuple(a.slug for a in audiences.all())


def _join(*parts):
    return "\n".join(part for part in parts if part)


class SlugManager(models.Manager.from_queryset(PublishedQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugKeyed(models.Model):
    """An item that fixtures name by its slug (its natural key)."""

    objects = SlugManager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)


class Audience(SlugKeyed):
    """A group of professionals the guidance is written for."""

    slug = models.SlugField(unique=True)
    name = models.CharField(
        max_length=120, help_text="For example 'Substance misuse professionals'."
    )
    description = models.TextField(
        blank=True,
        help_text="Optional: a sentence on who these readers are, for other "
        "editors (readers do not see it).",
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    content = Content()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ResearchReference(SlugKeyed, Publishable):
    """A study or report the briefing draws on, listed under Research."""

    slug = models.SlugField(unique=True)
    title = models.CharField(
        max_length=300,
        help_text="The study or report's title, exactly as published.",
    )
    author = models.CharField(
        max_length=300,
        blank=True,
        help_text="Author or publishing organisation, where known.",
    )
    year = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The year it was published, e.g. 2019. Leave blank if not known.",
    )
    url = models.URLField(
        blank=True, max_length=500, help_text="Link to the report, where known."
    )
    summary = models.TextField(
        blank=True, help_text="What the briefing says this research is, in a sentence."
    )
    in_research_list = models.BooleanField(
        default=True,
        help_text="Listed under 'Research' at the end of the briefing (unticked: cited only).",
    )
    position = models.PositiveIntegerField(default=0)

    content = Content(
        kind="research", label="Research", order=11, printable="Research references"
    )

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guidance:reference_list") + f"#{self.slug}"

    def search_document(self):
        year = str(self.year) if self.year else ""
        return SearchDocument(
            title=self.title,
            body=_join(self.author, year, self.summary),
            url=self.get_absolute_url(),
            published=self.is_published,
        )


# A browser tab, a bookmark and a search engine show about 70 characters of a
# page's title, and " – Encompass Guidance" takes 21 of them.
TAB_TITLE_LENGTH = 48


def short_title_field():
    return models.CharField(
        max_length=TAB_TITLE_LENGTH,
        blank=True,
        help_text=(
            f"For browser tabs, bookmarks and search engines: at most "
            f"{TAB_TITLE_LENGTH} characters. Leave blank if the title is that short."
        ),
    )


class TabTitled:
    """An item whose page title must fit a browser tab."""

    @property
    def tab_title(self):
        return self.short_title or Truncator(self.title).chars(TAB_TITLE_LENGTH)


class NamesItems:
    """Text whose markdown may show a figure or a summary by its token
    (``[[figure:slug]]``): a token that names nothing is a form error, where
    it used to be published as "[not available]"."""

    def clean(self):
        super().clean()
        errors = {}
        for field in self._meta.fields:
            if isinstance(field, MarkdownxField):
                unknown = unknown_tokens(getattr(self, field.attname))
                if unknown:
                    errors[field.name] = (
                        f"{', '.join(unknown)} names nothing on the site, so readers "
                        "would see “[not available]”. Check the address after the "
                        "colon: it is the figure’s or Snapshot’s web address."
                    )
        if errors:
            raise ValidationError(errors)


class BriefingPart(NamesItems, TabTitled):
    """A part of a briefing with a page of its own (a section, a practice point),
    cited as that part of its briefing."""

    def citation(self, base, accessed):
        url = base + self.get_absolute_url()
        return cite_briefing_part(
            self.briefing, url, accessed, name=self.title, part=self.title
        )


class Briefing(NamesItems, TabTitled, SlugKeyed, Owned, Publishable):
    """A practice briefing: the document the site publishes, read as sections."""

    slug = models.SlugField(unique=True)
    title = models.CharField(
        max_length=200,
        help_text="The briefing's full title, as on its cover. Shown as the "
        "heading of its page and on printouts.",
    )
    short_title = short_title_field()
    summary = MarkdownxField(
        help_text="What this briefing is and whom it is for (markdown)."
    )
    audiences = models.ManyToManyField(Audience, blank=True, related_name="briefings")
    author = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who wrote it, for the attribution line. Leave blank if not known.",
    )
    topic = models.CharField(
        max_length=100,
        blank=True,
        help_text="What it is about, in a few words, e.g. 'Housing'. When several "
        "briefings are published, readers can filter the home page by topic.",
    )
    practice_points_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The heading over its practice points, e.g. 'Practice points for "
        "substance misuse professionals'. Blank: 'Practice points'.",
    )
    practice_points_intro = models.TextField(
        blank=True,
        help_text="The sentence that introduces its practice points on the "
        "practice points page.",
    )
    attribution = models.CharField(
        max_length=300, help_text="Credit shown in the footer and on printouts."
    )
    first_published = models.DateField(
        null=True,
        blank=True,
        help_text="The day the briefing was first published, shown to readers "
        "as 'Published'. Leave blank if not known: no date is shown.",
    )
    last_updated = models.DateField(
        null=True,
        blank=True,
        help_text="The day the briefing itself was last revised, if it says so. "
        "Readers see the later of this and the last change saved with a note.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    content = Content(
        kind="briefing",
        label="Briefing",
        order=5,
        search_reads=("audiences",),
        shows_review_dates=True,
    )

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("briefing_detail", args=[self.slug])

    def citation(self, base, accessed):
        url = base + self.get_absolute_url()
        return cite_briefing_part(self, url, accessed, name=self.title)

    @property
    def practice_points_heading(self):
        return self.practice_points_title or "Practice points"

    def search_document(self):
        return SearchDocument(
            title=self.title,
            body=_join(plain_text(self.summary), self.author),
            url=self.get_absolute_url(),
            published=self.is_published,
            audiences=_slugs(self.audiences),
            briefing=self.slug,
        )


def first_briefing():
    """The briefing whose owner owns content that belongs to no one briefing."""
    return Briefing.objects.order_by("position", "pk").select_related("owner").first()


def citing_briefing():
    """The briefing that cites research it does not name (one query a page)."""
    return once_per_page("citing-briefing", first_briefing)


def shown_with_it():
    """Prefetches of the quotes and research a page shows with an item."""
    return [
        Prefetch("quotes", queryset=Quote.objects.published().with_page_content()),
        Prefetch("references", queryset=ResearchReference.objects.published()),
    ]


class SectionQuerySet(PublishedQuerySet):
    def with_page_content(self):
        """With everything a section's page shows: its audiences, quotes, research."""
        return self.select_related("briefing").prefetch_related(
            "audiences", *shown_with_it()
        )


class SectionManager(models.Manager.from_queryset(SectionQuerySet)):
    def get_by_natural_key(self, briefing_slug, slug):
        return self.get(briefing__slug=briefing_slug, slug=slug)


class Section(BriefingPart, Owned, Publishable):
    """One part of a briefing, in reading order."""

    briefing = models.ForeignKey(
        Briefing,
        on_delete=models.CASCADE,
        related_name="sections",
        help_text="The briefing this section is part of.",
    )
    slug = models.SlugField()
    title = models.CharField(
        max_length=300,
        help_text="The section's heading, in the briefing's words.",
    )
    short_title = short_title_field()
    part = models.CharField(
        max_length=300,
        blank=True,
        help_text="Heading of the part of the briefing this section belongs to, if any.",
    )
    position = models.PositiveIntegerField(default=0)
    body = MarkdownxField(
        help_text="Markdown. [[figure:slug]] shows a Snapshot figure from its data."
    )
    audiences = models.ManyToManyField(Audience, blank=True, related_name="sections")
    published_parents = ("briefing",)
    references = models.ManyToManyField(
        ResearchReference, blank=True, related_name="sections"
    )

    objects = SectionManager()
    content = Content(
        kind="section",
        label="Briefing section",
        order=4,
        search_reads=("briefing__audiences", "audiences"),
        rolls_up=("quotes",),
    )

    class Meta:
        ordering = ["briefing", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["briefing", "slug"], name="unique_section_slug"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guidance:section_detail", args=[self.briefing.slug, self.slug])

    def natural_key(self):
        return (*self.briefing.natural_key(), self.slug)

    natural_key.dependencies = ["guidance.briefing"]

    def search_document(self):
        return SearchDocument(
            title=self.title,
            # Not self.part: a heading many sections share ("What does research
            # tell us about...") would match every one of them.
            body=plain_text(self.body),
            url=self.get_absolute_url(),
            published=self.is_published and self.briefing.is_published,
            audiences=self.audience_slugs(),
            briefing=self.briefing.slug,
        )

    def audience_slugs(self):
        """Its own audiences, or else the whole briefing's."""
        return _slugs(self.audiences) or _slugs(self.briefing.audiences)


class QuoteQuerySet(PublishedQuerySet):
    def published(self):
        # A withdrawn quote disappears everywhere at once, whatever its status.
        return super().published().filter(withdrawn_at__isnull=True)

    def with_page_content(self):
        """With the source a quote is always shown with."""
        return self.select_related("source")


class Quote(SlugKeyed, Publishable):
    """A woman's words from lived-experience research, shown with her name as given."""

    slug = models.SlugField(unique=True)
    text = models.TextField(
        help_text="Her words exactly as published. Paragraphs on blank lines."
    )
    speaker = models.CharField(
        max_length=100, help_text="The name the briefing gives with the quote."
    )
    source = models.ForeignKey(
        ResearchReference,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="The research the quote comes from, as the briefing credits "
        "it. Readers see its title under the quote.",
    )
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
        help_text="The briefing section the quote is shown in, if any.",
    )
    position = models.PositiveIntegerField(default=0)
    consent_scope = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the woman consented to, e.g. 'training and publications'.",
    )
    content_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown before the quote, e.g. 'strong language'.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.CharField(max_length=150, blank=True, editable=False)

    objects = SlugManager.from_queryset(QuoteQuerySet)()
    content = Content(
        kind="quote",
        label="In their words",
        order=9,
        printable="In their words",
        search_reads=("source", "section__audiences", "section__briefing__audiences"),
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.speaker}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("guidance:quote_list") + f"#{self.slug}"

    def citation(self, base, accessed, briefing):
        """The briefing the quote is shown in, naming her as the quote does."""
        return cite_briefing_part(
            briefing,
            base + self.get_absolute_url(),
            accessed,
            name=f"quote from {self.speaker}",
            detail=f"Quoting {self.speaker}, {self.source.title}",
        )

    def search_document(self):
        return SearchDocument(
            title=f"{self.speaker}, {self.source.title}",
            body=self.text,
            url=self.get_absolute_url(),
            published=self.is_published and self.withdrawn_at is None,
            audiences=self.section.audience_slugs() if self.section else (),
            briefing=self.section.briefing.slug if self.section else "",
        )

    @property
    def paragraphs(self):
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]


class Resource(SlugKeyed, Owned, Publishable):
    """Somewhere to go next: an organisation, toolkit, training or guide."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        TRAINING = "training", "Training"
        TOOLKIT = "toolkit", "Toolkit"
        SUPPORT = "support", "Support service"
        GUIDE = "guide", "Guide"

    slug = models.SlugField(unique=True)
    name = models.CharField(
        max_length=200, help_text="Its name, as readers will see it in the list."
    )
    url = models.URLField(
        "web address",
        blank=True,
        max_length=500,
        help_text="Its website, starting https://. Leave blank if there is none.",
    )
    link_text = models.CharField(
        max_length=200, blank=True, help_text="The address as printed in the briefing."
    )
    description = models.TextField(
        blank=True,
        help_text="Optional: what it offers, in a sentence, e.g. 'For specialist "
        "support and training on trafficking.'",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.ORGANISATION,
        help_text="What sort of resource it is: readers can tell a service from "
        "a guide or a training course.",
    )
    position = models.PositiveIntegerField(default=0)
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    content = Content(
        kind="resource", label="Resource", order=10, printable="Further resources"
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guidance:resource_list") + f"#{self.slug}"

    def owner_parent(self):
        return first_briefing()

    @property
    def needs_details(self):
        """A link nobody has checked yet, or one that no longer works."""
        if not self.url:
            return False
        check = getattr(self, "link_check", None)
        return check is None or not check.works

    def search_document(self):
        return SearchDocument(
            title=self.name,
            body=_join(self.description, self.link_text, self.get_kind_display()),
            url=self.get_absolute_url(),
            published=self.is_published,
        )


class GlossaryTerm(SlugKeyed, Owned, Publishable):
    """An abbreviation or term the guidance uses, explained in plain words."""

    term = models.CharField(
        max_length=100,
        unique=True,
        help_text="As it is written in the guidance, e.g. 'PTSD' or 'survival sex'. "
        "Terms with capitals such as 'PTSD' are matched exactly; others in any case.",
    )
    slug = models.SlugField(unique=True)
    expansion = models.CharField(
        max_length=200,
        blank=True,
        help_text="What an abbreviation stands for, e.g. 'Post-traumatic stress "
        "disorder'. Shown when a reader points at or focuses the term.",
    )
    definition = models.TextField(
        blank=True, help_text="A short, neutral explanation in plain English."
    )

    content = Content(kind="glossary-term", label="Glossary term", order=12)

    class Meta:
        ordering = [Lower("term")]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("guidance:glossary") + f"#{self.slug}"

    def owner_parent(self):
        return first_briefing()

    def search_document(self):
        return SearchDocument(
            title=self.term,
            body=_join(self.expansion, self.definition),
            url=self.get_absolute_url(),
            published=self.is_published,
        )

    @property
    def is_abbreviation(self):
        return bool(self.expansion)

    @property
    def matches_case(self):
        # "PTSD" must not match the word "ptsd" in a URL-like slug, but
        # "survival sex" should match "Survival sex" at a sentence start.
        return any(c.isupper() for c in self.term)


class LinkCheck(models.Model):
    """What the weekly link check found at a further resource's address."""

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, related_name="link_check"
    )
    url = models.URLField(max_length=500, help_text="The address that was checked.")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=500, blank=True)
    problem = models.CharField(max_length=200, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["resource"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.url}: {self.status_code or self.problem}"

    @property
    def works(self):
        # Checked at the address the resource has now, and it answered.
        return (
            self.url == self.resource.url
            and self.status_code is not None
            and 200 <= self.status_code < 400
        )
