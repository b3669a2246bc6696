"""Checks an editor needs before figures go out: rounding and disclosure.

Each check looks at one group of figures that are published together (one
Snapshot's figures, or one study's), because a count can only be worked out
from figures a reader sees side by side.
"""

from dataclasses import dataclass

from .models import disclosure_threshold, format_percentage


@dataclass(frozen=True)
class Finding:
    figure: object
    kind: str  # one of KINDS
    message: str
    # A disclosure risk the editor has dealt with by suppressing the figure.
    resolved: bool = False


ROUNDING = "rounding"
UNCHECKED = "unchecked"
DISCLOSURE = "disclosure"
KINDS = {
    ROUNDING: "Printed percentage disagrees with the count",
    UNCHECKED: "Percentage without a count: cannot be checked",
    DISCLOSURE: "Disclosure risk",
}


def rounding_findings(figure):
    if figure.disagrees_with_source:
        computed = format_percentage(figure.percentage, 1)
        printed = format_percentage(
            figure.published_percentage, figure.published_places
        )
        return [
            Finding(
                figure,
                ROUNDING,
                f"{figure.count} of {figure.denominator} is {computed}; the source "
                f"printed {printed}. Readers see "
                f"{format_percentage(figure.percentage)} with the printed figure noted.",
            )
        ]
    if figure.published_percentage is not None and figure.percentage is None:
        return [
            Finding(
                figure,
                UNCHECKED,
                "The source gives this percentage without a count and denominator, "
                "so it is shown as printed and cannot be checked.",
            )
        ]
    return []


def _small(number, threshold):
    return number is not None and 0 < number < threshold


def _derivations(figure):
    """Counts a reader could work out from this figure and the ones beside it."""
    if figure.count is None:
        return
    if figure.denominator:
        yield (
            figure.denominator - figure.count,
            f"{figure.denominator} minus {figure.count} leaves "
            f"{figure.denominator - figure.count} {figure.unit} outside this figure",
        )
    parent = getattr(figure, "parent", None)
    if parent is None or parent.count is None or parent.unit != figure.unit:
        return
    if parent.is_published:
        yield (
            abs(parent.count - figure.count),
            f"'{parent.label}' ({parent.count}) minus this figure ({figure.count}) "
            f"leaves {abs(parent.count - figure.count)} {figure.unit}",
        )
        if parent.denominator and figure.denominator:
            excluded = parent.denominator - figure.denominator
            yield (
                excluded,
                f"the denominators {parent.denominator} and {figure.denominator} "
                f"show {excluded} {figure.unit} left out of this subgroup",
            )


def disclosure_findings(figure, group):
    """Small counts, counts derivable from other figures, and suppression leaks."""
    threshold = disclosure_threshold()
    findings = []
    resolved = figure.is_suppressed
    if _small(figure.count, threshold):
        findings.append(
            Finding(
                figure,
                DISCLOSURE,
                f"A count of {figure.count} is under the disclosure threshold of "
                f"{threshold}: it could identify women.",
                resolved,
            )
        )
    for number, how in _derivations(figure):
        if _small(number, threshold):
            findings.append(
                Finding(
                    figure,
                    DISCLOSURE,
                    f"A small count can be worked out: {how} (under {threshold}).",
                    resolved,
                )
            )
    if figure.is_suppressed and figure.count is not None:
        for other in group:
            same = getattr(other, "measure", other.pk) == getattr(
                figure, "measure", figure.pk
            )
            if (
                other.pk != figure.pk
                and same
                and other.count == figure.count
                and not other.is_suppressed
                and other.is_published
            ):
                findings.append(
                    Finding(
                        figure,
                        DISCLOSURE,
                        f"This figure is suppressed but '{other.label}' still shows "
                        f"the same count: suppress it too.",
                    )
                )
    return findings


def check(figures):
    """Every finding for a group of figures published together, in their order."""
    figures = list(figures)
    findings = []
    for figure in figures:
        findings += rounding_findings(figure)
        findings += disclosure_findings(figure, figures)
    return findings


def findings_by_kind(findings):
    return {
        kind: [f for f in findings if f.kind == kind]
        for kind in (ROUNDING, DISCLOSURE, UNCHECKED)
    }
