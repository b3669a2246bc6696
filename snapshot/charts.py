"""Bar charts drawn on the server as inline SVG, with the same numbers as a table.

This module does the arithmetic (bar lengths, label positions, wrapping);
templates/snapshot/includes/bar_chart.html only writes the SVG and table out.
Every bar carries its value as text beside it, so colour never carries meaning.
"""

import math
import textwrap
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.text import slugify
from django.utils.translation import ngettext

from .models import format_percentage

WIDTH = 480
PLOT_LEFT = 20
PLOT_WIDTH = 300
LINE_HEIGHT = 20
BAR_HEIGHT = 22
ROW_GAP = 18
LABEL_CHARS = 44
AXIS_HEIGHT = 36
# A phone draws its own layout: narrower, with shorter label lines, so text
# scaled to a 320 px screen stays at least 12 px high.
NARROW_WIDTH = 320
NARROW_PLOT_WIDTH = 190
NARROW_LABEL_CHARS = 30
# A generous width for a character of a bar's bold 16 px value text, to tell
# whether "121 of 150 (81%)" fits beside its bar inside the drawing.
VALUE_CHAR_WIDTH = 10


@dataclass
class Bar:
    label: str
    value_text: str
    percentage: Decimal | None  # None: nothing to draw (suppressed)
    label_lines: list = field(default_factory=list)
    label_y: int = 0
    bar_y: int = 0
    bar_width: float = 0
    text_x: float = 0
    text_y: int = 0
    # The gridlines run only beside the bar, never through a label.
    grid_top: int = 0
    grid_bottom: int = 0
    href: str = ""
    # Shown under the label wherever the bar's computed percentage differs from
    # the printed one: "(The source briefing printed this as 20%.)".
    note: str = ""


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    bars: list
    columns: list  # table headings
    rows: list  # table rows: lists of cells, same order as bars
    axis_max: int = 100
    height: int = 0
    ticks: list = field(default_factory=list)
    axis_y: int = 0
    width: int = WIDTH
    plot_left: int = PLOT_LEFT
    line_height: int = LINE_HEIGHT
    bar_height: int = BAR_HEIGHT
    axis_label_y: int = 0
    plot_width: int = PLOT_WIDTH
    label_chars: int = LABEL_CHARS
    layout: str = "wide"

    def __post_init__(self):
        self._lay_out()

    @property
    def narrow(self):
        """The same chart laid out for a phone's width."""
        return replace(
            self,
            bars=[replace(bar) for bar in self.bars],
            width=NARROW_WIDTH,
            plot_width=NARROW_PLOT_WIDTH,
            label_chars=NARROW_LABEL_CHARS,
            layout="narrow",
        )

    def _lay_out(self):
        y = 0
        for bar in self.bars:
            bar.label_lines = textwrap.wrap(bar.label, self.label_chars) or [""]
            if bar.note:
                bar.label_lines += textwrap.wrap(f"({bar.note})", self.label_chars)
            bar.label_y = y + 16
            y += LINE_HEIGHT * len(bar.label_lines) + 4
            share = (bar.percentage or 0) / Decimal(self.axis_max)
            bar.bar_width = round(float(share) * self.plot_width, 1)
            beside = PLOT_LEFT + bar.bar_width + 8
            if beside + len(bar.value_text) * VALUE_CHAR_WIDTH <= self.width:
                bar.text_x, bar.text_y = beside, y + 16
            else:
                # No room beside the bar: the value takes a line of its own
                # above it, so it is never cut off at the drawing's edge.
                bar.text_x, bar.text_y = PLOT_LEFT, y + 16
                y += LINE_HEIGHT + 2
            bar.bar_y = y
            bar.grid_top, bar.grid_bottom = y - 4, y + BAR_HEIGHT + 4
            y += BAR_HEIGHT + ROW_GAP
        self.axis_y = y
        if self.bars:
            self.bars[-1].grid_bottom = y  # on down to the scale
        self.axis_label_y = y + 22
        steps = 4
        self.ticks = [
            Tick(
                x=PLOT_LEFT + self.plot_width * i / steps,
                label=f"{self.axis_max * i // steps}%",
            )
            for i in range(steps + 1)
        ]
        self.height = y + AXIS_HEIGHT


