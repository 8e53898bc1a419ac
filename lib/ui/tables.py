"""How the pages show a table: the score where the eye lands first, days as days, an empty cell as "—".

st.dataframe shows a missing value as a grey "None" and a date held as a timestamp as
"2026-12-01 00:00:00"; `shown` turns both into what a person writes. Days become ISO text
("2026-12-01", as the date pickers and the import files write them), which still sorts by date.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

EMPTY = "—"


def days(values) -> pd.Series:
    """Dates (or timestamps at midnight) as 'YYYY-MM-DD', a missing one as EMPTY."""
    parsed = pd.to_datetime(pd.Series(values), errors="coerce")
    return parsed.dt.strftime("%Y-%m-%d").fillna(EMPTY).astype(object)


def text(values) -> pd.Series:
    """Text with a missing or blank cell as EMPTY."""
    series = pd.Series(values, dtype=object)
    return series.map(lambda value: EMPTY if value is None or (isinstance(value, float) and pd.isna(value))
                      or (isinstance(value, str) and not value.strip()) else value)


def shown(frame: pd.DataFrame, *, dates=(), texts=()) -> pd.DataFrame:
    """A copy of `frame` with `dates` as days and `texts` with EMPTY in their blank cells."""
    out = frame.copy()
    for column in dates:
        out[column] = days(out[column]).to_numpy()
    for column in texts:
        out[column] = text(out[column]).to_numpy()
    return out


def markdown_table(frame: pd.DataFrame, *, days=()) -> str:
    """`frame` as a Markdown table, header and cells shown exactly as typed (lib.ui.inert): a plain
    HTML table, for a short list read top to bottom, without the browser code st.dataframe (1.3 MB)
    and st.table (1 MB of Arrow) load on a page's first visit (docs/performance.md). The `days`
    columns ('2026-12-01') get non-breaking hyphens, so that a narrow column does not split a day."""
    from . import inert
    frame = frame.assign(**{column: frame[column].str.replace("-", "\u2011") for column in days})
    lines = ["| " + " | ".join(inert(column) for column in frame.columns) + " |",
             "|" + " --- |" * len(frame.columns)]
    lines += ["| " + " | ".join(inert(cell) for cell in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def score_column(label: str = "Score"):
    """A self-score 1–10: narrow, and pinned so that it stays in view when the table scrolls sideways."""
    return st.column_config.NumberColumn(label, format="%d", width="small", pinned=True)
