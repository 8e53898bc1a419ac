"""The review session: what changed since the last review, practising the weakest questions,
ticking off improvement notes, the pipeline, and storing the review itself.

Decisions: docs/decisions.md, 'The review session'.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from . import applications, clock, dashboard, follow_ups, settings
from .applications import ValidationError
from .db import Database, cell_date
from .validation import MAX_QUESTION, Invalid, clean_text, parse_score

RECENT_DAYS = 90
WEAKEST_SHOWN = 3
MAX_ANSWER = 5_000
MAX_FOCUS = 2_000

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Review:
    id: int
    held_at: dt.datetime
    held_on: dt.date
    focus: str


def _review(frame: pd.DataFrame) -> Review | None:
    if frame.empty:
        return None
    row = frame.iloc[0]
    return Review(int(row["id"]), row["held_at"].to_pydatetime(), cell_date(row["held_on"]),
                  "" if pd.isna(row["focus"]) else str(row["focus"]))


def last_review(db: Database) -> Review | None:
    return _review(db.query("review_last"))


def get_review(db: Database, review_id: int) -> Review | None:
    return _review(db.query("review_get", id=int(review_id)))


def list_reviews(db: Database) -> pd.DataFrame:
    """Every finished review, newest first: id, held_at, held_on, focus."""
    return db.query("review_list")


def finish_review(db: Database, focus: str = "", *, now: dt.datetime | None = None) -> int:
    """Store the review as held now (its local day in the user's zone); returns its id."""
    try:
        focus = clean_text(focus, "What to work on next", max_len=MAX_FOCUS)
    except Invalid as problem:
        raise ValidationError({"focus": str(problem)}) from None
    now = now or clock.now()
    with db.transaction() as tx:
        return tx.scalar("review_insert", held_at=now, held_on=clock.local_day(now, settings.time_zone(db)),
                         focus=focus or None)


# -- since the last review -------------------------------------------------------------------------

@dataclass(frozen=True)
class SinceLastReview:
    last: Review | None
    held: int                   # interviews held since (scored or not)
    trend: dashboard.Trend      # over the scored ones
    interviews_before: int      # scored interviews up to the last review
    mean_before: float | None
    practised: int              # practice attempts since


def since_last_review(db: Database, now: dt.datetime | None = None, *, review: Review | None = None) -> SinceLastReview:
    """The interviews since the last review, up to now; with `review` (one already finished), the
    interviews it covered: after the review before it, up to when it was held."""
    if review is None:
        until, last = now or clock.now(), last_review(db)
    else:
        until, last = review.held_at, _review(db.query("review_before", held_at=review.held_at))
    since = last.held_at if last else None
    row = db.query("review_window_scores", since=since, until=until).iloc[0]
    before = db.query("review_mean_before", since=since).iloc[0] if since else None
    return SinceLastReview(
        last, int(row["held"]), dashboard.trend_from_row(row),
        int(before["interviews"]) if before is not None else 0,
        None if before is None or pd.isna(before["mean_score"]) else float(before["mean_score"]),
        int(db.scalar("practice_count_between", since=since, until=until)))


def _ago(day: dt.date, today: dt.date) -> str:
    """'today', 'yesterday', '12 days ago', 'three weeks ago'."""
    days = (today - day).days
    return "today" if days == 0 else "yesterday" if days == 1 else f"{dashboard.describe_span(days)} ago"


def since_sentences(since: SinceLastReview, today: dt.date) -> list[str]:
    """Plain sentences on the interviews since the last review: how many, the average, the trend."""
    trend = since.trend
    if since.last is None:
        opening = "This is your first review: it covers every interview so far."
    else:
        opening = f"Your last review was on {since.last.held_on:%a %d %b %Y} ({_ago(since.last.held_on, today)})."
    if since.held == 0 and since.last is None:
        return ["No interviews recorded yet. Debrief your first one (or load the sample data from the home page) "
                "and your reviews will have something to look back on."]
    if since.held == 0:
        return [opening, "No interviews since then: nothing new to score. Practise the weak questions below."]
    held = f"{since.held} interview{'s' if since.held != 1 else ''} held" + (" since" if since.last else " so far")
    if trend.interviews == 0:
        return [opening, f"{held}, none scored yet: add your self-scores on the Debrief page."]
    average = f"averaging {trend.mean_score:.1f}"
    if since.mean_before is not None:
        change = trend.mean_score - since.mean_before
        word = "up from" if change >= 0.05 else "down from" if change <= -0.05 else "level with"
        average += f", {word} {since.mean_before:.1f} before"
    unscored = since.held - trend.interviews
    sentences = [opening, f"{held}, {average}" + (f" ({unscored} not scored)." if unscored else ".")]
    if not dashboard.enough_for_trend(trend.interviews, trend.first_day, trend.last_day):
        sentences.append(f"Too few scored interviews for a trend ({trend.interviews}; a trend needs "
                         f"{dashboard.MIN_TREND_INTERVIEWS} over {dashboard.describe_span(dashboard.MIN_TREND_SPAN.days)} "
                         "or more).")
    else:
        sentences.append(dashboard.trend_sentence(trend))
    return sentences


def review_nudge(since: SinceLastReview, today: dt.date) -> str:
    """One line for the home page: when the last review was, and what has happened since."""
    if since.last is None:
        return "No review session yet: fifteen minutes to practise your weakest questions and plan the next steps."
    when = _ago(since.last.held_on, today)
    held = "no interviews" if since.held == 0 else "1 interview" if since.held == 1 else f"{since.held} interviews"
    return f"Last review {when}, {held} since."


# -- the weakest recurring questions and practice ------------------------------------------------------

def weakest_questions(db: Database, limit: int = WEAKEST_SHOWN) -> pd.DataFrame:
    """The weak recurring question groups, weakest first, at most `limit` (dashboard.question_groups' columns)."""
    groups = dashboard.question_groups(db, with_trend=False)
    return groups[groups["weak"]].head(limit).reset_index(drop=True)


def recurring_count(db: Database) -> int:
    """How many question groups count as recurring (asked in `min_times` interviews), weak or not."""
    return len(dashboard.question_groups(db, with_trend=False))


def past_answers(db: Database, group_id: int) -> pd.DataFrame:
    """Every interview answer in the group, newest first (dashboard.group_answers)."""
    return dashboard.group_answers(db, group_id)


def save_practice(db: Database, group_id: int | None, wording: str, answer: str, score, *,
                  now: dt.datetime | None = None) -> int:
    """Store a practice attempt after checking it; raises ValidationError naming each bad field."""
    errors, clean = {}, {}
    for field, label, limit, value in (("wording", "The question", MAX_QUESTION, wording),
                                       ("answer", "Your better answer", MAX_ANSWER, answer)):
        try:
            clean[field] = clean_text(value, label, max_len=limit, required=True)
        except Invalid as problem:
            errors[field] = str(problem)
    try:
        clean["score"] = parse_score(score)
    except Invalid as problem:
        errors["score"] = str(problem)
    if errors:
        raise ValidationError(errors)
    now = now or clock.now()
    with db.transaction() as tx:
        return tx.scalar("practice_insert", group_id=None if group_id is None else int(group_id), **clean,
                         practiced_at=now, practiced_on=clock.local_day(now, settings.time_zone(db)))


def practice_attempts(db: Database, group_ids=None) -> pd.DataFrame:
    """Practice attempts, newest first: id, group_id (after merges), wording, answer, score, practiced_at, practiced_on."""
    ids = None if group_ids is None else [int(g) for g in group_ids]
    return db.query("practice_list", group_ids=ids)


def best_practice(attempts: pd.DataFrame):
    """The highest-scored practice attempt, the latest among equals."""
    if attempts.empty:
        return None
    return attempts.sort_values(["score", "practiced_at", "id"], ascending=False).iloc[0]


# -- improvement notes -----------------------------------------------------------------------------

def note_key(text: str) -> str:
    """A note's identity: case, runs of spaces and end punctuation do not make a different note."""
    folded = _SPACES.sub(" ", str(text)).strip().casefold()
    return folded.rstrip(".!;:,") or folded


def improvement_notes(db: Database, today: dt.date, *, days: int = RECENT_DAYS,
                      application_id: int | None = None) -> pd.DataFrame:
    """The "to improve" notes of the last `days` days (or of one application, any age), equal notes folded.

    Columns: note_key, note (the latest wording), times, interview_ids, last_day, companies,
    worked_on (every interview's note ticked); open notes first, then the most often noted."""
    columns = ["note_key", "note", "times", "interview_ids", "last_day", "companies", "worked_on"]
    rows = db.query("improvement_note_rows", today=today, from_day=today - dt.timedelta(days=days),
                    application_id=None if application_id is None else int(application_id))
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["note_key"] = rows["item"].map(note_key)
    ticked = db.query("improvement_worked_on_rows", interview_ids=rows["interview_id"].unique().tolist())
    done = set(zip(ticked["interview_id"], ticked["note_key"]))
    rows["worked"] = [(i, k) in done for i, k in zip(rows["interview_id"], rows["note_key"])]
    notes = rows.groupby("note_key", sort=False).agg(
        note=("item", "first"), times=("interview_id", "nunique"),
        interview_ids=("interview_id", lambda ids: sorted({int(i) for i in ids})),
        last_day=("day", "max"), companies=("company", lambda names: ", ".join(dict.fromkeys(names))),
        worked_on=("worked", "all")).reset_index()
    notes["last_day"] = notes["last_day"].map(cell_date)
    return notes.sort_values(["worked_on", "times", "last_day"], ascending=[True, False, False],
                             ignore_index=True)[columns]


def noted(times: int, last_day: dt.date | None) -> str:
    """'noted 3 times, last 04 Nov'."""
    count = "once" if times == 1 else f"{times} times"
    return f"noted {count}, last {last_day:%d %b}" if last_day else f"noted {count}"


def set_worked_on(db: Database, interview_ids, key: str, done: bool = True, *, now: dt.datetime | None = None) -> None:
    """Tick (or untick) one folded note for every interview it was noted after."""
    now = now or clock.now()
    with db.transaction() as tx:
        for interview_id in interview_ids:
            if done:
                tx.execute("improvement_tick", interview_id=int(interview_id), note_key=key, worked_on_at=now)
            else:
                tx.execute("improvement_untick", interview_id=int(interview_id), note_key=key)


# -- the pipeline ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pipeline:
    active: int
    band: tuple[int, int]
    message: str
    follow_ups: list  # follow_ups.FollowUpItem, due today or earlier (or time to move on)


def pipeline(db: Database, today: dt.date) -> Pipeline:
    active = applications.active_applications_on(db, today)
    band = settings.target_band(db)
    return Pipeline(active, band, applications.pipeline_message(active, band), follow_ups.follow_ups_to_do(db, today))
