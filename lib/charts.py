"""DataFrame -> Plotly figure, for the dashboard: pure functions, no Streamlit, no database.

One look in light and dark themes; titles and hover text speak the user's words, and user text
that reaches a chart is HTML-escaped.

Decisions: docs/decisions.md, 'Charts'.
"""
from __future__ import annotations

import datetime as dt
import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import rules
from .debriefs import CATEGORIES
from .words import hours

SCORE = "#3b82f6"      # blue: interview means
TREND = "#f59e0b"      # amber: the trend line
FAINT = "rgba(148, 163, 184, 0.35)"  # slate, see-through: individual answers
BAND = "rgba(34, 197, 94, 0.18)"     # green: the target band
LATE, MISSED = "#f59e0b", "#ef4444"
NOT_DUE = "rgba(148, 163, 184, 0.6)"  # slate: nothing is wrong yet
# Mid-tones, pairwise CIE76 distance 43 or more (tests/test_charts.py checks 40).
PALETTE = ("#3b82f6", "#f28e2b", "#2ca02c", "#d62728", "#7c3aed", "#56b4e9", "#e377c2", "#bcbd22", "#8c564b",
           "#0f766e")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "triangle-down", "star", "pentagon", "hexagon",
           "cross")
UNCATEGORISED = "uncategorised"  # lib/sql/dashboard.sql names a question without a category so
CATEGORY_COLOURS = dict(zip((*CATEGORIES, UNCATEGORISED), PALETTE))
SCORE_AXIS = dict(range=[0.5, 10.5], dtick=1, title="Self-score (1–10)")
MODEBAR_STRIP = 30  # px at the top kept free for Plotly's toolbar
TITLE_HEIGHT = 30
LEGEND_BELOW = dict(orientation="h", yanchor="top", y=-0.14, xanchor="left", x=0, title_text="")
SHORTEST_DATE_SPAN = dt.timedelta(days=28)  # a date axis never spans less


def _look(figure: go.Figure, title: str, *, height: int = 360) -> go.Figure:
    figure.update_layout(title=dict(text=title, x=0, xanchor="left", xref="container", y=1, yanchor="top",
                                    yref="container", pad=dict(t=MODEBAR_STRIP, l=10)),
                         height=height, margin=dict(l=10, r=10, t=MODEBAR_STRIP + TITLE_HEIGHT + 10, b=10),
                         hovermode="closest", paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                         legend=LEGEND_BELOW)
    return figure


def readable_dates(days, *, shortest: dt.timedelta = SHORTEST_DATE_SPAN, tickformat: str = "%d %b",
                   nticks: int = 4) -> dict:
    """x-axis settings for dates that span less than `shortest` (one day, say): a range of `shortest`
    around them and date-only ticks, where Plotly would zoom in to milliseconds. {} otherwise."""
    days = pd.to_datetime(pd.Series(days, dtype=object)).dropna()
    if days.empty:
        return {}
    first, last = days.min(), days.max()
    if last - first >= shortest:
        return {}
    middle = first + (last - first) / 2
    return dict(range=[middle - shortest / 2, middle + shortest / 2], tickformat=tickformat, nticks=nticks, tickangle=0)


def month_columns(months) -> tuple[pd.DatetimeIndex, list[str]]:
    """Every month from the first to the last of `months`, and short labels that don't run together:
    'Mar 2026' while there are six months or fewer, else 'Mar' with the year under January and the
    first month; past twelve months, only every second or third month is named."""
    months = pd.to_datetime(pd.Series(months, dtype=object)).dt.to_period("M")
    every = pd.period_range(months.min(), months.max(), freq="M").to_timestamp()
    if len(every) <= 6:
        return every, [f"{m:%b %Y}" for m in every]
    step = int(np.ceil(len(every) / 12))
    labels = []
    for position, month in enumerate(every):
        if position % step:
            labels.append("")
        elif position == 0 or month.month <= step:
            labels.append(f"{month:%b}<br>{month:%Y}")
        else:
            labels.append(f"{month:%b}")
    return every, labels


def safe(text) -> str:
    """User text made inert for Plotly labels."""
    return html.escape("" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text))


def point_count(figure: go.Figure) -> int:
    """How many points a figure ships to the browser (cells for a heatmap)."""
    total = 0
    for trace in figure.data:
        if getattr(trace, "z", None) is not None:
            total += int(np.size(trace.z))
        elif getattr(trace, "x", None) is not None:
            total += len(trace.x)
    return total


