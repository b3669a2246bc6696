from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from guidance.models import (
    Publishable,
    ResearchReference,
    SearchDocument,
    SlugManager,
)


def format_percentage(value, places=0):
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)}%"


class Organisation(models.Model):
    """A member organisation of the Encompass Network and the area it serves."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    area = models.CharField(
        max_length=200, blank=True, help_text="Where it works, if stated."
    )
    url = models.URLField(blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.name} ({self.area})" if self.area else self.name

    def natural_key(self):
        return (self.slug,)

    def search_document(self):
        """Found on the latest published Snapshot that lists it."""
        snapshot = self.snapshots.published().first()
        return SearchDocument(
            title=self.name,
            body="\n".join(p for p in [self.area, snapshot and snapshot.title] if p),
            kind="organisation",
            url=snapshot.get_absolute_url() + f"#organisation-{self.slug}"
            if snapshot
            else "",
            published=snapshot is not None,
        )


class Snapshot(Publishable):
    """One run of the Encompass Snapshot survey across the network."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(
        max_length=100,
        help_text="How the briefing names the period, e.g. 'a week in November 2021'.",
    )
    women_count = models.PositiveIntegerField(
        help_text="Women supported in the period."
    )
    population = models.CharField(
        max_length=300,
        help_text="Who the women are, e.g. 'women who had been involved in selling ...'.",
    )
    organisations = models.ManyToManyField(Organisation, related_name="snapshots")
    reference = models.ForeignKey(
        ResearchReference, null=True, blank=True, on_delete=models.SET_NULL
    )
    position = models.PositiveIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["-period_start"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("snapshot:snapshot_detail", args=[self.slug])

    def search_document(self):
        organisations = [str(o) for o in self.organisations.all()]
        return SearchDocument(
            title=self.title,
            body=f"Over {self.period_label} the {len(organisations)} organisations "
            "that make up the Encompass Network supported "
            f"{self.women_count} women who had been {self.population}. "
            + ", ".join(organisations),
            kind="snapshot",
            url=self.get_absolute_url(),
            published=self.is_published,
        )


class FigureValues(models.Model):
    """The numbers behind a figure, and how to say them."""

    slug = models.SlugField(
        unique=True, help_text="Used in links and [[figure:slug]] tokens."
    )
    statement = models.CharField(
        max_length=400,
        help_text="What the figure says, with {value} where the number goes, "
        "e.g. '{value} disclosed experiences of domestic abuse'.",
    )
    count = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=100, default="women", blank=True)
    published_percentage = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="The percentage exactly as printed in the source, if any.",
    )
    published_places = models.PositiveSmallIntegerField(
        default=0, help_text="Decimal places printed in the source (1 for '23.5%')."
    )
    position = models.PositiveIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.text

    def natural_key(self):
        return (self.slug,)

    @property
    def percentage(self):
        """The percentage computed from count and denominator."""
        if self.count is None or not self.denominator:
            return None
        return Decimal(self.count) * 100 / Decimal(self.denominator)

    @property
    def disagrees_with_source(self):
        """True when the printed percentage differs by more than rounding."""
        computed, published = self.percentage, self.published_percentage
        if computed is None or published is None:
            return False
        tolerance = Decimal("0.5") * Decimal(1).scaleb(-self.published_places)
        return abs(computed - published) > tolerance

    @property
    def value(self):
        if self.count is not None and self.denominator:
            unit = f" {self.unit}" if self.unit else ""
            return f"{self.count} of {self.denominator}{unit} ({format_percentage(self.percentage)})"
        if self.count is not None:
            return f"{self.count} {self.unit}".strip()
        return format_percentage(self.published_percentage, self.published_places)

    @property
    def source_note(self):
        if self.disagrees_with_source:
            printed = format_percentage(
                self.published_percentage, self.published_places
            )
            return f"The source briefing printed this as {printed}."
        return ""

    def _statement_parts(self):
        before, marker, after = self.statement.partition("{value}")
        if not marker:
            return "", f" {before}"
        return before, after

    @property
    def text(self):
        before, after = self._statement_parts()
        return f"{before}{self.value}{after}".strip()

    def as_html(self):
        before, after = self._statement_parts()
        html = format_html(
            '{}<strong class="figure-value">{}</strong>{}', before, self.value, after
        )
        if self.source_note:
            html = format_html(
                '{} <small class="figure-note">({})</small>', html, self.source_note
            )
        return html


class Figure(FigureValues, Publishable):
    """A Snapshot figure: a count of women over the women in that snapshot."""

    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.CASCADE, related_name="figures"
    )
    measure = models.SlugField(
        help_text="The same measure in different snapshots shares this key, for comparison."
    )
    title = models.CharField(
        max_length=200, help_text="A short name, e.g. 'Domestic abuse'."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="variants",
        help_text="For a subgroup or restatement of another figure.",
    )
    subgroup = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who this variant counts, e.g. 'excluding women supported by TARA'.",
    )
    is_headline = models.BooleanField(
        default=False, help_text="Shown on the home page."
    )

    objects = SlugManager()

    class Meta:
        ordering = ["snapshot", "position"]

    def get_absolute_url(self):
        return self.snapshot.get_absolute_url() + f"#figure-{self.slug}"

    def search_document(self):
        parent = self.parent
        return SearchDocument(
            title=f"{parent.title}: {self.subgroup}"
            if parent and self.subgroup
            else self.title,
            body=" ".join(p for p in [self.text, self.source_note] if p),
            kind="figure",
            url=self.get_absolute_url(),
            published=self.is_published
            and self.snapshot.is_published
            and (parent is None or parent.is_published),
        )


class Study(models.Model):
    """Research other than the Snapshot whose figures the briefing quotes."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    sample_description = models.TextField(help_text="Who the study asked.")
    reference = models.ForeignKey(
        ResearchReference, null=True, blank=True, on_delete=models.SET_NULL
    )
    position = models.PositiveIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "studies"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class StudyFigure(FigureValues, Publishable):
    """A figure from another study, kept apart from the Snapshot's own figures."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="figures")
    group = models.CharField(
        max_length=200,
        blank=True,
        help_text="Figures reported together, e.g. 'Barriers to support'.",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["study", "position"]

    def get_absolute_url(self):
        return reverse("snapshot:figure_list") + f"#study-figure-{self.slug}"

    def search_document(self):
        return SearchDocument(
            title=self.group or self.study.name,
            body=f"{self.text}. {self.study.name}",
            kind="figure",
            url=self.get_absolute_url(),
            published=self.is_published,
        )
