"""Cells for CSV downloads that a spreadsheet shows as text and never runs.

Every CSV the site writes (the Snapshot figures, the feedback report) passes
its values through ``csv_cell``.
"""

from decimal import Decimal

# OWASP's advice on CSV injection: a cell starting with one of these would be
# read as a formula (=HYPERLINK(...), =cmd|...), so it gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        # A number the site computed, such as -3 or 12.5: no formula in it.
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
