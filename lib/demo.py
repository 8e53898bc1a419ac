"""A synthetic job-search history of any size: `python -m lib demo --interviews N`, for benchmarks.

Drawn with numpy from one seeded generator and written in one transaction: the same seed and
`until` give the same rows, appended to whatever the database holds.

Decisions: docs/decisions.md, 'Synthetic histories'.
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import clock, settings
from .db import Database
from .debriefs import CATEGORIES, THANK_YOU_CHANNELS, TO_IMPROVE_SUGGESTIONS, WENT_WELL_SUGGESTIONS
from .questions import assign_groups
from .validation import EARLIEST_DATE

MAX_INTERVIEWS = 2_000_000
MIN_SPAN_DAYS = 120
TABLES = ("applications", "interviews", "interviewers", "questions", "reflections", "thank_yous", "follow_ups")


class Intent(NamedTuple):
    """What a question is after, whatever the words: `difficulty` lowers its typical score."""
    category: str
    difficulty: float
    wordings: tuple[str, ...]


# 31 intents: a prime count, so that stepping through them with any stride from 1 to 30 visits
# distinct intents, which is how _questions avoids asking the same thing twice in one interview.
INTENTS = (
    Intent("introduction", -1.0, ("Tell me about yourself.", "Walk me through your background.",
                                  "Give me the two-minute version of your career so far.", "So, who are you in a nutshell?")),
    Intent("introduction", -0.5, ("Walk me through your CV.", "Talk me through the roles on your résumé.",
                                  "How did you get from your first job to where you are now?")),
    Intent("behavioural", -0.5, ("What project are you proudest of?", "Tell me about the piece of work you're most proud of.",
                                 "Which result from your last role would you show off?")),
    Intent("motivation", -0.5, ("Why do you want to work here?", "What attracted you to us?",
                                "Why us rather than a competitor?", "What do you know about what we do?")),
    Intent("motivation", 0.5, ("Why are you leaving your current job?", "What's prompting the move?",
                               "Why are you looking right now?")),
    Intent("motivation", -0.5, ("Why this role?", "What interests you about this position?", "What made you apply for this job?")),
    Intent("motivation", 0.5, ("Where do you see yourself in five years?", "What are your long-term career goals?",
                               "What's next for you after this role?")),
    Intent("behavioural", 1.0, ("Tell me about a time you disagreed with a stakeholder.",
                                "Describe a situation where someone pushed back on your analysis.",
                                "How do you handle a manager who disagrees with your numbers?",
                                "Tell me about a conflict at work and how you resolved it.")),
    Intent("behavioural", 1.0, ("Tell me about a time you made a mistake.", "Describe a failure and what you learned.",
                                "When did an analysis of yours turn out to be wrong?")),
    Intent("behavioural", 0.0, ("Tell me about a time you worked to a tight deadline.",
                                "Describe juggling several urgent requests at once.",
                                "How do you prioritise when everything is due today?")),
    Intent("behavioural", 0.5, ("Give an example of persuading people who didn't report to you.",
                                "How have you influenced a decision without being in charge?",
                                "Tell me about changing someone's mind with data.")),
    Intent("behavioural", 0.0, ("Describe a project where you worked across teams.",
                                "Tell me about working with engineering or finance on a shared goal.",
                                "What role do you usually take in a team?")),
    Intent("behavioural", 0.5, ("How would you explain a technical result to a non-technical audience?",
                                "Tell me about presenting data to executives.",
                                "Explain a complex analysis as you would to a CEO.")),
    Intent("strengths/weaknesses", 2.0, ("What is your greatest weakness?", "What's one area you're working on?",
                                         "What would your last manager say you need to improve?",
                                         "Tell me about something you'd like to get better at.")),
    Intent("strengths/weaknesses", 0.0, ("What is your greatest strength?", "What are you best at?",
                                         "What would colleagues say you're great at?")),
    Intent("strengths/weaknesses", 1.0, ("Why should we hire you?", "What makes you the right person for this role?",
                                         "What would you bring that other candidates wouldn't?")),
    Intent("situational", 0.5, ("What would you do with a vague request from a senior stakeholder?",
                                "How do you start when the requirements are unclear?",
                                "A director asks for 'a dashboard on churn'. What do you do first?")),
    Intent("situational", 0.0, ("What would you do in your first 90 days?", "How would you get up to speed here?",
                                "What would your first month look like?")),
    Intent("situational", 1.0, ("Two reports show different revenue. How do you resolve it?",
                                "What do you do when the numbers don't match across systems?",
                                "Finance and sales disagree on a metric. How do you settle it?")),
    Intent("situational", 1.0, ("How would you measure the success of a loyalty programme?",
                                "Which metrics would you track for a new product launch?",
                                "How would you tell if a price change worked?")),
    Intent("technical", 0.5, ("Write SQL for the top three products by revenue in each region.",
                              "How would you rank items within groups in SQL?",
                              "Which window function gives the top N per category?")),
    Intent("technical", 0.0, ("How do you remove duplicate rows in SQL?",
                              "Explain the difference between an inner and a left join.",
                              "Why might a join multiply your row count?")),
    Intent("technical", 1.5, ("How would you design an A/B test?", "How do you know a test result is significant?",
                              "What can go wrong in an A/B test?")),
    Intent("technical", 0.0, ("How do you design a dashboard people actually use?", "Walk me through a dashboard you built.",
                              "Which BI tools have you used, and for what?")),
    Intent("technical", 0.5, ("How do you check that your numbers are right?", "How do you validate a new data source?",
                              "What checks do you run before sharing an analysis?")),
    Intent("technical", 1.5, ("How would you forecast next quarter's sales?", "Walk me through a forecast you built.",
                              "How do you handle seasonality in a forecast?")),
    Intent("technical", 1.5, ("Explain a p-value in plain words.", "When would you use a median rather than a mean?",
                              "What is the difference between correlation and causation?")),
    Intent("salary", 2.5, ("What salary are you expecting?", "What are your pay expectations?",
                           "What kind of compensation are you looking for?", "Where would you need to be on base salary?")),
    Intent("salary", 2.0, ("What is your current salary?", "What are you earning now?",
                           "What's your current package?")),
    Intent("closing", -0.5, ("Do you have any questions for us?", "What would you like to know about the team?",
                             "Anything you'd like to ask me?")),
    Intent("other", 0.0, ("Are you interviewing anywhere else?", "Where else are you in process?",
                          "When could you start?")),
)
# Notes by how the answer went (score 1–4, 5–7, 8–10), three of each.
ANSWER_NOTES = (
    "Rambled and lost the thread.", "No concrete example came to mind.", "Too vague; no numbers.",
    "Fine, but ran long.", "Good example, weak ending.", "Answered, without a clear structure.",
    "Clear STAR answer with a number at the end.", "Crisp and on point.", "Good example; they nodded along.",
)
COMPANIES = ("Wide World Importers", "Woodgrove Bank", "Coho Winery", "Alpine Ski House", "Blue Yonder Airlines",
             "Fourth Coffee", "A. Datum Corporation", "Lucerne Publishing", "Margie's Travel", "Trey Research",
             "Wingtip Toys", "Humongous Insurance", "Graphic Design Institute", "Consolidated Messenger",
             "City Power & Light", "Relecloud", "VanArsdel", "Lamna Healthcare", "Munson's Pickles and Preserves",
             "Southridge Video", "Best For You Organics", "Tailwind Traders", "School of Fine Art", "Bellows College")
ROLES = ("Data Analyst", "Senior Data Analyst", "Lead Data Analyst", "Business Analyst", "Senior Business Analyst",
         "BI Analyst", "BI Developer", "Analytics Engineer", "Product Analyst", "Pricing Analyst", "Reporting Analyst",
         "Analytics Consultant")
SOURCES = ("LinkedIn", "Company website", "Referral", "Recruiter", "Job board")
FIRST_NAMES = ("Ana", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam",
               "Mei", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tomás")
LAST_NAMES = ("Abbott", "Baker", "Castro", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen",
              "Kowalski", "Lopez", "Morales", "Nakamura", "Okafor", "Patel", "Rossi", "Schmidt", "Tanaka", "Weber")
POSITIONS = ("Recruiter", "Talent Acquisition Partner", "Hiring Manager", "Analytics Manager", "Senior Data Analyst",
             "Data Scientist", "Finance Director", "Head of BI", "Product Manager", "Head of Operations",
             "Data Engineer", "HR Business Partner")
STAGES = ("Recruiter screen", "Hiring manager", "Case study", "Final panel")  # by round, the 4th for any later one
KEY_TOPICS = ("SQL, dashboards and stakeholders", "Forecasting and planning", "A/B testing and experiments",
              "Team culture and ways of working", "Data quality and governance", "Pricing analytics",
              "Customer churn", "Supply-chain reporting", "Product metrics", "Salary and start date")
NEXT_STEPS = ("Recruiter will be in touch about the next round.", "Take-home exercise to follow.",
              "Final round with the director.", "They will decide after the last candidates.",
              "Waiting for feedback from the panel.")
# A timeline given in the interview: (days until the expected answer, as it was said).
TIMELINES = ((3, "In a few days"), (7, "Within a week"), (10, "By the end of next week"),
             (14, "Within two weeks"), (21, "Within three weeks"))
# How a closed application ended, how likely, and how many days after its last round (low, high).
OUTCOMES = (("rejected", 0.50, (2, 14)), ("ghosted", 0.30, (30, 45)), ("withdrawn", 0.10, (1, 10)),
            ("offer", 0.05, (3, 14)), ("accepted", 0.05, (5, 20)))
FOLLOW_UP_CHANNELS = ("email", "phone", "other")


def run_cli(db: Database, *, interviews: int, seed: int = 0, until: dt.date | None = None) -> int:
    """`python -m lib demo`: generate, then print one line of counts and the time taken."""
    if not 1 <= interviews <= MAX_INTERVIEWS:
        print(f"error: --interviews must be from 1 to {MAX_INTERVIEWS:,}, not {interviews:,}.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    counts = generate(db, interviews, seed=seed, until=until)
    seconds = time.perf_counter() - started
    rows = ", ".join(f"{counts[table]:,} {table.replace('_', '-')}" for table in TABLES)
    print(f"Added {rows} to {db.path} in {seconds:.2f} s (seed {seed}).")
    return 0


def generate(db: Database, interviews: int, *, seed: int = 0, until: dt.date | None = None) -> dict[str, int]:
    """Append a history of exactly `interviews` interviews ending on `until`; return rows added per table."""
    zone = settings.time_zone(db)
    until = until or clock.to_local(clock.now(), zone).date()
    rng = np.random.default_rng(seed)
    frames = _history(rng, interviews, np.datetime64(until, "D"), zone)
    with db.transaction() as tx:
        # Sorted: a block from nextval() is contiguous but need not come back in order, and the
        # same seed must give the same rows.
        ids = {table: np.sort(np.array(tx.new_ids(table, len(frames[table])), dtype=np.int64)) for table in TABLES}
        for table in TABLES:
            tx.insert_frame(table, _with_ids(table, frames[table], ids))
        assign_groups(tx)  # ~100 distinct wordings, matched once each, then mapped
    return {table: len(frames[table]) for table in TABLES}


def _with_ids(table: str, frame: pd.DataFrame, ids: dict[str, np.ndarray]) -> pd.DataFrame:
    """Give each row its id, and turn each `<x>_id` column from row numbers of table `<x>s` into ids."""
    frame = frame.assign(id=ids[table])
    for column in frame.columns:
        if column.endswith("_id"):
            frame[column] = ids[column.removesuffix("_id") + "s"][frame[column].to_numpy()]
    return frame


def _history(rng: np.random.Generator, n: int, until: np.datetime64, zone: str) -> dict[str, pd.DataFrame]:
    """Every table's rows, without ids: they refer to each other by row number until ids are known."""
    span = max(MIN_SPAN_DAYS, min(n // 5, int((until - np.datetime64(EARLIEST_DATE, "D")).astype(int))))
    schedule = _schedule(rng, n, until, span)
    applications = _applications(rng, schedule, until)
    interviews = _interviews(rng, schedule, zone)
    interviewers = _interviewers(rng, n)
    return {
        "applications": applications,
        "interviews": interviews,
        "interviewers": interviewers,
        "questions": _questions(rng, schedule, until, span),
        "reflections": _reflections(rng, n),
        "thank_yous": _thank_yous(rng, interviewers, interviews.starts_at, until, zone),
        "follow_ups": _follow_ups(rng, schedule, applications, until),
    }


class _Schedule(NamedTuple):
    """When things happened: per application (`applied_on`, `first`, `last` interview) and per interview."""
    applied_on: np.ndarray    # datetime64[D], per application
    first: np.ndarray         # position of each application's first interview
    last: np.ndarray          # … and of its last
    application: np.ndarray   # per interview: position of its application
    round: np.ndarray         # per interview, from 1
    day: np.ndarray           # per interview: datetime64[D], a weekday


def _schedule(rng: np.random.Generator, n: int, until: np.datetime64, span: int) -> _Schedule:
    """Applications of 1–4 rounds (2.5 on average) adding up to exactly n interviews, in date order.

    Dates are counted in business days (numpy's Monday–Friday calendar), so every interview
    falls on a weekday and none after `until`.
    """
    rounds = rng.choice([1, 2, 3, 4], size=n, p=[0.2, 0.3, 0.3, 0.2])  # n applications always suffice
    total = np.cumsum(rounds)
    count = int(np.searchsorted(total, n)) + 1
    rounds = rounds[:count]
    rounds[-1] -= total[count - 1] - n
    # Business days from applying to each round: 3–15 to the first, then 3–10 between rounds.
    gaps = np.column_stack([rng.integers(3, 16, count), rng.integers(3, 11, (count, 3))])
    since_applied = np.cumsum(gaps, axis=1)
    took = since_applied[np.arange(count), rounds - 1]
    # Any start that lets the last round fall on or before `until`, then sorted by date.
    business_days = span * 5 // 7
    started = rng.integers(0, business_days - took + 1)
    order = np.argsort(started, kind="stable")
    rounds, since_applied, started = rounds[order], since_applied[order], started[order]
    first_day = np.busday_offset(until, -business_days, roll="backward")
    application = np.repeat(np.arange(count), rounds)
    first = np.cumsum(rounds) - rounds
    round_ = np.arange(n) - first[application] + 1
    day = np.busday_offset(first_day, started[application] + since_applied[application, round_ - 1])
    return _Schedule(np.busday_offset(first_day, started), first, first + rounds - 1, application, round_, day)


def _applications(rng: np.random.Generator, schedule: _Schedule, until: np.datetime64) -> pd.DataFrame:
    """Closed (with closed_on) once their outcome's delay after the last round has passed; else interviewing."""
    count = len(schedule.applied_on)
    outcome = rng.choice(len(OUTCOMES), size=count, p=[p for _, p, _ in OUTCOMES])
    low, high = np.array([delay for _, _, delay in OUTCOMES]).T
    closed_on = schedule.day[schedule.last] + rng.integers(low[outcome], high[outcome] + 1).astype("timedelta64[D]")
    is_open = closed_on > until
    statuses = np.array([status for status, _, _ in OUTCOMES] + ["interviewing"], dtype=object)
    return pd.DataFrame({
        "company": _pick(rng, COMPANIES, count),
        "role": _pick(rng, ROLES, count),
        "source": _pick(rng, SOURCES, count),
        "applied_on": schedule.applied_on,
        "status": pd.Categorical(statuses[np.where(is_open, len(OUTCOMES), outcome)]),
        "closed_on": np.where(is_open, np.datetime64("NaT"), closed_on),
    })


def _interviews(rng: np.random.Generator, schedule: _Schedule, zone: str) -> pd.DataFrame:
    """Working-hours starts in the user's zone; phone screens first, onsite panels later."""
    n = len(schedule.day)
    round_ = schedule.round
    minutes = rng.integers(9 * 2, 17 * 2, n) * 30  # on the hour or half hour, 09:00–16:30
    wall_clock = pd.Series(schedule.day.astype("datetime64[us]") + minutes.astype("timedelta64[m]"))
    # fold=0, as lib.clock.to_instant reads an ambiguous wall-clock time: the first of the two.
    starts_at = wall_clock.dt.tz_localize(zone, ambiguous=np.ones(n, dtype=bool), nonexistent="shift_forward")
    later_format = rng.choice(["video", "onsite", "phone"], size=n, p=[0.5, 0.4, 0.1])
    first_format = rng.choice(["phone", "video"], size=n, p=[0.7, 0.3])
    timeline_given = rng.random(n) < 0.4  # otherwise the default answer date, 5 business days later
    timeline = rng.integers(0, len(TIMELINES), n)
    days_given = np.array([days for days, _ in TIMELINES])[timeline].astype("timedelta64[D]")
    may_follow_up = rng.choice(3, size=n, p=[0.6, 0.1, 0.3])  # yes, no, not discussed
    return pd.DataFrame({
        "application_id": schedule.application,
        "round": round_,
        "stage": pd.Categorical.from_codes(np.minimum(round_, len(STAGES)) - 1, STAGES),
        "format": pd.Categorical(np.where(round_ == 1, first_format, later_format)),
        "starts_at": starts_at.dt.tz_convert("UTC"),
        "time_zone": pd.Categorical.from_codes(np.zeros(n, dtype=int), [zone]),
        "key_topics": _pick(rng, KEY_TOPICS, n),
        "next_steps": _pick(rng, NEXT_STEPS, n),
        "timeline_given": pd.Categorical.from_codes(np.where(timeline_given, timeline, -1),
                                                    [text for _, text in TIMELINES]),
        "may_follow_up": pd.array(np.where(may_follow_up == 2, None, may_follow_up == 0), dtype="boolean"),
        "expected_response_by": np.where(timeline_given, schedule.day + days_given, np.busday_offset(schedule.day, 5)),
        "expected_response_is_default": ~timeline_given,
    })


def _questions(rng: np.random.Generator, schedule: _Schedule, until: np.datetime64, span: int) -> pd.DataFrame:
    """2–8 distinct intents per interview, in interview order (introduction first, closing last)."""
    n = len(schedule.day)
    interview = np.repeat(np.arange(n), rng.integers(2, 9, n))
    seq = np.arange(len(interview)) - np.searchsorted(interview, interview)
    start, stride = rng.integers(0, len(INTENTS), n), rng.integers(1, len(INTENTS), n)
    intent = (start[interview] + seq * stride[interview]) % len(INTENTS)
    category_of = np.array([CATEGORIES.index(i.category) for i in INTENTS])
    intent = intent[np.lexsort((category_of[intent], interview))]  # interview stays sorted: seq still counts 0, 1, …
    category = category_of[intent]
    score = _scores(rng, intent, schedule.day[interview], until, span)
    wordings = [w for i in INTENTS for w in i.wordings]
    offsets = np.cumsum([0] + [len(i.wordings) for i in INTENTS])[:-1]
    choices = np.array([len(i.wordings) for i in INTENTS])[intent]  # how many ways each can be asked
    wording = offsets[intent] + (rng.random(len(intent)) * choices).astype(int)
    band = (score >= 5).astype(int) + (score >= 8)
    note = np.where(rng.random(len(intent)) < 0.7, band * 3 + rng.integers(0, 3, len(intent)), -1)  # -1: no note
    return pd.DataFrame({
        "interview_id": interview,
        "seq": seq,
        "wording": pd.Categorical.from_codes(wording, wordings),
        "answer_note": pd.Categorical.from_codes(note, ANSWER_NOTES),
        "score": score,
        "category": pd.Categorical.from_codes(category, CATEGORIES),
    })


def _scores(rng: np.random.Generator, intent: np.ndarray, day: np.ndarray, until: np.datetime64, span: int) -> np.ndarray:
    """1–10: about 6 for an average question, lower for hard intents, +2 over the whole history."""
    progress = 1 - (until - day).astype(int) / span
    difficulty = np.array([i.difficulty for i in INTENTS])[intent]
    raw = 6.0 - difficulty + 2.0 * progress + rng.normal(0, 1.4, len(intent))
    return np.clip(np.rint(raw), 1, 10).astype(np.int32)


def _interviewers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    interview = np.repeat(np.arange(n), rng.choice([1, 2, 3], size=n, p=[0.5, 0.35, 0.15]))
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    return pd.DataFrame({
        "interview_id": interview,
        "seq": np.arange(len(interview)) - np.searchsorted(interview, interview),
        "name": _pick(rng, names, len(interview)),
        "position": _pick(rng, POSITIONS, len(interview)),
    })


def _reflections(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Each suggestion ticked or not, independently: about 3 went-well and 1 to-improve per interview."""
    parts = []
    for kind, items, chance in (("went_well", WENT_WELL_SUGGESTIONS, 0.55),
                                ("to_improve", TO_IMPROVE_SUGGESTIONS, 0.25)):
        ticked = rng.random((n, len(items))) < chance
        interview, item = np.nonzero(ticked)
        parts.append(pd.DataFrame({
            "interview_id": interview,
            "kind": kind,
            "seq": (ticked.cumsum(axis=1) - 1)[interview, item],
            "item": pd.Categorical.from_codes(item, items),
        }))
    return pd.concat(parts, ignore_index=True)


def _thank_yous(rng: np.random.Generator, interviewers: pd.DataFrame, starts_at: pd.Series,
                until: np.datetime64, zone: str) -> pd.DataFrame:
    """One per interviewer, all sent together: on time for ~70% of interviews, late for ~15%, never for ~15%.

    Nothing is sent after the end of `until`: the history stops there.
    """
    n = len(starts_at)
    hours = np.where(rng.random(n) < 0.82, rng.uniform(0.5, 10, n), rng.uniform(25, 96, n))
    sent_at = starts_at + pd.to_timedelta(np.round(hours * 60), unit="min")
    end = pd.Timestamp(until + np.timedelta64(1, "D")).tz_localize(zone)
    unsent = (rng.random(n) < 0.15) | (sent_at >= end).to_numpy()
    sent_at = sent_at.mask(unsent)
    interview = interviewers.interview_id.to_numpy()
    sent_at = sent_at.iloc[interview].reset_index(drop=True)
    return pd.DataFrame({
        "interview_id": interview,
        "interviewer_id": np.arange(len(interview)),
        "channel": pd.Categorical.from_codes(rng.choice(3, size=len(interview), p=[0.9, 0.05, 0.05]),
                                             THANK_YOU_CHANNELS),
        "sent_at": sent_at.dt.tz_convert("UTC"),
        "sent_on": sent_at.dt.tz_convert(zone).dt.tz_localize(None).dt.normalize(),
    })


def _follow_ups(rng: np.random.Generator, schedule: _Schedule, applications: pd.DataFrame,
                until: np.datetime64) -> pd.DataFrame:
    """For ~20% of applications, a nudge 6–14 days after the last round, if still before they closed."""
    count = len(schedule.applied_on)
    on = schedule.day[schedule.last] + rng.integers(6, 15, count).astype("timedelta64[D]")
    closed_on = applications.closed_on.to_numpy()
    deadline = np.where(np.isnat(closed_on), until, closed_on)
    chosen = np.flatnonzero((rng.random(count) < 0.2) & (on <= deadline))
    ghosted = applications.status.to_numpy()[chosen] == "ghosted"
    replied = ~ghosted & (rng.random(len(chosen)) < 0.5)
    return pd.DataFrame({
        "application_id": chosen,
        "interview_id": schedule.last[chosen],
        "followed_up_on": on[chosen],
        "channel": pd.Categorical.from_codes(rng.choice(3, size=len(chosen), p=[0.8, 0.15, 0.05]), FOLLOW_UP_CHANNELS),
        "outcome": pd.Categorical(np.where(replied, "replied", "no_reply")),
    })


def _pick(rng: np.random.Generator, texts, size: int) -> pd.Categorical:
    """`size` texts drawn from `texts` (as codes: DuckDB reads a categorical as cheaply as integers)."""
    return pd.Categorical.from_codes(rng.integers(0, len(texts), size), list(texts))
