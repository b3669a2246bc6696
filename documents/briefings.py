"""Between the database and a ``BriefingDocument``: export and the create step of import."""

from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from editorial.models import Status
from guidance.models import Briefing, ResearchReference
from guidance.models import Quote as QuoteModel
from guidance.models import Section as SectionModel
from practice_points.models import (
    PracticeList,
    PracticeListItem,
    PracticePoint,
    Prompt,
    ReflectiveQuestion,
)

from . import structure


class SlugTaken(Exception):
    pass


def _quote(quote):
    return structure.Quote(
        text=quote.text, speaker=quote.speaker, source=quote.source.title
    )


def document_from_briefing(briefing, published_only):
    """The briefing as a document: readers get what is published, editors all of it.

    A fixed number of queries, however long the briefing.
    """

    def rows(model):
        return model.objects.published() if published_only else model.objects.all()

    quotes = rows(QuoteModel).filter(withdrawn_at=None).select_related("source")
    sections = (
        rows(SectionModel)
        .filter(briefing=briefing)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("quotes", queryset=quotes))
    )
    points = (
        rows(PracticePoint)
        .filter(briefing=briefing)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("lists", queryset=rows(PracticeList).prefetch_related("items")),
            Prefetch("prompts", queryset=rows(Prompt)),
            Prefetch("reflective_questions", queryset=rows(ReflectiveQuestion)),
            Prefetch("quotes", queryset=quotes),
        )
    )
    doc = structure.BriefingDocument(
        title=briefing.title, author=briefing.author, intro=briefing.summary.strip()
    )
    for section in sections:
        doc.sections.append(
            structure.Section(
                title=section.title,
                part=section.part,
                body=section.body.strip(),
                quotes=[_quote(q) for q in section.quotes.all()],
            )
        )
    for point in points:
        doc.practice_points.append(
            structure.PracticePoint(
                title=point.title,
                summary=point.summary.strip(),
                body=point.body.strip(),
                lists=[
                    structure.PracticeList(
                        title=pl.title,
                        intro=pl.intro.strip(),
                        items=[item.text for item in pl.items.all()],
                    )
                    for pl in point.lists.all()
                ],
                prompts=[p.text for p in point.prompts.all()],
                reflective_questions=[q.text for q in point.reflective_questions.all()],
                quotes=[_quote(q) for q in point.quotes.all()],
                closing=point.closing.strip(),
            )
        )
    return doc


def short_slug(text, max_length=50):
    """A slug of ``text`` cut at a word, to fit a SlugField."""
    slug = slugify(text)
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0]
    return slug[:max_length].strip("-")


def _unique(model, base, max_length=50, **within):
    base = short_slug(base, max_length - 4) or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug, **within).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def new_sources(doc):
    """The quotes' sources that match no research reference: made as drafts."""
    titles = {
        quote.source
        for item in [*doc.sections, *doc.practice_points]
        for quote in item.quotes
    }
    known = {
        title.lower()
        for title in ResearchReference.objects.values_list("title", flat=True)
    }
    return sorted(title for title in titles if title.lower() not in known)


class _Creator:
    def __init__(self, note, user):
        self.note, self.user = note, user
        self.quotes = {}
        self.sources = {}

    def save(self, obj):
        # Drafts, with the change note every import records in the history.
        if hasattr(obj, "status"):
            obj.status = Status.DRAFT
        obj._change_reason = self.note
        if self.user is not None:
            obj._history_user = self.user
        obj.save()
        return obj

    def source(self, title):
        if title not in self.sources:
            found = ResearchReference.objects.filter(title__iexact=title).first()
            self.sources[title] = found or self.save(
                ResearchReference(
                    slug=_unique(ResearchReference, title),
                    title=title[:300],
                    in_research_list=False,
                )
            )
        return self.sources[title]

    def quote(self, quote, section=None):
        """One Quote for the same words and speaker, wherever they appear."""
        key = (quote.text, quote.speaker, quote.source)
        if key not in self.quotes:
            position = len(self.quotes) + 1
            self.quotes[key] = self.save(
                QuoteModel(
                    slug=_unique(QuoteModel, f"{quote.speaker} {quote.text[:40]}"),
                    text=quote.text,
                    speaker=quote.speaker[:100],
                    source=self.source(quote.source),
                    section=section,
                    position=position,
                )
            )
        return self.quotes[key]


def create_briefing(doc, slug, filename, user=None):
    """Everything in ``doc`` as drafts, in one transaction; returns the briefing."""
    note = f"Imported from {filename}"
    make = _Creator(note, user)
    with transaction.atomic():
        if Briefing.objects.filter(slug=slug).exists():
            raise SlugTaken(slug)
        briefing = make.save(
            Briefing(
                slug=slug,
                title=doc.title[:200],
                summary=doc.intro,
                author=doc.author[:200],
                attribution=doc.author[:300],
                position=Briefing.objects.count() + 1,
            )
        )
        for position, section in enumerate(doc.sections, start=1):
            row = make.save(
                SectionModel(
                    briefing=briefing,
                    slug=_unique(SectionModel, section.title, briefing=briefing),
                    title=section.title[:300],
                    part=section.part[:300],
                    position=position,
                    body=section.body,
                )
            )
            for quote in section.quotes:
                make.quote(quote, section=row)
        for position, point in enumerate(doc.practice_points, start=1):
            row = make.save(
                PracticePoint(
                    briefing=briefing,
                    slug=_unique(PracticePoint, point.title),
                    title=point.title[:200],
                    position=position,
                    summary=point.summary,
                    body=point.body,
                    closing=point.closing,
                )
            )
            for n, practice_list in enumerate(point.lists, start=1):
                list_row = make.save(
                    PracticeList(
                        practice_point=row,
                        slug=_unique(
                            PracticeList, practice_list.title, practice_point=row
                        ),
                        title=practice_list.title[:200],
                        intro=practice_list.intro,
                        position=n,
                    )
                )
                for i, text in enumerate(practice_list.items, start=1):
                    make.save(
                        PracticeListItem(practice_list=list_row, position=i, text=text)
                    )
            for model, texts in (
                (Prompt, point.prompts),
                (ReflectiveQuestion, point.reflective_questions),
            ):
                for n, text in enumerate(texts, start=1):
                    make.save(
                        model(
                            practice_point=row,
                            slug=_unique(model, text[:40], practice_point=row),
                            text=text,
                            position=n,
                        )
                    )
            row.quotes.set([make.quote(q) for q in point.quotes])
    return briefing
