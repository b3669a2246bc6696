"""factory_boy factories for tests that build their own small content.

Each makes a valid, published item with whatever it needs (a section makes its
briefing, a figure its snapshot); pass any field to choose it, e.g.
``SectionFactory(briefing=briefing, title="Housing")``.
"""

import factory
from factory.django import DjangoModelFactory

from editorial.models import Status
from guidance.models import (
    Audience,
    Briefing,
    GlossaryTerm,
    Quote,
    ResearchReference,
    Resource,
    Section,
)
from practice_points.models import (
    PracticeList,
    PracticeListItem,
    PracticePoint,
    Prompt,
    ReflectiveQuestion,
)
from snapshot.models import Figure, Organisation, Snapshot, Study, StudyFigure


class Factory(DjangoModelFactory):
    class Meta:
        abstract = True
        # Hooks save what they make; a second save would add a history entry.
        skip_postgeneration_save = True


class PublishedFactory(Factory):
    """Items start as drafts; most tests want what readers see."""

    class Meta:
        abstract = True

    status = Status.PUBLISHED


def _set_many(field):
    """A post-generation hook that sets a many-to-many field when it is given."""

    def hook(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            getattr(obj, field).set(extracted)

    return factory.PostGeneration(hook)


class AudienceFactory(Factory):
    class Meta:
        model = Audience
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"audience-{n}")
    name = factory.Sequence(lambda n: f"Audience {n}")


class BriefingFactory(PublishedFactory):
    class Meta:
        model = Briefing

    slug = factory.Sequence(lambda n: f"briefing-{n}")
    title = factory.Sequence(lambda n: f"Briefing {n}")
    summary = "A summary."
    author = "Encompass Network"
    attribution = "Encompass Network, Scotland"

    audiences = _set_many("audiences")


def second_briefing(**fields):
    """A second published briefing for housing officers, beside the shipped one:
    a section with a quote, and a practice point with its questions."""
    housing = AudienceFactory(slug="housing-officers", name="Housing officers")
    briefing = BriefingFactory(
        slug="housing",
        title="Women in temporary accommodation: a briefing for housing officers",
        summary="What housing officers can do when a tenant is exchanging sex.",
        author="",
        topic="Housing",
        practice_points_title="Practice points for housing officers",
        practice_points_intro="Practice points for housing officers working "
        "with women in temporary accommodation.",
        position=2,
        audiences=[housing],
        **fields,
    )
    section = SectionFactory(
        briefing=briefing,
        slug="tenancy",
        title="Keeping a tenancy",
        body="Rent arrears and tenancy sustainment come first.",
    )
    QuoteFactory(section=section, text="They let me keep the flat.", speaker="Jo")
    point = PracticePointFactory(
        briefing=briefing,
        slug="ask-about-the-tenancy",
        title="Ask about the tenancy",
        summary="Start from the tenancy.",
        position=1,
        audiences=[housing],
    )
    PromptFactory(practice_point=point, text="Is anyone staying at the flat?")
    ReflectiveQuestionFactory(practice_point=point, text="Do I ask every tenant?")
    return briefing


class ResearchReferenceFactory(PublishedFactory):
    class Meta:
        model = ResearchReference

    slug = factory.Sequence(lambda n: f"ref-{n}")
    title = factory.Sequence(lambda n: f"Report {n}")


class SectionFactory(PublishedFactory):
    class Meta:
        model = Section

    briefing = factory.SubFactory(BriefingFactory)
    slug = factory.Sequence(lambda n: f"section-{n}")
    title = factory.Sequence(lambda n: f"Section {n}")
    body = "Body text."
    position = factory.Sequence(lambda n: n)


class QuoteFactory(PublishedFactory):
    class Meta:
        model = Quote

    source = factory.SubFactory(ResearchReferenceFactory)
    slug = factory.Sequence(lambda n: f"quote-{n}")
    text = factory.Sequence(lambda n: f"Words {n}.")
    speaker = "Ann"


class ResourceFactory(PublishedFactory):
    class Meta:
        model = Resource

    slug = factory.Sequence(lambda n: f"res-{n}")
    name = factory.Sequence(lambda n: f"Resource {n}")


