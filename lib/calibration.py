"""Calibration: do your self-scores predict moving to the next round?

Each scored interview held on or before `as_of` gets one outcome (advanced, stopped, withdrawn
or waiting); the scores of those that advanced are compared with those that stopped, with a
95% interval, by score band, and in a sentence.

Decisions: docs/decisions.md, 'Calibration'.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .db import Database

MIN_PER_SIDE = 5
CONFIDENCE = 0.95
MAX_CHART_POINTS = 2_000
OUTCOMES = ("advanced", "stopped", "waiting", "withdrawn")
# (label, lowest mean score in the band): the edges sit at .5, see the docstring.
BANDS = (("1–4", -np.inf), ("5–6", 4.5), ("7–8", 6.5), ("9–10", 8.5))


@dataclass(frozen=True)
class ScoreBand:
    label: str  # "7–8"
    advanced: int
    stopped: int

    @property
    def rate(self) -> float | None:
        """Share of the band's answered interviews that advanced; None when none has an answer."""
        decided = self.advanced + self.stopped
        return self.advanced / decided if decided else None


@dataclass(frozen=True)
class Calibration:
    advanced: int
    stopped: int
    waiting: int
    withdrawn: int
    advanced_mean: float | None
    stopped_mean: float | None
    difference: float | None  # advanced_mean - stopped_mean
    interval: tuple[float, float] | None  # 95% Welch t interval on the difference
    enough: bool  # MIN_PER_SIDE interviews on each side
    bands: tuple[ScoreBand, ...] = ()

    @property
    def interviews(self) -> int:
        return self.advanced + self.stopped + self.waiting + self.withdrawn

    @property
    def more_needed(self) -> tuple[int, int]:
        """(advanced, stopped) interviews still missing before the comparison can be made."""
        return max(0, MIN_PER_SIDE - self.advanced), max(0, MIN_PER_SIDE - self.stopped)


def _outcomes(db: Database) -> dict[str, str]:
    """The rule's query (calibration_outcomes), for the queries that read from it."""
    return {"outcomes": db.queries["calibration_outcomes"]}


def interview_outcomes(db: Database, as_of: dt.date, *, since: dt.date | None = None) -> pd.DataFrame:
    """One row per scored interview held from `since` (default: the first) to `as_of`, oldest first.

    Columns: interview_id, day, company, role, round, stage, mean_score, outcome (advanced,
    stopped, withdrawn or waiting: the rule is in the module docstring)."""
    frame = db.query("calibration_interview_outcomes", parts=_outcomes(db), as_of=as_of, since=since)
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


def outcome_scores(db: Database, as_of: dt.date, *, since: dt.date | None = None) -> pd.DataFrame:
    """outcome, mean_score: one row per interview of interview_outcomes, in no set order, for callers
    that only count (summarize, a pooled chart_points). DuckDB counts them per outcome and score
    and numpy repeats each row: 100k interviews leave the database as a few hundred rows."""
    counts = db.query("calibration_outcome_counts", parts=_outcomes(db), as_of=as_of, since=since)
    repeats = counts["interviews"].to_numpy()
    return pd.DataFrame({"outcome": np.repeat(counts["outcome"].to_numpy(dtype=object), repeats),
                         "mean_score": np.repeat(counts["mean_score"].to_numpy(dtype=float), repeats)})


def calibration(db: Database, as_of: dt.date, *, since: dt.date | None = None) -> Calibration:
    """Counts per outcome, the two averages, their difference with a 95% interval, and score bands."""
    return summarize(outcome_scores(db, as_of, since=since))


def summarize(outcomes: pd.DataFrame) -> Calibration:
    """The Calibration of an `interview_outcomes` or `outcome_scores` frame."""
    outcome, scores = outcomes["outcome"].to_numpy(dtype=object), outcomes["mean_score"].to_numpy(dtype=float)
    counts = {name: int((outcome == name).sum()) for name in OUTCOMES}
    advanced, stopped = scores[outcome == "advanced"], scores[outcome == "stopped"]
    advanced_mean = float(advanced.mean()) if advanced.size else None
    stopped_mean = float(stopped.mean()) if stopped.size else None
    difference = None if advanced_mean is None or stopped_mean is None else advanced_mean - stopped_mean
    return Calibration(
        advanced=counts["advanced"], stopped=counts["stopped"], waiting=counts["waiting"],
        withdrawn=counts["withdrawn"],
        advanced_mean=advanced_mean, stopped_mean=stopped_mean, difference=difference,
        interval=welch_interval(advanced, stopped),
        enough=advanced.size >= MIN_PER_SIDE and stopped.size >= MIN_PER_SIDE,
        bands=score_bands(outcomes))