def scores_over_time(points: pd.DataFrame, cloud: pd.DataFrame, trend: pd.DataFrame) -> go.Figure:
    """Interview means by date, each answer's score faint behind them, and the 30-day trend."""
    figure = go.Figure()
    if not cloud.empty:
        figure.add_scatter(
            x=cloud["day"], y=cloud["score"], mode="markers", name="Each answer",
            marker=dict(color=FAINT, size=np.clip(4 + 3 * np.sqrt(cloud["answers"]), 5, 22), line_width=0),
            customdata=cloud["answers"], hovertemplate="%{customdata} answer(s) scored %{y} on %{x|%d %b %Y}<extra></extra>")
    if not points.empty:
        figure.add_scatter(
            x=points["day"], y=points["mean_score"], mode="markers", name="Interview average",
            marker=dict(color=SCORE, size=9), customdata=np.stack([points["label"].map(safe), points["interviews"]], axis=-1),
            hovertemplate="%{customdata[0]}<br>%{x|%a %d %b %Y}: average %{y:.1f}<extra></extra>")
    if not trend.empty:
        figure.add_scatter(x=trend["day"], y=trend["trend"], mode="lines", name="30-day average",
                           line=dict(color=TREND, width=3, shape="spline", smoothing=0.6),
                           hovertemplate="30-day average on %{x|%d %b %Y}: %{y:.1f}<extra></extra>")
    figure.update_yaxes(**SCORE_AXIS)
    figure.update_xaxes(**readable_dates(points["day"]))
    return _look(figure, "Your self-scores over time")


def category_scores(frame: pd.DataFrame) -> go.Figure:
    """Mean self-score per question category, month by month: one colour and marker per kind."""
    figure = go.Figure()
    for index, (category, rows) in enumerate(frame.groupby("category", sort=True)):
        colour = CATEGORY_COLOURS.get(category, PALETTE[index % len(PALETTE)])
        name = safe(category).capitalize()
        figure.add_scatter(
            x=rows["month"], y=rows["mean_score"], mode="lines+markers", name=name,
            line=dict(color=colour, width=2), marker=dict(color=colour, size=8, symbol=SYMBOLS[index % len(SYMBOLS)]),
            customdata=rows["answers"],
            hovertemplate=f"{name}<br>%{{x|%b %Y}}: average %{{y:.1f}} over %{{customdata}} answer(s)<extra></extra>")
    figure.update_yaxes(**SCORE_AXIS)
    months = frame["month"].nunique()
    # One tick a month while six fit, else every second or third month: "Mar 2026" labels never touch.
    figure.update_xaxes(**(readable_dates(frame["month"], shortest=dt.timedelta(days=92), tickformat="%b %Y")
                           or dict(tickformat="%b %Y", dtick=f"M{max(1, int(np.ceil(months / 6)))}")))
    # At phone width the key takes one row per kind, under the plot: the height leaves the plot room.
    return _look(figure, "Average self-score by kind of question", height=440)


PRACTICE = "#10b981"   # green: practice attempts, never mixed with interview scores


def practice_vs_interview(answers: pd.DataFrame, attempts: pd.DataFrame, question: str) -> go.Figure:
    """One question's scores in interviews (left) and in practice (right): two panels, never one line.

    `answers`: day, score, company (lib/dashboard.group_answers); `attempts`: practiced_on, score."""
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.6, 0.4], horizontal_spacing=0.06,
                           subplot_titles=("In interviews", "In practice"))
    answers = answers.sort_values("day")
    figure.add_scatter(x=pd.to_datetime(answers["day"]), y=answers["score"], mode="lines+markers", name="Interview",
                       line=dict(color=SCORE, width=1), marker=dict(color=SCORE, size=9),
                       customdata=answers["company"].map(safe),
                       hovertemplate="%{customdata}, %{x|%d %b %Y}: %{y}<extra></extra>", row=1, col=1)
    attempts = attempts.sort_values("practiced_on")
    figure.add_scatter(x=pd.to_datetime(attempts["practiced_on"]), y=attempts["score"], mode="markers",
                       name="Practice", marker=dict(color=PRACTICE, size=11, symbol="diamond"),
                       hovertemplate="Practice, %{x|%d %b %Y}: %{y}<extra></extra>", row=1, col=2)
    figure.update_xaxes(**(readable_dates(answers["day"]) or dict(tickformat="%d %b")), row=1, col=1)
    figure.update_xaxes(**(readable_dates(attempts["practiced_on"], nticks=3) or dict(tickformat="%d %b")),
                        row=1, col=2)
    if attempts.empty:
        figure.add_annotation(text="No practice yet", showarrow=False, xref="x2 domain", yref="y2 domain",
                              x=0.5, y=0.5, font=dict(color="#64748b"))
        figure.update_xaxes(showticklabels=False, row=1, col=2)
    figure.update_yaxes(**SCORE_AXIS, row=1, col=1)
    figure.update_yaxes(range=SCORE_AXIS["range"], dtick=1, row=1, col=2)
    figure.update_layout(showlegend=False)
    return _look(figure, safe(question), height=280)


