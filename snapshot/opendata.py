"""Snapshot figures as CSV and JSON rows, built only from what readers may see."""

from decimal import Decimal

from django.conf import settings

from .models import disclosure_threshold

FIGURE_COLUMNS = [
    "snapshot", "measure", "slug", "title", "text", "note", "qualifier", "count",
    "denominator", "unit", "percentage", "published_percentage", "disagrees_with_source", "subgroup",
    "parent", "display", "source", "source_url",
]  # fmt: skip
STUDY_COLUMNS = [
    "study", "sample", "group", "slug", "label", "text", "note", "qualifier", "count",
    "denominator", "unit", "percentage", "published_percentage", "display", "source", "source_url",
]  # fmt: skip


def _one_place(value):
    """Computed percentages to one decimal place: precise enough to check."""
    return None if value is None else value.quantize(Decimal("0.1"))


def _source(reference, absolute, note=""):
    if reference is None:
        return {"source": note, "source_url": ""}
    return {
        "source": reference.title,
        "source_url": reference.url or absolute(reference.get_absolute_url()),
    }


def _values(figure):
    return {
        "text": figure.text,
        # Beside a percentage worked out here, the one the source printed.
        "note": figure.source_note,
        # "less than", "about": part of the value, never dropped from the data.
        "qualifier": figure.qualifier,
        "count": figure.public_count,
        "denominator": figure.denominator,
        "unit": figure.unit,
        "percentage": _one_place(figure.public_percentage),
        "published_percentage": figure.public_published_number,
        "display": figure.display,
    }


def _in_column_order(rows, columns):
    # JSON rows keep their keys' order: make it the documented columns' order.
    return [{column: row[column] for column in columns} for row in rows]


def figure_rows(snapshot, figures, absolute):
    """One row per figure; `absolute` turns a path into a full URL."""
    source = _source(snapshot.reference, absolute)
    rows = [
        {
            "snapshot": snapshot.slug,
            "measure": figure.measure,
            "slug": figure.slug,
            "title": figure.title,
            **_values(figure),
            "disagrees_with_source": figure.disagrees_with_source
            and not figure.is_suppressed,
            "subgroup": figure.subgroup,
            "parent": figure.parent.slug if figure.parent_id else "",
            **source,
        }
        for figure in figures
    ]
    return _in_column_order(rows, FIGURE_COLUMNS)


def study_rows(studies, absolute):
    rows = [
        {
            "study": study.name,
            "sample": study.sample_description,
            "group": figure.group,
            "slug": figure.slug,
            "label": figure.label,
            **_values(figure),
            **_source(study.reference, absolute, study.source_note),
        }
        for study in studies
        for figure in study.figures.all()
    ]
    return _in_column_order(rows, STUDY_COLUMNS)


def citation(snapshot, url):
    reference = snapshot.reference
    parts = []
    if reference is not None:
        author = f"{reference.author} " if reference.author else ""
        year = f"({reference.year}) " if reference.year else ""
        parts.append(f"{author}{year}{reference.title}".strip() + ".")
    parts.append(f"{snapshot.title}, {snapshot.period_label}.")
    parts.append(f"Figures published by {settings.SITE_NAME}: {url}")
    return " ".join(parts)


def snapshot_metadata(snapshot, absolute):
    return {
        "slug": snapshot.slug,
        "title": snapshot.title,
        "period_month": snapshot.period_month,
        "period_length": snapshot.period_length,
        "period_label": snapshot.period_label,
        "women_count": snapshot.women_count,
        "population": snapshot.population,
        "organisations": [
            {"name": o.name, "area": o.area} for o in snapshot.organisations.all()
        ],
        "url": absolute(snapshot.get_absolute_url()),
        "disclosure_threshold": disclosure_threshold(),
        "notes": (
            "percentage is computed from count and denominator (one decimal place); "
            "published_percentage is as printed in the source. Suppressed figures "
            "(display 'suppressed') have no count or percentage, to protect anonymity."
        ),
    }


def json_value(value):
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and value.as_tuple().exponent >= 0
            else float(value)
        )
    return value
