"""Small builders for tests that need their own content, not the fixtures."""

import itertools

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

_n = itertools.count(1)


def briefing(**kwargs):
    n = next(_n)
    fields = {
        "slug": f"briefing-{n}",
        "title": f"Briefing {n}",
        "summary": "A summary.",
        "author": "Encompass Network",
        "attribution": "Encompass Network, Scotland",
    }
    return Briefing.objects.create(**{**fields, **kwargs})


def reference(**kwargs):
    n = next(_n)
    return ResearchReference.objects.create(
        **{"slug": f"ref-{n}", "title": f"Report {n}", **kwargs}
    )


def section(briefing, **kwargs):
    n = next(_n)
    fields = {
        "slug": f"section-{n}",
        "title": f"Section {n}",
        "body": "Body text.",
        "position": n,
    }
    return Section.objects.create(briefing=briefing, **{**fields, **kwargs})


def quote(source, **kwargs):
    n = next(_n)
    fields = {"slug": f"quote-{n}", "text": f"Words {n}.", "speaker": "Ann"}
    return Quote.objects.create(source=source, **{**fields, **kwargs})


def resource(**kwargs):
    n = next(_n)
    return Resource.objects.create(
        **{"slug": f"res-{n}", "name": f"Resource {n}", **kwargs}
    )


def practice_point(briefing, **kwargs):
    n = next(_n)
    fields = {
        "slug": f"point-{n}",
        "title": f"Point {n}",
        "summary": "Summary.",
        "body": "Body.",
        "position": n,
    }
    point = PracticePoint.objects.create(briefing=briefing, **{**fields, **kwargs})
    audience, _ = Audience.objects.get_or_create(
        slug="everyone", defaults={"name": "Everyone"}
    )
    point.audiences.add(audience)
    return point


def full_practice_point(briefing, source):
    """A practice point with one of every child, to grow a page's content."""
    point = practice_point(briefing)
    Prompt.objects.create(practice_point=point, slug="p", text="Has anyone asked?")
    ReflectiveQuestion.objects.create(
        practice_point=point, slug="r", text="Consider this?"
    )
    practice_list = PracticeList.objects.create(
        practice_point=point, slug="l", title="List"
    )
    PracticeListItem.objects.create(
        practice_list=practice_list, position=1, text="Item"
    )
    point.quotes.add(quote(source))
    point.references.add(source)
    return point


def snapshot(**kwargs):
    n = next(_n)
    fields = {
        "slug": f"snapshot-{n}",
        "title": f"Snapshot {n}",
        "period_month": "2023-11",
        "period_length": "one week",
        "period_label": "a week in November 2023",
        "women_count": 200,
        "population": "involved in selling or exchanging sex or images",
    }
    snap = Snapshot.objects.create(**{**fields, **kwargs})
    snap.organisations.add(
        Organisation.objects.create(slug=f"org-{n}", name=f"Org {n}")
    )
    return snap


def figure(snapshot, **kwargs):
    n = next(_n)
    fields = {
        "slug": f"figure-{n}",
        "measure": f"measure-{n}",
        "title": f"Figure {n}",
        "statement": "{value} disclosed something",
        "count": 10,
        "denominator": 200,
        "position": n,
    }
    return Figure.objects.create(snapshot=snapshot, **{**fields, **kwargs})


def study_figure(**kwargs):
    n = next(_n)
    study = Study.objects.create(
        slug=f"study-{n}", name=f"Study {n}", sample_description="Some."
    )
    return StudyFigure.objects.create(
        study=study,
        slug=f"sf-{n}",
        statement="{value} said so",
        published_percentage=12,
    )


def glossary_term(**kwargs):
    n = next(_n)
    return GlossaryTerm.objects.create(
        **{"term": f"T{n}", "slug": f"t-{n}", "expansion": f"Term {n}", **kwargs}
    )