def active_applications(frame: pd.DataFrame, band: tuple[int, int]) -> go.Figure:
    """Applications active each day as a step line, the target band shaded behind it."""
    low, high = band
    figure = go.Figure()
    figure.add_hrect(y0=low, y1=high, fillcolor=BAND, line_width=0, layer="below",
                     annotation_text=f"Target {low}–{high}", annotation_position="top left")
    figure.add_scatter(x=frame["day"], y=frame["active"], mode="lines", name="Active applications",
                       line=dict(color=SCORE, width=2.5, shape="hv"),
                       hovertemplate="%{x|%a %d %b %Y}: %{y} active<extra></extra>")
    top = max(int(frame["active"].max()) if not frame.empty else 0, high) + 1
    figure.update_yaxes(range=[0, top], dtick=1 if top <= 12 else None, title="Active applications")
    return _look(figure, "Applications running at once")


def reflections(frame: pd.DataFrame, kind_title: str) -> go.Figure:
    """A heatmap: the items noted most often (rows) by month (columns, every month from the first
    to the last), coloured by how many interviews noted them, with the colour key below."""
    frame = frame.assign(month=pd.to_datetime(frame["month"]).dt.to_period("M").dt.start_time)
    table = frame.pivot_table(index="item", columns="month", values="interviews", aggfunc="sum", fill_value=0)
    months, ticks = month_columns(table.columns)
    table = table.reindex(columns=months, fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=True).index]  # most frequent at the top
    labels = [_two_lines(str(item)) for item in table.index]
    full = np.array([[f"{safe(item)}<br>{month:%b %Y}" for month in months] for item in table.index])
    most = max(int(table.to_numpy().max()), 1)
    key_ticks = list(range(0, most + 1, max(1, int(np.ceil(most / 6)))))
    figure = go.Figure(go.Heatmap(
        z=table.to_numpy(), x=list(range(len(months))), y=labels, customdata=full, xgap=2, ygap=2, zmin=0, zmax=most,
        # Nothing noted is a faint grey, not the palest blue: an empty month reads as empty.
        colorscale=[[0, FAINT], [0.5 / most, FAINT], [0.5 / most, "#bfdbfe"], [1, "#1d4ed8"]],
        colorbar=dict(orientation="h", x=0, xanchor="left", y=0, yanchor="bottom", yref="container", len=320,
                      lenmode="pixels", thickness=10, tickvals=key_ticks, outlinewidth=0,
                      title=dict(text="Interviews that noted it", side="right")),
        hovertemplate="%{customdata}: noted in %{z} interview(s)<extra></extra>"))
    figure.update_xaxes(tickvals=list(range(len(months))), ticktext=ticks, tickangle=0, showgrid=False, zeroline=False)
    figure.update_yaxes(showgrid=False)
    rows = sum(label.count("<br>") + 1 for label in labels)
    figure = _look(figure, kind_title, height=max(260, 150 + 18 * rows + 14 * len(labels)))
    figure.update_layout(margin_b=KEY_HEIGHT)
    return figure


KEY_HEIGHT = 80  # px under a heatmap for its colour key
ITEM_LINE = 32   # characters per line of a note's label


def _two_lines(item: str) -> str:
    """A note as a label of at most two lines of ITEM_LINE characters, cut with '…' beyond."""
    words, lines = item.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > ITEM_LINE:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    if len(lines) > 2 or len(lines[-1]) > ITEM_LINE:
        lines = lines[:2]
        lines[-1] = lines[-1][:ITEM_LINE - 1].rstrip() + "…"
    return "<br>".join(safe(line) for line in lines)


