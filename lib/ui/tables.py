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


def score_column(label: str = "Score"):
    """A self-score 1–10: narrow, and pinned so that it stays in view when the table scrolls sideways."""
    return st.column_config.NumberColumn(label, format="%d", width="small", pinned=True)