class GlossaryTermFactory(PublishedFactory):
    class Meta:
        model = GlossaryTerm

    term = factory.Sequence(lambda n: f"T{n}")
    slug = factory.Sequence(lambda n: f"t-{n}")
    expansion = factory.Sequence(lambda n: f"Term {n}")


class PracticePointFactory(PublishedFactory):
    """A practice point for everyone; ``audiences=[...]`` chooses others."""

    class Meta:
        model = PracticePoint

    briefing = factory.SubFactory(BriefingFactory)
    slug = factory.Sequence(lambda n: f"point-{n}")
    title = factory.Sequence(lambda n: f"Point {n}")
    summary = "Summary."
    body = "Body."
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        # A practice point must be for someone: the admin requires an audience.
        if create:
            everyone = [AudienceFactory(slug="everyone", name="Everyone")]
            self.audiences.set(everyone if extracted is None else extracted)

    quotes = _set_many("quotes")
    references = _set_many("references")


class PracticePointChildFactory(PublishedFactory):
    class Meta:
        abstract = True

    practice_point = factory.SubFactory(PracticePointFactory)
    position = factory.Sequence(lambda n: n)


class PromptFactory(PracticePointChildFactory):
    class Meta:
        model = Prompt

    slug = factory.Sequence(lambda n: f"prompt-{n}")
    text = factory.Sequence(lambda n: f"Question {n}?")


class ReflectiveQuestionFactory(PracticePointChildFactory):
    class Meta:
        model = ReflectiveQuestion

    slug = factory.Sequence(lambda n: f"reflective-{n}")
    text = factory.Sequence(lambda n: f"Do I {n}?")


class PracticeListFactory(PracticePointChildFactory):
    """A list with one item; ``items=["...", ...]`` gives its items in order."""

    class Meta:
        model = PracticeList

    slug = factory.Sequence(lambda n: f"list-{n}")
    title = factory.Sequence(lambda n: f"List {n}")

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create:
            for position, text in enumerate(extracted or ["Item"], start=1):
                PracticeListItem.objects.create(
                    practice_list=self, position=position, text=text
                )


class FullPracticePointFactory(PracticePointFactory):
    """A practice point with one of every child, to grow a page's content.

    ``source=reference`` is the reference it cites and quotes (a new one if not
    given).
    """

    prompt = factory.RelatedFactory(
        PromptFactory, "practice_point", text="Has anyone asked?"
    )
    reflective_question = factory.RelatedFactory(
        ReflectiveQuestionFactory, "practice_point", text="Consider this?"
    )
    practice_list = factory.RelatedFactory(
        PracticeListFactory, "practice_point", title="List"
    )

    @factory.post_generation
    def source(self, create, extracted, **kwargs):
        if create:
            source = extracted or ResearchReferenceFactory()
            self.references.add(source)
            self.quotes.add(QuoteFactory(source=source))


class OrganisationFactory(PublishedFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Org {n}")


class SnapshotFactory(PublishedFactory):
    """A Snapshot of 200 women from one organisation (``organisations=[...]``)."""

    class Meta:
        model = Snapshot

    slug = factory.Sequence(lambda n: f"snapshot-{n}")
    title = factory.Sequence(lambda n: f"Snapshot {n}")
    period_month = "2023-11"
    period_length = "one week"
    period_label = "a week in November 2023"
    women_count = 200
    population = "involved in selling or exchanging sex or images"

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create:
            self.organisations.set(extracted or [OrganisationFactory()])


class FigureFactory(PublishedFactory):
    class Meta:
        model = Figure

    snapshot = factory.SubFactory(SnapshotFactory)
    slug = factory.Sequence(lambda n: f"figure-{n}")
    measure = factory.Sequence(lambda n: f"measure-{n}")
    title = factory.Sequence(lambda n: f"Figure {n}")
    statement = "{value} disclosed something"
    count = 10
    denominator = 200
    position = factory.Sequence(lambda n: n)


class StudyFactory(Factory):
    class Meta:
        model = Study

    slug = factory.Sequence(lambda n: f"study-{n}")
    name = factory.Sequence(lambda n: f"Study {n}")
    sample_description = "Some."


class StudyFigureFactory(PublishedFactory):
    class Meta:
        model = StudyFigure

    study = factory.SubFactory(StudyFactory)
    slug = factory.Sequence(lambda n: f"sf-{n}")
    statement = "{value} said so"
    published_percentage = 12
