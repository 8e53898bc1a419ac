"""The figures of the coaching dashboard and the report: scores over time, recurring questions,
applications running at once, what went well and what to improve.

Decisions: docs/decisions.md, 'The dashboard's figures'.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import clock, follow_ups, rules, settings
from .db import Database, cell_date

MAX_POINTS = 5_000
# A picker longer than this helps nobody: the filters offer the most recent applications.
MAX_FILTER_CHOICES = 300
# The score chart shares its budget among its three layers.
MAX_INTERVIEW_POINTS, MAX_ANSWER_POINTS, MAX_TREND_POINTS = 2_000, 2_500, 500
ROLLING_DAYS = 30
STEADY_BELOW = 0.05  # points a month
MIN_TREND_INTERVIEWS = 3
MIN_TREND_SPAN = dt.timedelta(days=14)
EPOCH = dt.date(2000, 1, 1)  # day 0 of the trend's x axis (lib/sql/dashboard.sql)
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve")


@dataclass(frozen=True)
class Filters:
    """What the dashboard looks at; an empty value means everything.

    `interview_days`: the first and last interview day when the caller has them at hand (the page
    has, from filter_choices at the same state of the database); otherwise each query's
    parameters look them up. Not part of what is looked at: two Filters differing only there are equal."""
    start: dt.date | None = None
    end: dt.date | None = None
    application_ids: tuple[int, ...] = ()
    stages: tuple[str, ...] = ()
    interview_days: tuple[dt.date | None, dt.date | None] | None = field(default=None, compare=False, repr=False)

    def params(self, db: Database) -> dict:
        """The SQL parameters; a date bound that leaves out no interview is dropped, because DuckDB
        plans the queries far better without it (at 20k interviews: 18 ms instead of 52)."""
        start, end = self.start, self.end
        if start is not None or end is not None:
            if self.interview_days is not None:
                first, last = self.interview_days
            else:
                days = db.query("dashboard_date_range").iloc[0]
                first, last = cell_date(days["first_day"]), cell_date(days["last_day"])
            start = None if start is not None and first is not None and start <= first else start
            end = None if end is not None and last is not None and end >= last else end
        return {"start": start, "end": end,
                "application_ids": list(self.application_ids) or None, "stages": list(self.stages) or None}

    def read(self, db: Database, name: str, **params) -> pd.DataFrame:
        """The named dashboard query over the interviews these filters pick: its `picked` is
        dashboard_picked_interviews, where the filter rule is written once."""
        return db.query(name, parts={"picked": db.queries["dashboard_picked_interviews"]}, **params,
                        **self.params(db))


@dataclass(frozen=True)
class FilterChoices:
    """What the filters offer: the interview days, the most recently interviewed applications, the stages."""
    interviews: int
    first_day: dt.date | None
    last_day: dt.date | None
    applications: pd.DataFrame  # application_id, company, role, last_interview
    stages: tuple[str, ...]


def filter_choices(db: Database, *, limit: int = MAX_FILTER_CHOICES) -> FilterChoices:
    """The choices for the filters; at most `limit` applications and stages (the most recent / most used)."""
    days = db.query("dashboard_date_range").iloc[0]
    return FilterChoices(int(days["interviews"]), cell_date(days["first_day"]), cell_date(days["last_day"]),
                         db.query("dashboard_filter_applications", limit=limit),
                         tuple(db.query("dashboard_filter_stages", limit=limit)["stage"]))


# -- self-scores over time ---------------------------------------------------------------------

def interview_scores(db: Database, filters: Filters = Filters()) -> pd.DataFrame:
    """One row per scored interview: interview_id, day, company, role, stage, mean_score, questions."""
    frame = filters.read(db, "dashboard_interview_scores")
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


@dataclass(frozen=True)
class Trend:
    interviews: int
    mean_score: float | None
    points_per_30_days: float | None  # None until there are interviews on two different days
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    fitted_first: float | None = None
    fitted_last: float | None = None


def score_trend(db: Database, filters: Filters = Filters()) -> Trend:
    """The least-squares line through per-interview mean scores against the date (computed in SQL)."""
    return trend_from_row(filters.read(db, "dashboard_score_trend").iloc[0])


def trend_from_row(row) -> Trend:
    """A Trend from a row of interviews, mean_score, first_x, last_x, slope, intercept (x: days since EPOCH)."""
    interviews = int(row["interviews"])
    if interviews == 0:
        return Trend(0, None, None)
    first = EPOCH + dt.timedelta(days=int(row["first_x"]))
    last = EPOCH + dt.timedelta(days=int(row["last_x"]))
    if pd.isna(row["slope"]):
        return Trend(interviews, float(row["mean_score"]), None, first, last)
    slope, intercept = float(row["slope"]), float(row["intercept"])
    return Trend(interviews, float(row["mean_score"]), slope * 30, first, last,
                 float(np.clip(intercept + slope * row["first_x"], 1, 10)),
                 float(np.clip(intercept + slope * row["last_x"], 1, 10)))


def enough_for_trend(interviews: int, first_day, last_day) -> bool:
    """Whether scored interviews are many enough and far enough apart for a trend to mean something."""
    if interviews < MIN_TREND_INTERVIEWS or first_day is None or last_day is None:
        return False
    return pd.Timestamp(last_day) - pd.Timestamp(first_day) >= MIN_TREND_SPAN


def _number(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else f"{n:,}"


def describe_span(days: int) -> str:
    """'12 days', 'three weeks', 'three months', '1.5 years': a duration as people say it."""
    def words(n: int, unit: str) -> str:
        return f"{NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else n} {unit}{'s' if n != 1 else ''}"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 60:
        return words(round(days / 7), "week")
    if days < 548:
        return words(round(days / 30.44), "month")
    return f"{days / 365.25:.1f} years"


def trend_sentence(trend: Trend) -> str:
    """One sentence in plain words on where the self-scores are heading, once there is enough to tell."""
    if trend.interviews < 2 or enough_for_trend(trend.interviews, trend.first_day, trend.last_day):
        return fitted_line_sentence(trend)
    days = (trend.last_day - trend.first_day).days
    if days == 0:
        when = "on the same day"
    elif trend.interviews == 2:
        when = "a day apart" if days == 1 else f"{describe_span(days)} apart"
    else:
        when = f"within {describe_span(days)}"
    return (f"{_number(trend.interviews).capitalize()} interviews {when}, averaging {trend.mean_score:.1f}: "
            f"too few to tell a trend yet. That takes {_number(MIN_TREND_INTERVIEWS)} scored interviews or more, "
            f"spread over {describe_span(MIN_TREND_SPAN.days)} or more.")


def fitted_line_sentence(trend: Trend) -> str:
    """The least-squares line in words, however little it rests on: the report's JSON `sentence`
    (kept as the contract's example files have it); people read trend_sentence."""
    if trend.interviews == 0:
        return "No scored interviews yet: debrief one and score each answer from 1 to 10."
    if trend.points_per_30_days is None:
        if trend.interviews == 1:
            return (f"One interview so far, with an average of {trend.mean_score:.1f}. "
                    "Debrief the next one to start a trend.")
        return (f"{trend.interviews} interviews, all on one day, averaging {trend.mean_score:.1f}. "
                "A trend needs interviews on two different days.")
    span = describe_span((trend.last_day - trend.first_day).days)
    if abs(trend.points_per_30_days) < STEADY_BELOW:
        return f"Your average held steady at about {trend.mean_score:.1f} over {span}."
    direction = "rose" if trend.points_per_30_days > 0 else "fell"
    return (f"Your average {direction} from {trend.fitted_first:.1f} to {trend.fitted_last:.1f} over {span}, "
            f"{trend.points_per_30_days:+.1f} a month.")


def pooling(days: pd.Series, max_points: int = MAX_POINTS) -> str:
    """'D', 'W' or 'MS': the finest period that keeps a chart under max_points."""
    for period in ("D", "W", "MS"):
        if _periods(days, period).nunique() <= max_points:
            return period
    return "YS"


def _periods(days: pd.Series, period: str) -> pd.Series:
    days = pd.to_datetime(days)
    if period == "D":
        return days
    if period == "W":
        return days.dt.to_period("W-SUN").dt.start_time
    return days.dt.to_period("M" if period == "MS" else "Y").dt.start_time


def daily_scores(db: Database, filters: Filters = Filters()) -> pd.DataFrame:
    """day, interviews, score_sum: per day, the scored interviews and the sum of their means (SQL)."""
    frame = filters.read(db, "dashboard_daily_scores")
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


def per_day(scores: pd.DataFrame) -> pd.DataFrame:
    """day, interviews, score_sum from one row per interview (day, mean_score); daily rows pass as they are."""
    if "score_sum" in scores:
        return scores
    return (scores.groupby("day", as_index=False)
            .agg(interviews=("mean_score", "size"), score_sum=("mean_score", "sum")))


def score_chart(db: Database, filters: Filters = Filters()) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(points, cloud, trend) for charts.scores_over_time: each interview with its label while they
    fit, else the per-day sums pooled, so 100k interviews never leave DuckDB one row each."""
    daily = daily_scores(db, filters)
    count = int(daily["interviews"].sum())
    points = score_points(interview_scores(db, filters) if count <= MAX_INTERVIEW_POINTS else daily)
    enough = count > 0 and enough_for_trend(count, daily["day"].min(), daily["day"].max())
    return points, question_score_cloud(db, filters), rolling_trend(daily if enough else daily.iloc[:0])


def score_points(scores: pd.DataFrame, max_points: int = MAX_INTERVIEW_POINTS) -> pd.DataFrame:
    """The interview means to plot: every interview while they fit, else pooled by day/week/month.

    `scores`: one row per interview (interview_scores), or per day (daily_scores, pooled only).
    Columns: day, mean_score, interviews, label (who and where, for the hover text)."""
    if "score_sum" not in scores and len(scores) <= max_points:
        points = scores.assign(interviews=1)
        points["label"] = points["company"].fillna("") + " · " + points["role"].fillna("")
        return points[["day", "mean_score", "interviews", "label"]]
    daily = per_day(scores)
    period = pooling(daily["day"], max_points)
    pooled = (daily.assign(day=_periods(daily["day"], period))
              .groupby("day", as_index=False)[["interviews", "score_sum"]].sum())
    pooled["mean_score"] = pooled["score_sum"] / pooled["interviews"]
    pooled["label"] = pooled["interviews"].map(lambda n: f"{n} interviews")
    return pooled[["day", "mean_score", "interviews", "label"]]


def rolling_trend(scores: pd.DataFrame, window_days: int = ROLLING_DAYS, max_points: int = MAX_TREND_POINTS) -> pd.DataFrame:
    """day, trend: the mean of the interview means over the previous `window_days` days, per day.

    `scores`: one row per interview (day, mean_score) or per day (day, interviews, score_sum)."""
    if scores.empty:
        return pd.DataFrame({"day": pd.Series(dtype="datetime64[ns]"), "trend": pd.Series(dtype=float)})
    sums = per_day(scores).sort_values("day").set_index("day")[["score_sum", "interviews"]].rolling(f"{window_days}D").sum()
    daily = (sums["score_sum"] / sums["interviews"]).rename("trend").rename_axis("day").reset_index()
    if len(daily) > max_points:
        period = pooling(daily["day"], max_points)
        daily = daily.assign(day=_periods(daily["day"], period)).groupby("day", as_index=False)["trend"].last()
    return daily


def question_score_cloud(db: Database, filters: Filters = Filters(), max_points: int = MAX_ANSWER_POINTS) -> pd.DataFrame:
    """day, score, answers: each answer's score, pooled by period (in SQL) so the cloud stays under max_points."""
    counts = filters.read(db, "dashboard_question_score_counts", max_points=max_points)
    counts["day"] = pd.to_datetime(counts["day"])
    return counts


def category_scores(db: Database, filters: Filters = Filters()) -> pd.DataFrame:
    """month, category, mean_score, answers: the view by question category."""
    frame = filters.read(db, "dashboard_category_scores")
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


# -- recurring questions -----------------------------------------------------------------------

def question_groups(db: Database, filters: Filters = Filters(), *, min_times: int | None = None,
                    weak_below: float | None = None, with_trend: bool = True) -> pd.DataFrame:
    """Every group asked in at least `min_times` interviews, weakest first, with a `weak` flag.

    Columns: group_id, canonical, times_asked, answers, avg_score, last_score, first_asked,
    last_asked, category, variants (every wording), weak, and with `with_trend` recent_scores
    (the last 20, newest first; the report does without)."""
    min_times = settings.min_times(db) if min_times is None else min_times
    weak_below = settings.weak_below(db) if weak_below is None else weak_below
    groups = filters.read(db, "dashboard_question_groups", min_times=min_times)
    groups["weak"] = groups["avg_score"] < weak_below
    if not with_trend:
        groups = groups.drop(columns="recent_scores")
    return groups.sort_values(["avg_score", "times_asked", "canonical"], ascending=[True, False, True],
                              ignore_index=True)


def group_answers(db: Database, group_id: int, filters: Filters = Filters()) -> pd.DataFrame:
    """Every past answer in a group, newest first: day, company, role, stage, wording, answer_note, score."""
    return filters.read(db, "dashboard_group_answers", group_id=int(group_id))


# -- applications running at once --------------------------------------------------------------

def active_per_day(db: Database, start: dt.date | None, end: dt.date, *, stale_after_days: int | None = None,
                   max_points: int = MAX_POINTS) -> pd.DataFrame:
    """day, active: applications active on each day from `start` (default: the first activity) to `end`.

    The same rule as lib.applications.active_applications_on, computed for every day at once;
    beyond max_points days, one point a week (the week's highest count)."""
    stale = settings.stale_after_days(db) if stale_after_days is None else stale_after_days
    changes = db.query("dashboard_active_changes", stale_after_days=stale)
    if changes.empty and start is None:
        return pd.DataFrame({"day": pd.Series(dtype="datetime64[ns]"), "active": pd.Series(dtype="int64")})
    changes["day"] = pd.to_datetime(changes["day"])
    first = pd.Timestamp(start) if start is not None else changes["day"].min()
    days = pd.date_range(min(first, pd.Timestamp(end)), pd.Timestamp(end), freq="D")
    running = changes.set_index("day")["change"].cumsum()
    # The running count on each day is the last change on or before it.
    active = running.reindex(running.index.union(days)).ffill().fillna(0).reindex(days).astype("int64")
    frame = pd.DataFrame({"day": days, "active": active.to_numpy()})
    if len(frame) > max_points:
        weeks = _periods(frame["day"], "W").rename("week")
        frame = frame.groupby(weeks)["active"].max().reset_index().rename(columns={"week": "day"})
    return frame


def any_activity(db: Database) -> bool:
    """Whether any application has activity to count (applied, interviewed, followed up)."""
    return bool(db.scalar("dashboard_any_activity"))


# -- thank-you notes -------------------------------------------------------------------------------

def thank_you_timeline(db: Database, now: dt.datetime) -> pd.DataFrame:
    """interview_id, starts_on, status: lib.follow_ups' on_time / late / not_sent up to today, and
    'not_due' for an interview with nothing sent whose THANK_YOU_WITHIN had not run out at `now`."""
    frame = follow_ups.thank_you_timeline(db, clock.today_in(settings.time_zone(db), at=now))
    open_window = db.query("dashboard_thank_yous_not_due", window_opened_after=now - rules.THANK_YOU_WITHIN)
    frame.loc[(frame["status"] == "not_sent") & frame["interview_id"].isin(open_window["interview_id"]),
              "status"] = "not_due"
    return frame


def thank_you_months(db: Database, now: dt.datetime) -> pd.DataFrame:
    """starts_on (the month's first day), status, interviews: thank_you_timeline counted per month
    and status by DuckDB, for the dashboard's chart and sentence (a few hundred rows at 100k)."""
    frame = db.query("dashboard_thank_you_months", parts=follow_ups.thank_you_statuses(db),
                     as_of=clock.today_in(settings.time_zone(db), at=now),
                     window_opened_after=now - rules.THANK_YOU_WITHIN, **follow_ups.thank_you_window())
    frame["starts_on"] = pd.to_datetime(frame["starts_on"])
    return frame


def interview_counts(timeline: pd.DataFrame) -> pd.Series:
    """How many interviews each row stands for: its `interviews` column (thank_you_months), else 1."""
    return timeline["interviews"] if "interviews" in timeline else pd.Series(1, index=timeline.index)


def thank_you_rate(timeline: pd.DataFrame) -> float | None:
    """The share of interviews thanked in time among those whose deadline has passed; None before any."""
    counts = interview_counts(timeline)
    due = counts[timeline["status"] != "not_due"]
    return None if due.sum() == 0 else float(due[timeline["status"] == "on_time"].sum() / due.sum())


def thank_yous_waiting(timeline: pd.DataFrame) -> int:
    """Interviews whose thank-you is not due yet."""
    return int(interview_counts(timeline)[timeline["status"] == "not_due"].sum())


# -- what went well, what to improve -----------------------------------------------------------

def reflection_kinds(db: Database, filters: Filters = Filters()) -> set[str]:
    """The kinds (went_well, to_improve) noted in at least one of the filtered interviews."""
    return set(filters.read(db, "dashboard_reflection_kinds")["kind"])


def reflections_over_time(db: Database, filters: Filters = Filters(), *, top: int = 8) -> pd.DataFrame:
    """kind, item, month, interviews: the `top` items of each kind noted most often, per month."""
    frame = filters.read(db, "dashboard_reflections_by_month", top=top)
    frame["month"] = pd.to_datetime(frame["month"])
    return frame
