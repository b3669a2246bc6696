from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from simple_history.models import HistoricalRecords

from editorial.content import Content
from editorial.models import Owned, Publishable
from guidance.citations import NO_DATE, Citation, cite_briefing_part
from guidance.markdown import NOTE_CLASS
from guidance.models import (
    ResearchReference,
    Resource,
    SearchDocument,
    SlugKeyed,
    citing_briefing,
    first_briefing,
)


def format_percentage(value, places=0):
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)}%"


def disclosure_threshold():
    """Counts below this can identify women (SNAPSHOT_DISCLOSURE_THRESHOLD)."""
    return settings.SNAPSHOT_DISCLOSURE_THRESHOLD


class Organisation(SlugKeyed, Owned, Publishable):
    """A member organisation of the Encompass Network: local specialist support."""

    slug = models.SlugField(unique=True)
    name = models.CharField(
        max_length=200, help_text="Its name, as the organisation writes it."
    )
    area = models.CharField(
        max_length=200, blank=True, help_text="Where it works, if stated."
    )
    about = models.TextField(
        blank=True,
        help_text="What it offers, in a sentence or two, in the organisation's own "
        "words. Leave blank rather than guess.",
    )
    url = models.URLField(
        "website",
        blank=True,
        help_text="Its own website, starting https://. Leave blank if unsure.",
    )
    phone = models.CharField(
        max_length=50,
        blank=True,
        help_text="A number readers can call, as the organisation publishes it, "
        "e.g. 0141 123 4567. Leave blank if unsure.",
    )
    email = models.EmailField(
        blank=True, help_text="An address it publishes for enquiries or referrals."
    )
    how_to_refer = models.TextField(
        blank=True,
        help_text="How a professional makes a referral, or how a woman can get in "
        "touch herself, in plain words. Line breaks are kept.",
    )
    opening_times = models.TextField(
        blank=True,
        help_text="When it can be reached, e.g. 'Monday to Friday, 9am to 5pm'. "
        "Line breaks are kept.",
    )
    resource = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        verbose_name="further resource",
        help_text="The further resource that names this organisation, where the "
        "briefing gives one (TARA: Tara's website). Its page links to it.",
    )
    position = models.PositiveIntegerField(default=0)
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    content = Content(
        kind="organisation",
        label="Local support",
        order=8,
        search_reads=("snapshots",),
        printable="Local support",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.name} ({self.area})" if self.area else self.name

    def get_absolute_url(self):
        return reverse("organisation_detail", args=[self.slug])

    @property
    def phone_link(self):
        """The number as a tel: address (digits and a leading +), or ""."""
        digits = "".join(c for c in self.phone if c.isdigit())
        if not digits:
            return ""
        return f"tel:{'+' if self.phone.strip().startswith('+') else ''}{digits}"

    def owner_parent(self):
        return first_briefing()

    @property
    def needs_details(self):
        return not self.has_contact_details

    @property
    def has_contact_details(self):
        return any(
            (self.url, self.phone, self.email, self.how_to_refer, self.opening_times)
        )

    def search_document(self):
        """Found on its own page, by its area and as what the source calls it."""
        # The source's own words only: it names the organisations and says
        # they make up the network, nothing about the services they offer.
        about = (
            "One of the organisations that make up the Encompass Network, which "
            "the source gives for details of specialist support agencies in Scotland"
        )
        published = [s.title for s in self.snapshots.all() if s.is_published]
        parts = [self.area, about, self.about, self.how_to_refer, *published[:1]]
        return SearchDocument(
            title=self.name,
            body="\n".join(p for p in parts if p),
            url=self.get_absolute_url(),
            published=self.is_published,
        )


