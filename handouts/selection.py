"""What a handout holds: its items found, checked and grouped for the page.

The address a handout is read from is checked by ``handouts.forms.HandoutForm``;
here its items are found among what is published, and what is not becomes a
notice the page shows, never an error.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.template.defaultfilters import pluralize, slugify
from django.utils import timezone
from django.utils.translation import ngettext

from editorial.changes import latest_changes
from editorial.content import printable_models
from editorial.models import Publishable, Status
from guidance.models import Briefing, Quote, ResearchReference, Resource
from practice_points.models import PracticePoint, Prompt, ReflectiveQuestion
from snapshot.models import Figure, Organisation, Snapshot

MAX_ITEMS = 100
MAX_TITLE = 120
MAX_AUDIENCE = 120
MAX_NOTES = 2000
MAX_ID = 130
MAX_FILTER = 100
DEFAULT_TITLE = "Handout for practitioners"
# Shown instead of the trainer's title on a discreet handout's cover, running
# header and PDF metadata: it names nothing a passer-by could read anything into.
NEUTRAL_TITLE = "Information and support"


# Items that speak to practitioners ("ask the question", example questions to
# ask her): the builder warns when they go on a discreet handout.
PRACTITIONER_KINDS = {"practice-point", "question", "point"}


def kinds():
    """{kind: the builder's heading}, in the order the builder groups them and a
    fresh handout uses: each content model marked ``printable`` (editorial.content),
    its kind named as site search names it."""
    return {kind: label for kind, (label, _) in printable_models().items()}


# Names handout addresses (and saved handouts) used before: still read.
OLD_KINDS = {
    "point": "practice-point",
    "reflection": "reflective-question",
    "reference": "research",
}
ITEM_ID = re.compile(r"^(?P<kind>[a-z-]+):(?P<slug>[-\w]+(?:\.[-\w]+)?)$", re.ASCII)


def current_id(item_id):
    """The id with its kind as the builder names it now (old names still read)."""
    kind, colon, slug = item_id.partition(":")
    return f"{OLD_KINDS[kind]}:{slug}" if colon and kind in OLD_KINDS else item_id


@dataclass
class Handout:
    """A handout as its URL describes it, plus what was wrong with that URL."""

    title: str = ""
    audience: str = ""
    session_date: date | None = None
    notes: str = ""
    discreet: bool = False
    qr: bool = False  # a discreet handout's QR code, only when asked for
    item_ids: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    @property
    def display_title(self):
        if self.discreet:
            return NEUTRAL_TITLE
        return self.title or DEFAULT_TITLE

    @property
    def shows_qr(self):
        # A code on a handout someone must keep private is a way to the site:
        # a discreet one has it only when the practitioner asks.
        return self.qr or not self.discreet

    @property
    def practitioner_voiced(self):
        """Ids of chosen items written to practitioners, not to the woman."""
        return [i for i in self.item_ids if i.partition(":")[0] in PRACTITIONER_KINDS]

    def query_items(self):
        """The handout as (name, value) pairs, in the order that makes its URL."""
        pairs = []
        if self.title:
            pairs.append(("title", self.title))
        if self.audience:
            pairs.append(("audience", self.audience))
        if self.session_date:
            pairs.append(("date", self.session_date.isoformat()))
        if self.notes:
            pairs.append(("notes", self.notes))
        if self.discreet:
            pairs.append(("discreet", "1"))
            if self.qr:
                pairs.append(("qr", "1"))
        pairs.extend(("item", item_id) for item_id in self.item_ids)
        return pairs

    def querystring(self):
        return urlencode(self.query_items())


@dataclass
class Item:
    """One resolved handout item: its id, kind and the published object."""

    id: str
    kind: str
    obj: object


@dataclass
class Block:
    """Consecutive items of one kind, shown together (one list of questions)."""

    kind: str
    items: list

    @property
    def label(self):
        return kinds()[self.kind]


def _split(slug):
    point, _, child = slug.partition(".")
    return point, child


def _fetch(kind, slugs):
    """Published objects of one kind, keyed by the slug used in item ids."""
    if kind == "practice-point":
        points = PracticePoint.objects.published().with_page_content()
        return {p.slug: p for p in points.filter(slug__in=slugs)}
    if kind in {"question", "reflective-question"}:
        model = Prompt if kind == "question" else ReflectiveQuestion
        wanted = Q()
        for point_slug, child_slug in map(_split, slugs):
            wanted |= Q(practice_point__slug=point_slug, slug=child_slug)
        children = (
            model.objects.published()
            .filter(wanted, practice_point__status=Status.PUBLISHED)
            .select_related("practice_point")
        )
        return {f"{c.practice_point.slug}.{c.slug}": c for c in children}
    if kind == "figure":
        figures = (
            Figure.objects.published()
            .filter(slug__in=slugs, snapshot__status=Status.PUBLISHED)
            .select_related("snapshot")
            .prefetch_related(Prefetch("variants", queryset=Figure.objects.published()))
        )
        return {f.slug: f for f in figures}
    if kind == "quote":
        quotes = Quote.objects.published().with_page_content()
        return {q.slug: q for q in quotes.filter(slug__in=slugs)}
    if kind == "organisation":
        # Published organisations, with the published Snapshots they name.
        organisations = Organisation.objects.published().filter(slug__in=slugs)
        organisations = organisations.prefetch_related(
            Prefetch("snapshots", queryset=Snapshot.objects.published())
        )
        return {o.slug: o for o in organisations}
    # Any other printable kind: its published items by slug.
    return {item.slug: item for item in _published(kind).filter(slug__in=slugs)}


def _published(kind):
    model = printable_models()[kind][1]
    items = model._default_manager.all()
    return items.published() if issubclass(model, Publishable) else items


def _inside_points(items):
    """Ids of questions and quotes already shown inside a chosen practice point."""
    inside = {}
    for item in items:
        if item.kind != "practice-point":
            continue
        point = item.obj
        for prompt in point.prompts.all():
            inside[f"question:{point.slug}.{prompt.slug}"] = point
        for question in point.reflective_questions.all():
            inside[f"reflective-question:{point.slug}.{question.slug}"] = point
        for quote in point.quotes.all():
            inside.setdefault(f"quote:{quote.slug}", point)
    return inside


def resolve(handout):
    """The handout's published items in its order; the rest become notices.

    One query per kind of item chosen (plus a practice point's prefetches), so
    the cost does not grow with the number of items.
    """
    wanted = {}
    for item_id in handout.item_ids:
        kind, _, slug = item_id.partition(":")
        wanted.setdefault(kind, []).append(slug)
    found = {kind: _fetch(kind, slugs) for kind, slugs in wanted.items()}

    items, missing = [], []
    for item_id in handout.item_ids:
        kind, _, slug = item_id.partition(":")
        obj = found[kind].get(slug)
        if obj is None:
            missing.append(item_id)
        else:
            items.append(Item(item_id, kind, obj))
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        handout.notices.append(
            ngettext(
                "%(count)s chosen item is not published (or no longer exists) and "
                "was left out: %(shown)s.",
                "%(count)s chosen items are not published (or no longer exist) and "
                "were left out: %(shown)s.",
                len(missing),
            )
            % {"count": len(missing), "shown": shown}
        )

    inside = _inside_points(items)
    kept = []
    for item in items:
        point = inside.get(item.id)
        if point is not None:
            handout.notices.append(
                f"“{item.obj}” is already part of the practice point "
                f"“{point.title}”, so it is shown there only."
            )
        else:
            kept.append(item)
    return kept


def blocks(items):
    """Group runs of one kind so, say, three questions share one list, under
    their kind's heading (a quote after figures is never read as a figure)."""
    grouped = []
    for item in items:
        joins = item.kind != "practice-point"
        if grouped and joins and grouped[-1].kind == item.kind:
            grouped[-1].items.append(item.obj)
        else:
            grouped.append(Block(item.kind, [item.obj]))
    return grouped


def summary(item_ids):
    """What is chosen, kind by kind in the builder's order: [(heading, count)]."""
    counts = {}
    for item_id in item_ids:
        kind = item_id.partition(":")[0]
        counts[kind] = counts.get(kind, 0) + 1
    return [(label, counts[kind]) for kind, label in kinds().items() if kind in counts]


def content_date(items):
    """The newest recorded date among what the handout shows, to stamp on copies.

    Only real events count: an edit saved with a change note (to an item or to
    what it shows with it, as its page counts them) or a review an editor
    recorded. Content as loaded has no date, and then none is printed.
    """
    dates = [
        item.obj.last_reviewed
        for item in items
        if item.kind == "practice-point" and item.obj.last_reviewed
    ]
    ids_by_model = {}
    for item in items:
        ids_by_model.setdefault(type(item.obj), []).append(item.obj.pk)
    # One query however many items and kinds the handout shows.
    dates += [
        timezone.localdate(changed) for changed in latest_changes(ids_by_model).values()
    ]
    return max(dates, default=None)


@dataclass
class Option:
    id: str
    label: str
    detail: str = ""
    note: str = ""  # e.g. a figure's "The source briefing printed this as 20%."
    # What a practice point brings with it, or the point a question comes with.
    comes_with: str = ""
    briefing: object = None  # the briefing it comes from, for its own items
    html_id: str = ""
    # As one builder page lists it (a copy: the catalogue is shared).
    position: int | None = None  # its place on the handout, when chosen
    hidden: bool = False  # not among the items the list is narrowed to
    kept: bool = False  # chosen from a briefing the builder is not showing

    def matches(self, text):
        """Whether the option's words contain ``text`` (any case)."""
        words = " ".join((self.label, self.detail, self.note, self.comes_with))
        words = words.casefold()
        return text.casefold() in words


@dataclass
class Group:
    kind: str
    label: str
    options: list
    # In a library, as listed: [(briefing or None, options)], briefing by briefing.
    by_briefing: list = field(default_factory=list)
    # Chosen items the list leaves out (from other briefings), sent unseen.
    kept: list = field(default_factory=list)

    @property
    def shown(self):
        return sum(not option.hidden for option in self.options)


@dataclass
class Catalogue:
    """Every item a trainer can choose, and the published briefings in order."""

    groups: list
    briefings: list

    def scope(self, slug, item_ids):
        """The briefing whose items the builder lists, in a library of several.

        The one asked for; else the briefing of the first chosen item that has
        one (a ready-made handout being adapted); else the first. None with one
        briefing: the builder lists everything.
        """
        if len(self.briefings) < 2:
            return None
        by_slug = {briefing.slug: briefing for briefing in self.briefings}
        if slug in by_slug:
            return by_slug[slug]
        for item_id in item_ids:
            if self.owners.get(item_id) in by_slug:
                return by_slug[self.owners[item_id]]
        return self.briefings[0]

    def chosen_by_briefing(self, item_ids):
        """How many chosen items each briefing holds: {slug: count}."""
        counts = {}
        for item_id in item_ids:
            if item_id in self.owners:
                slug = self.owners[item_id]
                counts[slug] = counts.get(slug, 0) + 1
        return counts

    @cached_property
    def owners(self):
        """Each item of a briefing's own, by id: {item id: briefing slug}."""
        return {
            option.id: option.briefing.slug
            for group in self.groups
            for option in group.options
            if option.briefing
        }

    def listing(self, item_ids, text="", scope=None):
        """The groups as one builder page lists them.

        With a ``scope``, another briefing's items are left out (a library's
        builder would list thousands), but the chosen ones are kept, unseen,
        so the handout keeps them. With ``text``, the items without it are
        hidden. Chosen items are numbered in their handout order.
        """
        positions = {item_id: n for n, item_id in enumerate(item_ids, start=1)}
        published = {briefing.pk for briefing in self.briefings}
        groups = []
        for group in self.groups:
            listed, kept = [], []
            for option in group.options:
                position = positions.get(option.id)
                elsewhere = (
                    scope is not None
                    and option.briefing is not None
                    and option.briefing.pk in published
                    and option.briefing.pk != scope.pk
                )
                if elsewhere and position is None:
                    continue
                hidden = elsewhere or (bool(text) and not option.matches(text))
                shown = replace(
                    option, position=position, hidden=hidden, kept=elsewhere
                )
                (kept if elsewhere else listed).append(shown)
            # In a library, the listed items under their briefings' titles.
            by_briefing = []
            if scope is not None and any(o.briefing for o in group.options):
                by_briefing = _by_briefing(listed, self.briefings)
            groups.append(
                replace(group, options=listed, by_briefing=by_briefing, kept=kept)
            )
        return groups


def _by_briefing(options, briefings):
    """Options grouped under their briefings, in the briefings' order; those
    the briefings share last, under None."""
    order = {briefing.pk: n for n, briefing in enumerate(briefings)}
    groups = {}
    for option in options:
        groups.setdefault(option.briefing and option.briefing.pk, []).append(option)
    keys = sorted(groups, key=lambda pk: order.get(pk, len(order)))
    return [(groups[pk][0].briefing, groups[pk]) for pk in keys]


def _questions_inside(point, prompts, reflections):
    """What a practice point prints with it, said beside it in the builder."""
    counts = [
        (sum(p.practice_point_id == point.pk for p in prompts), "example question"),
        (
            sum(q.practice_point_id == point.pk for q in reflections),
            "reflective question",
        ),
    ]
    brought = [f"{n} {name}{pluralize(n)}" for n, name in counts if n]
    if not brought:
        return ""
    return f"Comes with its {' and '.join(brought)}."


def _question_option(kind, question):
    point = question.practice_point
    return Option(
        f"{kind}:{point.slug}.{question.slug}",
        question.text,
        f"From “{point.title}”",
        comes_with="Already printed with that practice point if you choose it.",
        briefing=point.briefing,
    )


def catalogue():
    """Everything published a trainer can put on a handout, grouped by kind,
    with the published briefings."""
    points = PracticePoint.objects.published().select_related("briefing")
    prompts = (
        Prompt.objects.published()
        .filter(practice_point__status=Status.PUBLISHED)
        .select_related("practice_point__briefing")
    )
    reflections = (
        ReflectiveQuestion.objects.published()
        .filter(practice_point__status=Status.PUBLISHED)
        .select_related("practice_point__briefing")
    )
    figures = (
        Figure.objects.published()
        .filter(parent=None, snapshot__status=Status.PUBLISHED)
        .select_related("snapshot")
    )
    prompts, reflections = list(prompts), list(reflections)
    options = {
        "practice-point": [
            Option(
                f"practice-point:{p.slug}",
                p.title,
                p.summary,
                comes_with=_questions_inside(p, prompts, reflections),
                briefing=p.briefing,
            )
            for p in points
        ],
        "question": [_question_option("question", p) for p in prompts],
        "reflective-question": [
            _question_option("reflective-question", q) for q in reflections
        ],
        "figure": [
            Option(f"figure:{f.slug}", f.title, f.text, f.source_note) for f in figures
        ],
        "quote": [
            Option(
                f"quote:{q.slug}",
                q.text,
                f"{q.speaker}, {q.source.title}",
                # Not a draft briefing's title: its quote stays among the shared.
                briefing=q.section.briefing
                if q.section and q.section.briefing.is_published
                else None,
            )
            for q in Quote.objects.published()
            .with_page_content()
            .select_related("section__briefing")
        ],
        "resource": [
            Option(f"resource:{r.slug}", r.name, r.description)
            for r in Resource.objects.published()
        ],
        "organisation": [
            Option(
                f"organisation:{o.slug}",
                o.name,
                " · ".join(part for part in (o.area, o.about) if part),
            )
            for o in Organisation.objects.published()
        ],
        "research": [
            Option(
                f"research:{r.slug}",
                r.title,
                ", ".join(str(x) for x in (r.author, r.year) if x),
            )
            for r in ResearchReference.objects.published()
        ],
    }
    groups = [
        Group(kind, label, options[kind] if kind in options else _options(kind))
        for kind, label in kinds().items()
    ]
    # Unique however slugs slugify, and the same wherever a group shows it.
    numbered = enumerate(o for group in groups for o in group.options)
    for n, option in numbered:
        option.html_id = f"item-{slugify(option.id)}-{n}"
    return Catalogue(groups, list(Briefing.objects.published()))


def _options(kind):
    return [Option(f"{kind}:{item.slug}", str(item)) for item in _published(kind)]
