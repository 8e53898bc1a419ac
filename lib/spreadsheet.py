"""Text cells a spreadsheet would run as a formula: neutralised in every CSV Debrief writes, and
taken back as typed when a CSV is imported or restored.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a single quote in
front (OWASP's rule against "CSV injection").

Decisions: docs/decisions.md, 'Spreadsheet formulas in CSV files'.
"""
from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def safe_cell(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows as text: a quote in front when it would be a formula."""
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def typed_cell(cell: str) -> str:
    """What was typed, from a cell `safe_cell` may have quoted (the inverse of `safe_cell`)."""
    return cell[1:] if _QUOTED.match(cell) else cell