def welch_interval(first: np.ndarray, second: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The Welch t interval on mean(first) - mean(second); None with fewer than 2 values on a side."""
    from scipy.special import stdtrit  # the t quantile

    if len(first) < 2 or len(second) < 2:
        return None
    difference = float(np.mean(first) - np.mean(second))
    share_first, share_second = np.var(first, ddof=1) / len(first), np.var(second, ddof=1) / len(second)
    variance = share_first + share_second
    if variance == 0:
        return difference, difference
    freedom = variance ** 2 / (share_first ** 2 / (len(first) - 1) + share_second ** 2 / (len(second) - 1))
    margin = float(stdtrit(freedom, 0.5 + confidence / 2)) * float(np.sqrt(variance))
    return difference - margin, difference + margin


def band_index(mean_scores) -> np.ndarray:
    """The index in BANDS of each mean score: the band of the nearest whole score (4.5 is in "5–6")."""
    return np.digitize(np.asarray(mean_scores, dtype=float), [edge for _, edge in BANDS[1:]])


def score_bands(outcomes: pd.DataFrame) -> tuple[ScoreBand, ...]:
    """Advanced and stopped interviews in each score band, every band listed (lowest first)."""
    bands, outcome = band_index(outcomes["mean_score"]), outcomes["outcome"].to_numpy(dtype=object)
    advanced = np.bincount(bands[outcome == "advanced"], minlength=len(BANDS))
    stopped = np.bincount(bands[outcome == "stopped"], minlength=len(BANDS))
    return tuple(ScoreBand(label, int(a), int(s)) for (label, _), a, s in zip(BANDS, advanced, stopped))


def chart_points(outcomes: pd.DataFrame, max_points: int = MAX_CHART_POINTS) -> pd.DataFrame:
    """The dots of the chart: outcome (advanced / stopped), mean_score, interviews, label.

    One dot per interview while they fit (label: company · role · day · stage); beyond
    max_points, one per outcome and score to one decimal (label: "N interviews")."""
    decided = outcomes[outcomes["outcome"].isin(["advanced", "stopped"])]
    if len(decided) <= max_points:
        columns = (decided["company"], decided["role"], decided["day"].dt.strftime("%d %b %Y"), decided["stage"])
        label = [" · ".join(str(part).strip() for part in parts if not pd.isna(part) and str(part).strip())
                 for parts in zip(*columns)]
        return pd.DataFrame({"outcome": decided["outcome"], "mean_score": decided["mean_score"],
                             "interviews": 1, "label": label}).reset_index(drop=True)
    pooled = (decided.assign(mean_score=decided["mean_score"].round(1))
              .groupby(["outcome", "mean_score"], as_index=False).size().rename(columns={"size": "interviews"}))
    pooled["label"] = pooled["interviews"].map(lambda n: f"{n} interview{'s' if n != 1 else ''}")
    return pooled


def _interviews(n: int) -> str:
    return f"{n:,} interview{'s' if n != 1 else ''}"


def _signed(value: float, decimals: int = 1) -> str:
    """'+1.3', '-0.4', '0.0' (never '-0.0')."""
    rounded = round(value, decimals)
    return f"{0:.{decimals}f}" if rounded == 0 else f"{rounded:+.{decimals}f}"


def calibration_sentence(cal: Calibration) -> str:
    """What the comparison says, in plain words; 'too few to tell' until there are enough on each side."""
    if cal.interviews == 0:
        return ("No scored interviews to compare yet. Once some have an answer (a next round, an offer or a no), "
                "this compares the self-scores of the interviews that advanced with those that didn't.")
    counts = [f"{_interviews(cal.advanced)} advanced", f"{cal.stopped:,} didn't"]
    aside = ([f"{cal.waiting:,} still waiting for an answer"] if cal.waiting else []) + (
        [f"{cal.withdrawn:,} you withdrew from"] if cal.withdrawn else [])
    if not cal.enough:
        more_advanced, more_stopped = cal.more_needed
        missing = " and ".join(text for text in (
            f"{more_advanced} more that advanced" if more_advanced else "",
            f"{more_stopped} more that didn't" if more_stopped else "") if text)
        aside_text = f" ({', '.join(aside)})" if aside else ""
        return (f"Too few to tell yet: {' and '.join(counts)}{aside_text}. "
                f"A fair comparison needs at least {MIN_PER_SIDE} on each side: {missing}.")
    low, high = cal.interval
    # A very narrow interval (thousands of interviews) would read "0.0 to 0.0": show it to 0.01 instead.
    decimals = 2 if round(low, 1) == round(high, 1) and low != high else 1
    averages = (f"Interviews that advanced averaged {cal.advanced_mean:.1f}, those that didn't "
                f"{cal.stopped_mean:.1f} ({_signed(cal.difference, decimals)}")
    basis = f"({', '.join(counts + aside)})"
    if low <= 0 <= high:
        return (f"{averages}; the 95% interval, {_signed(low, decimals)} to {_signed(high, decimals)}, includes 0): "
                f"no clear difference yet {basis}.")
    if cal.difference > 0:
        verdict = "so far, higher self-scores have gone with moving on"
    else:
        verdict = "so far, the interviews that moved on are the ones you scored lower"
    return (f"{averages}; 95% interval {_signed(low, decimals)} to {_signed(high, decimals)}): {verdict} "
            f"{basis}.")