class Snapshot(SlugKeyed, Owned, Publishable):
    """One run of the Encompass Snapshot survey across the network."""

    slug = models.SlugField(unique=True)
    title = models.CharField(
        max_length=200,
        help_text="The Snapshot's name as readers see it, e.g. 'Encompass "
        "Snapshot 2021'.",
    )
    # The source gives a month and a length ("over a week in November 2021"),
    # never days: store no more than it says.
    period_month = models.CharField(
        max_length=7,
        unique=True,
        validators=[
            RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", "Use the form YYYY-MM.")
        ],
        help_text="The month the Snapshot ran, as YYYY-MM (e.g. 2021-11): one "
        "Snapshot a month. Used to put Snapshots in order.",
    )
    period_length = models.CharField(
        max_length=50,
        blank=True,
        help_text="How long it ran, as the source says, e.g. 'one week'.",
    )
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
    organisations = models.ManyToManyField(
        Organisation,
        related_name="snapshots",
        help_text="The organisations that took part in this Snapshot.",
    )
    reference = models.ForeignKey(
        ResearchReference,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="research reference",
        help_text="Where readers can read the Snapshot's own report, if it is "
        "listed under Research.",
    )

    content = Content(
        kind="snapshot",
        label="Snapshot",
        order=7,
        search_reads=("organisations",),
        # Its figures, variants included (each points at the Snapshot).
        rolls_up=("figures",),
    )

    class Meta:
        ordering = ["-period_month"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("snapshot:snapshot_detail", args=[self.slug])

    def owner_parent(self):
        return first_briefing()

    @property
    def author(self):
        """Who the Snapshot's reference names as its author, if anyone."""
        reference = self.reference
        return reference.author if reference and reference.is_published else ""

    @property
    def cited_reference(self):
        reference = self.reference
        return reference if reference and reference.is_published else None

    @property
    def cited_title(self):
        """The work as the source names it ("Encompass Snapshot")."""
        reference = self.cited_reference
        return reference.title if reference else self.title

    def citation(self, base, accessed, anchor="", **fields):
        # The source names the work and when the survey ran (November 2021),
        # never when it was published: no year unless its reference gives one.
        reference = self.cited_reference
        return Citation(
            **{
                "name": self.title,
                "author": self.author,
                "year": str(reference.year)
                if reference and reference.year
                else NO_DATE,
                "title": self.cited_title,
                "url": base + self.get_absolute_url() + anchor,
                "accessed": accessed,
            }
            | fields
        )

    def summary(self, html=True):
        """The Snapshot in one sentence, as the source briefing words it.

        As HTML the number of women is in bold; ``html=False`` gives plain text.
        """
        # The space before the count sits inside <strong>: where the line must
        # break just before it, WeasyPrint otherwise breaks after the first word
        # and prints "Over" alone on a line of the PDF.
        sentence = (
            "Over {} the {} organisations that make up the Encompass Network "
            "supported{} who had been {}."
        )
        women = f" {self.women_count} women"
        if html:
            women = format_html("<strong>{}</strong>", women)
        words = (
            self.period_label,
            len(self.organisations.all()),
            women,
            self.population,
        )
        return format_html(sentence, *words) if html else sentence.format(*words)

    def search_document(self):
        organisations = ", ".join(str(o) for o in self.organisations.all())
        return SearchDocument(
            title=self.title,
            body=f"{self.summary(html=False)} {organisations}",
            url=self.get_absolute_url(),
            published=self.is_published,
        )


class Display(models.TextChoices):
    AS_PUBLISHED = "published", "As published"
    SUPPRESSED = "suppressed", "Suppressed (fewer than the threshold, or withheld)"


class FigureValues(SlugKeyed):
    """The numbers behind a figure, and how to say them."""

    slug = models.SlugField(
        "web address",
        unique=True,
        help_text="Its short name in web addresses: lowercase letters, numbers "
        "and hyphens. Write [[figure:this-name]] in a text to show it there.",
    )
    statement = models.CharField(
        max_length=400,
        help_text="What the figure says, with {value} where the number goes, "
        "e.g. '{value} disclosed experiences of domestic abuse'.",
    )
    count = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many, as the source gives it, e.g. 81 in '81 of 150 women'.",
    )
    denominator = models.PositiveIntegerField(
        "out of",
        null=True,
        blank=True,
        help_text="Out of how many, e.g. 150 in '81 of 150 women'. Leave blank "
        "if the source gives no total: no percentage is then worked out.",
    )
    unit = models.CharField(
        "counted as",
        max_length=100,
        default="women",
        blank=True,
        help_text="What is counted, e.g. 'women' in '81 of 150 women'.",
    )
    qualifier = models.CharField(
        max_length=60,
        blank=True,
        help_text="Words the source puts before the number, kept with it: "
        "'less than', 'about'.",
    )
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
    display = models.CharField(
        max_length=12,
        choices=Display.choices,
        default=Display.AS_PUBLISHED,
        help_text="Suppress a count that could identify women: readers then see "
        "'fewer than 5' (the disclosure threshold), or 'withheld' for a larger "
        "count, instead of the number and its percentage, everywhere.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return self.text

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
    def is_suppressed(self):
        return self.display == Display.SUPPRESSED

    # What readers may see. Everything public (pages, tokens, charts, tables,
    # downloads) reads these, never count/percentage directly, so a suppressed
    # number cannot leak through one forgotten template.
    @property
    def public_count(self):
        return None if self.is_suppressed else self.count

    @property
    def public_percentage(self):
        return None if self.is_suppressed else self.percentage

    @property
    def public_published_percentage(self):
        return None if self.is_suppressed else self.published_percentage

    @property
    def public_published_number(self):
        """The printed percentage as a number with the source's places (23.5, 20)."""
        printed = self.public_published_percentage
        if printed is None:
            return None
        return printed.quantize(Decimal(1).scaleb(-self.published_places))

    @property
    def printed_percentage(self):
        """The source's percentage as printed ('23.5%'), if readers may see it."""
        return format_percentage(
            self.public_published_percentage, self.published_places
        )

    @property
    def shown_percentage(self):
        """The percentage readers see: computed if possible, else as printed."""
        if self.public_percentage is not None:
            return format_percentage(self.public_percentage)
        return self.printed_percentage

    @property
    def count_text(self):
        """The count as readers may see it: '31', 'fewer than 5' or 'withheld'."""
        if not self.is_suppressed:
            return "" if self.count is None else str(self.count)
        threshold = disclosure_threshold()
        if self.count is not None and self.count < threshold:
            return f"fewer than {threshold}"
        return "withheld"

    @property
    def suppressed_value(self):
        if self.denominator:
            return f"{self.count_text} of {self.denominator} {self.unit}".strip()
        return f"{self.count_text} {self.unit}".strip()

    @property
    def value(self):
        if self.is_suppressed:
            return self.suppressed_value
        value = self._value()
        return f"{self.qualifier} {value}" if self.qualifier and value else value

    def _value(self):
        if self.count is not None and self.denominator:
            unit = f" {self.unit}" if self.unit else ""
            return f"{self.count} of {self.denominator}{unit} ({format_percentage(self.percentage)})"
        if self.count is not None:
            return f"{self.count} {self.unit}".strip()
        return self.printed_percentage

    @property
    def source_note(self):
        if self.disagrees_with_source and not self.is_suppressed:
            return f"The source briefing printed this as {self.printed_percentage}."
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

    def as_html(self, href=""):
        """The statement with its value in bold; the value links to href if given."""
        before, after = self._statement_parts()
        value = format_html('<strong class="figure-value">{}</strong>', self.value)
        if href:
            value = format_html('<a href="{}">{}</a>', href, value)
        html = format_html("{}{}{}", before, value, after)
        if self.source_note:
            html = format_html(
                '{} <small class="{}">({})</small>', html, NOTE_CLASS, self.source_note
            )
        return html

    @property
    def cited_detail(self):
        """What a citation quotes: the statement, and beside a percentage worked
        out here the one the source printed."""
        detail = self.text[:1].upper() + self.text[1:]
        if self.source_note:
            detail += f" ({self.source_note.rstrip('.')})"
        return detail

    def cited_facts(self, source):
        """What "Cite this" shows beside a figure's reference."""
        missing = "Not given in the source"
        out_of = f"{self.denominator} {self.unit}".strip() if self.denominator else ""
        facts = [("Count", self.count_text or missing), ("Out of", out_of or missing)]
        if self.printed_percentage:
            facts.append(("Printed in the source", self.printed_percentage))
        return (*facts, ("Source", source))


class Figure(FigureValues, Publishable):
    """A Snapshot figure: a count of women over the women in that snapshot."""

    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.CASCADE,
        related_name="figures",
        help_text="The Snapshot this figure comes from.",
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

    published_parents = ("snapshot",)
    content = Content(
        kind="figure",
        label="Figure",
        order=6,
        search_reads=("snapshot", "parent"),
        printable="Snapshot figures",
        rolls_up=("variants",),
    )

    class Meta:
        ordering = ["snapshot", "position"]

    def get_absolute_url(self):
        return self.snapshot.get_absolute_url() + f"#figure-{self.slug}"

    def citation(self, base, accessed, snapshot=None):
        """The Snapshot, with the figure's statement, count and denominator.

        ``snapshot``: the figure's own, when the page has it at hand.
        """
        snapshot = snapshot or self.snapshot
        return snapshot.citation(
            base,
            accessed,
            anchor=f"#figure-{self.slug}",
            name=f"{self.title} ({self.subgroup})" if self.subgroup else self.title,
            detail=self.cited_detail,
            facts=self.cited_facts(
                " – ".join(p for p in (snapshot.author, snapshot.cited_title) if p)
            ),
        )

    @property
    def label(self):
        return self.title

    def search_document(self):
        parent = self.parent
        return SearchDocument(
            title=f"{parent.title}: {self.subgroup}"
            if parent and self.subgroup
            else self.title,
            body=" ".join(p for p in [self.text, self.source_note] if p),
            url=self.get_absolute_url(),
            published=self.is_published
            and self.snapshot.is_published
            and (parent is None or parent.is_published),
        )


class Study(SlugKeyed):
    """Research other than the Snapshot whose figures the briefing quotes."""

    slug = models.SlugField(unique=True)
    name = models.CharField(
        max_length=200,
        help_text="The study's name as readers see it above its figures.",
    )
    sample_description = models.TextField(help_text="Who the study asked.")
    reference = models.ForeignKey(
        ResearchReference,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Only when the briefing itself names the reference for this study.",
    )
    source_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown instead of a source when the briefing names none, e.g. "
        "'Not named in the briefing; see the research listed in the references.'",
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    content = Content()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "studies"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("snapshot:figure_list") + f"#study-{self.slug}"


class StudyFigure(FigureValues, Publishable):
    """A figure from another study, kept apart from the Snapshot's own figures."""

    study = models.ForeignKey(
        Study,
        on_delete=models.CASCADE,
        related_name="figures",
        help_text="The study this figure comes from.",
    )
    group = models.CharField(
        max_length=200,
        blank=True,
        help_text="Figures reported together, e.g. 'Barriers to support'.",
    )
    title = models.CharField(
        max_length=300,
        blank=True,
        help_text="A short name in the source's words for chart and table rows, "
        "without the number, e.g. 'Lack of financial support'.",
    )

    content = Content(kind="figure", label="Figure", order=6, search_reads=("study",))

    class Meta:
        ordering = ["study", "position"]

    def get_absolute_url(self):
        return reverse("snapshot:figure_list") + f"#study-figure-{self.slug}"

    def citation(self, base, accessed):
        """The study, as the briefing names its source, with the figure's
        statement, count and denominator. No year or author is supplied where
        the source gives none, and a study it does not name has no title: it
        is cited as quoted in the briefing ("Research from Canada, cited in
        Encompass Network (n.d.)")."""
        study, reference = self.study, self.study.reference
        url = base + self.get_absolute_url()
        briefing = citing_briefing() if reference is None else None
        if briefing is not None:
            cited = cite_briefing_part(
                briefing, url, accessed, self.label, detail=self.cited_detail
            )
            return replace(
                cited,
                author=f"{study.name}, cited in {briefing.author}"
                if briefing.author
                else study.name,
                facts=self.cited_facts(study.source_note or study.name),
            )
        author = reference.author if reference else ""
        title = reference.title if reference else study.name
        source = " – ".join(p for p in (author, title) if p)
        return Citation(
            name=self.label,
            author=author,
            year=str(reference.year) if reference and reference.year else NO_DATE,
            title=title,
            url=url,
            accessed=accessed,
            detail=self.cited_detail,
            facts=self.cited_facts(
                source if reference else study.source_note or source
            ),
        )

    @property
    def label(self):
        """The editors' short name; else the whole statement, number and all.

        Never the statement with its number cut out: that loses words such as
        "less than" and leaves sentences like "For , their children ...".
        """
        label = self.title or self.text
        return label[:1].upper() + label[1:]

    def search_document(self):
        return SearchDocument(
            title=self.group or self.study.name,
            body=f"{self.text}. {self.study.name}",
            url=self.get_absolute_url(),
            published=self.is_published,
        )
