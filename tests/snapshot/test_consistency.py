"""Every figure in the fixtures is computed and checked; disclosure risks are found."""

import pytest

from snapshot import consistency
from snapshot.models import Display, Figure, Study, StudyFigure
from tests.factories import FigureFactory, SnapshotFactory

# slug: what readers see for the value, and whether the source printed another %.
SNAPSHOT_FIGURES = {
    "under-18-when-first-involved": ("31 of 150 women (21%)", True),
    # The source gives no denominator for these: shown as it gives them.
    "images-under-16": ("3 women", False),
    "children-removed": ("32 of 150 women (21%)", False),
    "children-affected": ("51 children and young people", False),
    "children-removed-headline": ("32 of 150 women (21%)", True),
    "domestic-abuse": ("81 of 150 women (54%)", False),
    "domestic-abuse-excluding-tara": ("83%", False),
    "childhood-sexual-abuse": ("35 of 150 women (23%)", True),
    "childhood-sexual-abuse-excluding-tara": ("36%", False),
    "mental-health-issue": ("121 of 150 women (81%)", True),
    "anxiety-or-depression": ("102", False),
}


def kinds_by_slug(findings, kind):
    return {f.figure.slug for f in findings if f.kind == kind}


def snapshot_findings():
    return consistency.check(Figure.objects.select_related("parent"))


def study_findings():
    findings = []
    for study in Study.objects.all():
        findings += consistency.check(study.figures.all())
    return findings


def test_fixtures_hold_exactly_the_figures_checked_here(content):
    assert set(Figure.objects.values_list("slug", flat=True)) == set(SNAPSHOT_FIGURES)


@pytest.mark.parametrize(("slug", "expected"), SNAPSHOT_FIGURES.items())
def test_every_snapshot_figure_is_computed_and_checked(content, slug, expected):
    value, disagrees = expected
    figure = Figure.objects.get(slug=slug)
    assert figure.value == value
    assert figure.disagrees_with_source is disagrees


def test_every_disagreement_in_the_source_is_found(content):
    findings = snapshot_findings()
    assert kinds_by_slug(findings, consistency.ROUNDING) == {
        "under-18-when-first-involved",  # 31 of 150 is 20.7%, printed 20%
        "children-removed-headline",  # 32 of 150 is 21.3%, headline printed 20%
        "childhood-sexual-abuse",  # 35 of 150 is 23.3%, printed 23.5%
        "mental-health-issue",  # 121 of 150 is 80.7%, printed 80%
    }
    message = next(
        f.message for f in findings if f.figure.slug == "mental-health-issue"
    )
    assert "121 of 150 is 80.7%; the source printed 80%" in message
    # Other studies print percentages without counts: nothing to disagree with.
    assert kinds_by_slug(study_findings(), consistency.ROUNDING) == set()


def test_percentages_without_counts_are_reported_as_unchecked(content):
    assert kinds_by_slug(snapshot_findings(), consistency.UNCHECKED) == {
        "domestic-abuse-excluding-tara",
        "childhood-sexual-abuse-excluding-tara",
    }
    unchecked = kinds_by_slug(study_findings(), consistency.UNCHECKED)
    assert {"barrier-financial-support", "canada-child-apprehended"} <= unchecked
    assert len(unchecked) == 8


def test_small_counts_in_the_fixtures_get_a_disclosure_warning(content):
    assert kinds_by_slug(snapshot_findings(), consistency.DISCLOSURE) == {
        "images-under-16"
    }
    assert kinds_by_slug(study_findings(), consistency.DISCLOSURE) == {
        "lotc-children-with-family",
        "lotc-children-both",
    }


@pytest.mark.parametrize(
    ("threshold", "flagged"),
    [
        (3, set()),
        (5, {"images-under-16", "lotc-children-with-family", "lotc-children-both"}),
        (
            6,
            {
                "images-under-16",
                "lotc-children-with-family",
                "lotc-children-both",
                "lotc-children-in-care",
            },
        ),
    ],
)
def test_disclosure_threshold_is_a_setting(content, settings, threshold, flagged):
    settings.SNAPSHOT_DISCLOSURE_THRESHOLD = threshold
    findings = snapshot_findings() + study_findings()
    assert kinds_by_slug(findings, consistency.DISCLOSURE) == flagged


@pytest.mark.parametrize(
    ("parent", "variant", "why"),
    [
        # A variant four short of its parent: "4 women" can be worked out.
        ({"count": 100, "denominator": 200}, {"count": 96}, "leaves 4 women"),
        # A subgroup whose denominator is two short: the excluded group is tiny.
        (
            {"count": 100, "denominator": 200},
            {"count": 80, "denominator": 198},
            "show 2 women left out",
        ),
        # Nearly everyone: the two who did not are identifiable.
        ({"count": 100, "denominator": 200}, {"count": 198}, "leaves 2 women"),
    ],
)
def test_counts_derivable_from_other_figures_get_a_warning(
    no_content, parent, variant, why
):
    snapshot = SnapshotFactory()
    main = FigureFactory(snapshot=snapshot, **parent)
    FigureFactory(snapshot=snapshot, parent=main, **{"denominator": 200, **variant})
    findings = consistency.check(snapshot.figures.select_related("parent"))
    messages = [f.message for f in findings if f.kind == consistency.DISCLOSURE]
    assert any(why in m for m in messages), messages


def test_large_differences_are_not_disclosure_risks(no_content):
    snapshot = SnapshotFactory()
    main = FigureFactory(snapshot=snapshot, count=121, denominator=150)
    FigureFactory(snapshot=snapshot, parent=main, count=102, denominator=150)
    assert consistency.check(snapshot.figures.select_related("parent")) == []


def test_suppressing_resolves_the_warning_but_a_restatement_still_leaks(no_content):
    snapshot = SnapshotFactory()
    main = FigureFactory(
        snapshot=snapshot, count=3, denominator=150, display=Display.SUPPRESSED
    )
    restated = FigureFactory(
        snapshot=snapshot, parent=main, measure=main.measure, count=3, denominator=150
    )
    findings = consistency.check(snapshot.figures.select_related("parent"))
    on_main = [f for f in findings if f.figure == main]
    assert all(f.resolved for f in on_main if "under the disclosure" in f.message)
    assert any("still shows the same count" in f.message for f in on_main)
    restated.display = Display.SUPPRESSED
    restated.save()
    findings = consistency.check(snapshot.figures.select_related("parent"))
    assert all(f.resolved for f in findings)


def test_study_figures_are_checked_apart_from_the_snapshot(content):
    study = Study.objects.get(slug="left-out-in-the-cold")
    findings = consistency.check(study.figures.all())
    assert all(isinstance(f.figure, StudyFigure) for f in findings)
