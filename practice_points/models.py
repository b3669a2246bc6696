from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from editorial.content import Content
from editorial.models import Owned, Publishable, PublishedQuerySet
from guidance.markdown import plain_text
from guidance.models import (
    Audience,
    Briefing,
    BriefingPart,
    Quote,
    ResearchReference,
    SearchDocument,
    SlugKeyed,
    SlugManager,
    short_title_field,
    shown_with_it,
)


class PracticePointQuerySet(PublishedQuerySet):
    def with_page_content(self):
        """With everything its page shows: lists, questions, quotes and research.

        Drafts among them are left out.
        """
        return self.select_related("briefing").prefetch_related(
            "audiences",
            *shown_with_it(),
            Prefetch(
                "lists",
                queryset=PracticeList.objects.published().prefetch_related("items"),
            ),
            Prefetch("prompts", queryset=Prompt.objects.published()),
            Prefetch(
                "reflective_questions", queryset=ReflectiveQuestion.objects.published()
            ),
        )


class PracticePoint(BriefingPart, SlugKeyed, Owned, Publishable):
    """One piece of practice advice, read on its own page in briefing order."""

    briefing = models.ForeignKey(
        Briefing,
        on_delete=models.CASCADE,
        related_name="practice_points",
        help_text="The briefing this practice point comes from.",
    )
    slug = models.SlugField(unique=True)
    title = models.CharField(
        max_length=200,
        help_text="The practice point in a few words, as the briefing heads it, "
        "e.g. 'Ask the question'.",
    )
    short_title = short_title_field()
    position = models.PositiveIntegerField(default=0)
    summary = models.TextField(
        help_text="One or two sentences shown in lists and search."
    )
    body = MarkdownxField(
        blank=True,
        help_text="Markdown, shown before the lists, example questions and quotes.",
    )
    closing = MarkdownxField(
        blank=True,
        help_text="Markdown shown last, after the lists, questions and quotes.",
    )
    audiences = models.ManyToManyField(Audience, related_name="practice_points")
    quotes = models.ManyToManyField(
        Quote,
        blank=True,
        related_name="practice_points",
        help_text="Quotes shown with it.",
    )
    references = models.ManyToManyField(
        ResearchReference, blank=True, related_name="practice_points"
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    published_parents = ("briefing",)
    objects = SlugManager.from_queryset(PracticePointQuerySet)()
    content = Content(
        kind="practice-point",
        label="Practice point",
        order=1,
        printable="Practice points",
        search_reads=(
            "briefing", "audiences", "lists__items", "prompts", "reflective_questions",
        ),
        rolls_up=("prompts", "reflective_questions", "lists", "quotes"),
        shows_review_dates=True,
    )  # fmt: skip

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practice_points:practice_point_detail", args=[self.slug])

    @property
    def is_visible(self):
        return self.is_published and self.briefing.is_published

    def search_document(self):
        """Everything on its page: lists, example questions and reflective questions."""
        parts = [self.summary, plain_text(self.body)]
        for practice_list in _published(self.lists):
            parts += [practice_list.title, practice_list.intro]
            parts += [item.text for item in practice_list.items.all()]
        parts += [prompt.text for prompt in _published(self.prompts)]
        parts += [q.text for q in _published(self.reflective_questions)]
        parts.append(plain_text(self.closing))
        return SearchDocument(
            title=self.title,
            body="\n".join(part for part in parts if part),
            url=self.get_absolute_url(),
            published=self.is_visible,
            audiences=tuple(a.slug for a in self.audiences.all()),
            briefing=self.briefing.slug,
        )


def _published(children):
    # In Python: the search index has prefetched them all, drafts included.
    return [child for child in children.all() if child.is_published]


class ChildManager(models.Manager.from_queryset(PublishedQuerySet)):
    def get_by_natural_key(self, point_slug, slug):
        return self.get(practice_point__slug=point_slug, slug=slug)


class PracticePointChild(Publishable):
    """Something that belongs to a practice point, in the order editors choose."""

    practice_point = models.ForeignKey(
        PracticePoint,
        on_delete=models.CASCADE,
        help_text="The practice point this belongs to: it is shown on that "
        "practice point's page.",
    )
    slug = models.SlugField(
        help_text="Unique within its practice point; used in links."
    )
    position = models.PositiveIntegerField(default=0)

    published_parents = ("practice_point", "practice_point__briefing")
    objects = ChildManager()

    class Meta:
        abstract = True
        ordering = ["practice_point__position", "position"]

    def natural_key(self):
        return (*self.practice_point.natural_key(), self.slug)

    natural_key.dependencies = ["practice_points.practicepoint"]

    @property
    def anchor(self):
        return f"{self._meta.model_name}-{self.slug}"

    def get_absolute_url(self):
        return f"{self.practice_point.get_absolute_url()}#{self.anchor}"


class PracticeList(PracticePointChild):
    """A list within a practice point, such as what sex may be exchanged for."""

    title = models.CharField(
        max_length=200, help_text="A short name for the list, for handouts and search."
    )
    intro = models.TextField(
        blank=True, help_text="The sentence that leads into the list."
    )

    content = Content()

    class Meta(PracticePointChild.Meta):
        default_related_name = "lists"
        constraints = [
            models.UniqueConstraint(
                fields=["practice_point", "slug"], name="unique_practice_list_slug"
            )
        ]

    def __str__(self):
        return self.title


class PracticeListItemManager(models.Manager):
    def get_by_natural_key(self, point_slug, list_slug, position):
        return self.get(
            practice_list__practice_point__slug=point_slug,
            practice_list__slug=list_slug,
            position=position,
        )


class PracticeListItem(models.Model):
    practice_list = models.ForeignKey(
        PracticeList, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(help_text="One item of the list, in the briefing's words.")

    history = HistoricalRecords()
    objects = PracticeListItemManager()
    content = Content()

    class Meta:
        ordering = ["practice_list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice_list", "position"], name="unique_list_item_position"
            )
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.practice_list.get_absolute_url()

    def natural_key(self):
        return (*self.practice_list.natural_key(), self.position)

    natural_key.dependencies = ["practice_points.practicelist"]


# A question is found with its practice point's audiences, while it is visible.
QUESTION_READS = ("practice_point__briefing", "practice_point__audiences")


class Question(PracticePointChild):
    """A question on a practice point's page: its ``text`` is all it says."""

    class Meta(PracticePointChild.Meta):
        abstract = True

    def __str__(self):
        return self.text

    def search_document(self):
        """A question is found on its own, linked to its place on the page."""
        point = self.practice_point
        return SearchDocument(
            title=point.title,
            body=self.text,
            url=self.get_absolute_url(),
            published=self.is_published and point.is_visible,
            audiences=tuple(a.slug for a in point.audiences.all()),
            briefing=point.briefing.slug,
        )


class Prompt(Question):
    """An example question to ask a woman ("Ask the question")."""

    text = models.TextField(help_text="The question, as a practitioner might ask it.")

    content = Content(
        kind="question",
        label="Example question",
        order=2,
        search_reads=QUESTION_READS,
        printable="Example questions to ask",
    )

    class Meta(PracticePointChild.Meta):
        default_related_name = "prompts"
        constraints = [
            models.UniqueConstraint(
                fields=["practice_point", "slug"], name="unique_prompt_slug"
            )
        ]


class ReflectiveQuestion(Question):
    """A question for practitioners to reflect on their own practice."""

    text = models.TextField(
        help_text="The question, in the briefing's words, for practitioners to "
        "think about their own practice."
    )

    content = Content(
        kind="reflective-question",
        label="Reflective question",
        order=3,
        search_reads=QUESTION_READS,
        printable="Reflective questions",
    )

    class Meta(PracticePointChild.Meta):
        default_related_name = "reflective_questions"
        constraints = [
            models.UniqueConstraint(
                fields=["practice_point", "slug"],
                name="unique_reflective_question_slug",
            )
        ]
