"""Text cells a spreadsheet would run as a formula: neutralised in every CSV Debrief writes, and
taken back as typed when a CSV is imported or restored.

A company typed as `=HYPERLINK("http://…","open")`, or any text starting with `+`, `-` or `@`,
is a formula to Excel, LibreOffice and Google Sheets when the CSV is opened there ("CSV
injection"). OWASP's rule: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
gets a single quote in front, which spreadsheets show as text.

Decisions:
- Only text cells are quoted. Numbers, dates and instants are written by DuckDB from typed
  values (a score 1-10, `2026-03-10`, `2026-03-10 09:00:00.000000+00`): they cannot hold a
  formula, and a negative number must stay a number. In the export that means every VARCHAR
  column of `tables/` and every column of `import-format/` (all text there, none starting with
  a sign: scores are 1-10 and rounds 1-50).
- The quote is taken off again by the importer and by restore, so export -> import and
  export -> restore give back exactly what was typed. To keep that exact, text that already
  starts with quotes before a formula character (`'=x`, typed so on purpose) gets one more quote
  on the way out, and exactly one comes off on the way in: a cell is changed only when it matches
  `'*` then a formula character. A cell in someone's own spreadsheet that starts `'=` or `'-`
  is therefore imported without its first quote, the way a spreadsheet itself reads it.
- The same rule is written twice, here for Python and as SQL in lib/sql/own_data.sql
  (`spreadsheet_safe_text`, `spreadsheet_text_as_typed`) for the CSVs DuckDB writes and reads;
  tests/test_export.py checks that both agree.
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