def _axis_max(percentages):
    """100% for shares of everyone; a round number above the top bar otherwise."""
    top = max((p for p in percentages if p is not None), default=Decimal(100))
    return 100 if top > 50 else max(20, int(math.ceil(top / 20) * 20))


def _range_sentence(bars):
    drawn = [b for b in bars if b.percentage is not None]
    if not drawn:
        return ""
    high = max(drawn, key=lambda b: b.percentage)
    low = min(drawn, key=lambda b: b.percentage)
    return f" Highest: {_described(high)}. Lowest: {_described(low)}."


def _described(bar):
    # A worked-out percentage is never read out without the printed one.
    note = f" ({bar.note.rstrip('.')})" if bar.note else ""
    return f"{bar.label}, {bar.value_text}{note}"


def snapshot_chart(snapshot, figures):
    """One bar per measure with a count and denominator, in the page's order."""
    seen, bars, rows = set(), [], []
    for figure in figures:
        if figure.count is None or not figure.denominator or figure.measure in seen:
            continue
        seen.add(figure.measure)
        shown = format_percentage(figure.public_percentage)
        value_text = (
            f"{figure.count} of {figure.denominator} ({shown})"
            if not figure.is_suppressed
            else f"{figure.value}: not charted"
        )
        bars.append(
            Bar(
                figure.label,
                value_text,
                figure.public_percentage,
                href=f"#figure-{figure.slug}",
                note=figure.source_note,
            )
        )
        rows.append(
            [
                figure.label,
                figure.count_text,
                str(figure.denominator),
                shown or "not shown",
                figure.printed_percentage
                or ("not shown" if figure.is_suppressed else "not given"),
            ]
        )
    suppressed = sum(b.percentage is None for b in bars)
    note = ""
    if suppressed:
        note = " " + ngettext(
            "%(count)s figure is suppressed to protect anonymity and not charted.",
            "%(count)s figures are suppressed to protect anonymity and not charted.",
            suppressed,
        ) % {"count": suppressed}
    return Chart(
        slug=f"{snapshot.slug}-proportions",
        title=f"{snapshot.title}: share of the women who disclosed each experience",
        description=(
            f"Horizontal bar chart of {len(bars)} figures from the {snapshot.title}, "
            "each the number of women as a percentage of the women counted, on a "
            f"scale from 0 to 100%.{_range_sentence(bars)}{note}"
        ),
        bars=bars,
        columns=["Figure", "Women", "Out of", "Percentage", "Printed in the source"],
        rows=rows,
    )


def study_chart(study, group, figures):
    """A group of another study's percentages, as the study printed them."""
    bars, rows = [], []
    for figure in figures:
        percentage = (
            figure.public_percentage
            if figure.public_percentage is not None
            else figure.public_published_percentage
        )
        value_text = figure.shown_percentage if percentage is not None else figure.value
        bars.append(
            Bar(
                figure.label,
                value_text,
                percentage,
                href=f"#study-figure-{figure.slug}",
            )
        )
        rows.append([figure.label, value_text])
    axis_max = _axis_max([b.percentage for b in bars])
    return Chart(
        slug=f"{study.slug}-{slugify(group)}",
        title=f"{group} ({study.name})",
        description=(
            f"Horizontal bar chart of {len(bars)} percentages as printed by the "
            f"study, on a scale from 0 to {axis_max}%. These are not Encompass "
            f"Snapshot figures. Sample: {study.sample_description}"
            f"{_range_sentence(bars)}"
        ),
        bars=bars,
        columns=[group[:1].upper() + group[1:], "Percentage"],
        rows=rows,
        axis_max=axis_max,
    )


def study_charts(study):
    """A chart for each named group of figures that are all percentages."""
    groups = {}
    for figure in study.figures.all():
        if figure.group:
            groups.setdefault(figure.group, []).append(figure)
    return [
        study_chart(study, group, figures)
        for group, figures in groups.items()
        if len(figures) > 1
        and all(
            f.percentage is not None or f.published_percentage is not None
            for f in figures
        )
    ]
