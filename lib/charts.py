"""DataFrame -> Plotly figure, for the dashboard: pure functions, no Streamlit, no database.

One look in light and dark themes: no template and transparent backgrounds (Streamlit's own
theme supplies fonts and grid colours for whichever theme the user has), and mid-tone colours
that read on white and on near-black. Titles and hover text speak the user's words. User text
that reaches a chart (notes, companies) is HTML-escaped, because Plotly renders a subset of
HTML in labels and hover text.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

SCORE = "#3b82f6"      # blue: interview means
TREND = "#f59e0b"      # amber: the trend line
FAINT = "rgba(148, 163, 184, 0.35)"  # slate, see-through: individual answers
BAND = "rgba(34, 197, 94, 0.18)"     # green: the target band
LATE, MISSED = "#f59e0b", "#ef4444"
PALETTE = ("#3b82f6", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16", "#f97316",
           "#64748b")
SCORE_AXIS = dict(range=[0.5, 10.5], dtick=1, title="Self-score (1–10)")


def _look(figure: go.Figure, title: str, *, height: int = 360) -> go.Figure:
    figure.update_layout(title=dict(text=title, x=0, xanchor="left"), height=height,
                         margin=dict(l=10, r=10, t=60, b=10), hovermode="closest",
                         paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                         legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1))
    return figure


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
    return _look(figure, "Your self-scores over time")


def category_scores(frame: pd.DataFrame) -> go.Figure:
    """Mean self-score per question category, month by month."""
    figure = go.Figure()
    for index, (category, rows) in enumerate(frame.groupby("category", sort=True)):
        figure.add_scatter(
            x=rows["month"], y=rows["mean_score"], mode="lines+markers", name=safe(category).capitalize(),
            line=dict(color=PALETTE[index % len(PALETTE)], width=2), customdata=rows["answers"],
            hovertemplate=f"{safe(category).capitalize()}<br>%{{x|%b %Y}}: average %{{y:.1f}} over %{{customdata}} answer(s)<extra></extra>")
    figure.update_yaxes(**SCORE_AXIS)
    return _look(figure, "Average self-score by kind of question, per month")


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
    """A heatmap: the items noted most often (rows) by month (columns), coloured by interviews."""
    table = frame.pivot_table(index="item", columns="month", values="interviews", aggfunc="sum", fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=True).index]  # most frequent at the top
    labels = [safe(item) if len(str(item)) <= 60 else safe(str(item)[:59]) + "…" for item in table.index]
    full = np.array([[safe(item)] * table.shape[1] for item in table.index])
    figure = go.Figure(go.Heatmap(
        z=table.to_numpy(), x=table.columns, y=labels, customdata=full, colorscale="Blues", showscale=False,
        xgap=2, ygap=2, hovertemplate="%{customdata}<br>%{x|%b %Y}: noted in %{z} interview(s)<extra></extra>"))
    figure.update_xaxes(dtick="M1", tickformat="%b %Y", tickangle=0)
    return _look(figure, kind_title, height=max(220, 60 + 32 * len(labels)))


def thank_you_timeline(frame: pd.DataFrame) -> go.Figure:
    """Thank-yous per month: sent within 24 hours, late, or not sent; the on-time rate in hover text."""
    months = pd.to_datetime(frame["starts_on"]).dt.to_period("M").dt.start_time
    counts = pd.crosstab(months, frame["status"]).reindex(columns=["on_time", "late", "not_sent"], fill_value=0)
    rate = (100 * counts["on_time"] / counts.sum(axis=1)).round().astype(int)
    figure = go.Figure()
    for status, label, colour in (("on_time", "Within 24 hours", SCORE), ("late", "Late", LATE),
                                  ("not_sent", "Not sent", MISSED)):
        figure.add_bar(x=counts.index, y=counts[status], name=label, marker_color=colour, customdata=rate,
                       hovertemplate=f"%{{x|%b %Y}}: %{{y}} {label.lower()}<br>%{{customdata}}% on time<extra></extra>")
    figure.update_layout(barmode="stack", legend_traceorder="normal")
    figure.update_yaxes(title="Interviews", rangemode="tozero")
    figure.update_xaxes(dtick="M1", tickformat="%b %Y")
    return _look(figure, "Thank-you notes: sent within 24 hours?")


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