def thank_you_timeline(frame: pd.DataFrame) -> go.Figure:
    """Thank-yous per month: sent in time, late, not sent, or not due yet (lib.dashboard.thank_you_timeline,
    one row per interview, or thank_you_months, counted per month in `interviews`);
    the on-time rate of each month in the hover text leaves out the ones not due yet."""
    within = hours(rules.THANK_YOU_WITHIN)
    months = pd.to_datetime(pd.Series(list(frame["starts_on"]), dtype=object)).dt.to_period("M").dt.start_time
    every, ticks = month_columns(months.drop_duplicates())  # each month once: 100k dates cost 0.2 s to convert
    weights = frame["interviews"].to_numpy() if "interviews" in frame else 1  # rows counted per month (SQL)
    counts = (pd.DataFrame({"month": months.to_numpy(), "status": frame["status"].to_numpy(), "n": weights})
              .groupby(["month", "status"])["n"].sum().unstack(fill_value=0)
              .reindex(index=every, columns=["on_time", "late", "not_sent", "not_due"], fill_value=0))
    due = counts[["on_time", "late", "not_sent"]].sum(axis=1)
    rate = [f"{100 * on_time / total:.0f}% on time" if total else "none due yet"
            for on_time, total in zip(counts["on_time"], due)]
    names = [f"{month:%b %Y}" for month in every]
    figure = go.Figure()
    for status, label, colour in (("on_time", f"Within {within}", SCORE), ("late", "Late", LATE),
                                  ("not_sent", "Not sent", MISSED), ("not_due", "Not due yet", NOT_DUE)):
        if status == "not_due" and not counts[status].any():
            continue  # the key only names what is drawn
        figure.add_bar(x=list(range(len(every))), y=counts[status], name=label, marker_color=colour,
                       customdata=np.stack([names, rate], axis=-1),
                       hovertemplate=f"%{{customdata[0]}}: %{{y}} {label.lower()}<br>%{{customdata[1]}}<extra></extra>")
    figure.update_layout(barmode="stack", legend_traceorder="normal")
    figure.update_yaxes(title="Interviews", rangemode="tozero")
    figure.update_xaxes(tickvals=list(range(len(every))), ticktext=ticks, tickangle=0)
    return _look(figure, f"Thank-you notes: sent within {within}?")


def calibration(points: pd.DataFrame, summary) -> go.Figure:
    """Each interview's average self-score as a dot, advanced beside didn't advance, each group's mean marked.

    `points` comes from lib.calibration.chart_points (pooled dots are sized by how many interviews
    they hold); `summary` is a lib.calibration.Calibration, for the exact means and counts."""
    figure = go.Figure()
    groups = (("advanced", "Advanced", SCORE, summary.advanced, summary.advanced_mean),
              ("stopped", "Didn't advance", LATE, summary.stopped, summary.stopped_mean))
    for position, (outcome, label, colour, count, mean) in enumerate(groups):
        rows = points[points["outcome"] == outcome]
        if not rows.empty:
            # A fixed, even spread (golden-ratio steps) instead of random jitter: the same data draws the same.
            spread = ((np.arange(len(rows)) * 0.6180339887) % 1 - 0.5) * 0.5
            figure.add_scatter(
                x=position + spread, y=rows["mean_score"], mode="markers", name=f"{label} (n={count})",
                showlegend=False,  # the axis labels name the groups
                marker=dict(color=colour, opacity=0.65, line_width=0,
                            size=np.clip(8 + 4 * np.sqrt(rows["interviews"] - 1), 8, 26)),
                customdata=np.stack([rows["label"].map(safe), rows["interviews"]], axis=-1),
                hovertemplate=f"{label}<br>%{{customdata[0]}}: average %{{y:.1f}}<extra></extra>")
        if mean is not None:
            figure.add_scatter(
                x=[position - 0.35, position + 0.35], y=[mean, mean], mode="lines", showlegend=False,
                name=f"{label}: average {mean:.1f}", line=dict(color=colour, width=4),
                hovertemplate=f"{label}: average {mean:.1f} over {count} interview(s)<extra></extra>")
    figure.update_xaxes(tickvals=[0, 1], range=[-0.6, 1.6], showgrid=False, zeroline=False,
                        ticktext=[f"{label} (n={count})" for _, label, _, count, _ in groups])
    figure.update_yaxes(**SCORE_AXIS)
    return _look(figure, "Average self-score: interviews that advanced and those that didn't")
