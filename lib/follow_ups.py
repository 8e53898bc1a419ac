"""The action centre: which thank-yous and follow-ups are due, and recording that they were done.

Every function that depends on the time takes it as an argument (`now`, an aware instant, or
`as_of` / `today`, a date in the user's zone), so tests run on a fixed clock; the pages pass
`clock.now()` and the `time_zone` setting.

Decisions: docs/decisions.md, 'Follow-ups and thank-yous'.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from . import clock, rules, settings
from .applications import (CLOSED_STATUSES, ValidationError, application_from_row, application_row,
                           update_application_row, validate_application)
from .db import Database, cell_date
from .debriefs import THANK_YOU_CHANNELS
from .validation import MAX_NOTE, Invalid, clean_text

FOLLOW_UP_CHANNELS = ("email", "phone", "other")
OUTCOMES = ("no_reply", "replied", "next_round", "offer", "rejected")
REPLY_OUTCOMES = ("replied", "next_round", "offer", "rejected")
OUTCOME_STATUS = {"offer": "offer", "rejected": "rejected", "next_round": "interviewing"}

THANK_YOU_STATUSES = ("on_time", "late", "not_sent")


# -- the numbers the report and the dashboard read ------------------------------------------------
def thank_you_timeline(db: Database, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per interview on or before `as_of` (default: today in the user's zone):
    interview_id, starts_on (its local date), status in {'on_time', 'late', 'not_sent'}."""
    if as_of is None:
        as_of = settings.today(db)
    frame = db.query("thank_you_status", parts=thank_you_statuses(db), as_of=as_of, **thank_you_window())
    frame["starts_on"] = pd.to_datetime(frame["starts_on"]).dt.date
    return frame


def thank_you_statuses(db: Database) -> dict[str, str]:
    """The thank-you rule's query (thank_you_statuses), for the queries that read from it."""
    return {"statuses": db.queries["thank_you_statuses"]}


def thank_you_window() -> dict:
    """The thank-you rule as the SQL's parameters: the window, and in whole days for a date-only send."""
    within = rules.THANK_YOU_WITHIN
    return {"thank_you_within": within, "thank_you_days": -(-within // dt.timedelta(days=1))}


def thank_you_counts(db: Database, as_of: dt.date) -> dict:
    """{'sent_on_time': n, 'sent_late': n, 'not_sent': n}, counted per interview on or before `as_of`."""
    counts = thank_you_timeline(db, as_of).status.value_counts()
    return {"sent_on_time": int(counts.get("on_time", 0)), "sent_late": int(counts.get("late", 0)),
            "not_sent": int(counts.get("not_sent", 0))}


def follow_up_state(db: Database, as_of: dt.date, *, closed_since: dt.date | None = None) -> pd.DataFrame:
    """Per open application (and, with `closed_since`, those closed since): latest interview, expected date, follow-ups."""
    frame = db.query("follow_up_state", as_of=as_of, zone=settings.time_zone(db),
                     closed_since=closed_since or as_of + dt.timedelta(days=1))
    for column in ("starts_on", "expected_by", "last_unanswered_on", "imported_on"):
        frame[column] = [cell_date(value) for value in frame[column]]
    return frame


def follow_ups_due(db: Database, as_of: dt.date) -> pd.DataFrame:
    """Open applications whose expected response date passed before `as_of` with nothing logged since the
    interview: company, role, application_id, interview_id, expected_by, due (the next business day)."""
    return _due_from_state(follow_up_state(db, as_of), as_of)


def _due_from_state(state: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    passed = pd.Series([expected is not None and expected < as_of for expected in state.expected_by],
                       index=state.index, dtype=bool)
    due = state[passed & (state.follow_ups == 0)]
    out = due[["company", "role", "application_id", "interview_id", "expected_by"]].copy()
    out["due"] = clock.follow_ups_due_on(out.expected_by)
    return out.sort_values(["due", "application_id"]).reset_index(drop=True)


# -- the Today list ---------------------------------------------------------------------------------
def thank_yous_due(db: Database, now: dt.datetime) -> pd.DataFrame:
    """Thank-yous not yet sent for interviews that have started, deadline first, with `time_left`
    (negative once overdue) and `overdue`; overdue ones for rules.THANK_YOU_OVERDUE_SHOWN_FOR after the deadline."""
    frame = db.query("pending_thank_yous", now=now, shown_from=now - rules.THANK_YOU_OVERDUE_SHOWN_FOR,
                     thank_you_within=rules.THANK_YOU_WITHIN)
    frame["time_left"] = [due.to_pydatetime() - now for due in frame.due_at]
    frame["overdue"] = [left <= dt.timedelta(0) for left in frame.time_left]
    return frame


@dataclass(frozen=True)
class FollowUpItem:
    """One application's next step on the follow-up diary."""
    application_id: int
    interview_id: int
    company: str
    role: str
    interviewers: str
    expected_by: dt.date
    due: dt.date | None      # None: move on instead
    unanswered: int
    may_follow_up: bool | None

    @property
    def suggest_moving_on(self) -> bool:
        return self.unanswered >= rules.MOVE_ON_AFTER_UNANSWERED

    def status(self, today: dt.date) -> str:
        """'move_on', 'overdue' (due before today), 'due' (today) or 'soon' (a later day)."""
        if self.suggest_moving_on:
            return "move_on"
        return "overdue" if self.due < today else "due" if self.due == today else "soon"


def next_follow_up(row, *, closed: bool = False) -> dt.date | None:
    """When the next follow-up on a `follow_up_state` row falls due (None: replied, closed, or time to move on)."""
    if closed or row.replies > 0 or row.expected_by is None or row.unanswered >= rules.MOVE_ON_AFTER_UNANSWERED:
        return None
    if row.unanswered == 0:
        return clock.follow_up_due_on(row.expected_by) if row.follow_ups == 0 else None
    return clock.business_days_after(row.last_unanswered_on, rules.FOLLOW_UP_AGAIN_AFTER_BUSINESS_DAYS)


def follow_ups_to_do(db: Database, today: dt.date) -> list[FollowUpItem]:
    """The Today list: the report's due follow-ups (`follow_ups_due`), the second follow-up
    5 business days after an unanswered first, and a suggestion to move on after two; not what
    was already settled history when its interview was recorded."""
    return [item for item, settled, _ in _follow_up_items(db, today) if not settled]


def settled_since(db: Database, since: dt.datetime, today: dt.date) -> list[FollowUpItem]:
    """Follow-ups of interviews imported at or after the instant `since` that were due more than
    rules.IMPORTED_SETTLED_AFTER before the import: kept off the Today list, and said once, by the import."""
    return [item for item, settled, imported_at in _follow_up_items(db, today) if settled and imported_at >= since]


def _follow_up_items(db: Database, today: dt.date) -> list[tuple[FollowUpItem, bool, dt.datetime]]:
    """Each open application's next follow-up step, whether it is settled history, and when its interview was imported."""
    items = []
    state = follow_up_state(db, today)
    first_due = _due_from_state(state, today).set_index("application_id").due.to_dict()
    for row in state.itertuples():
        if row.replies > 0 or row.expected_by is None:
            continue
        if row.unanswered >= rules.MOVE_ON_AFTER_UNANSWERED:
            due = None
        elif row.unanswered == 0:
            due = first_due.get(row.application_id)
            if due is None:
                continue
        else:
            due = next_follow_up(row)
            if due is None or due > today:
                continue
        may = None if pd.isna(row.may_follow_up) else bool(row.may_follow_up)
        item = FollowUpItem(int(row.application_id), int(row.interview_id), row.company, row.role,
                            row.interviewers, row.expected_by, due, int(row.unanswered), may)
        imported_on = row.imported_on
        settled = (imported_on is not None and due is not None and due < imported_on - rules.IMPORTED_SETTLED_AFTER
                   and today >= imported_on)
        items.append((item, settled, None if imported_on is None else row.imported_at.to_pydatetime()))
    return sorted(items, key=lambda entry: (entry[0].due or dt.date.min, entry[0].application_id))


def upcoming_interviews(db: Database, now: dt.datetime, within: dt.timedelta | None = None) -> pd.DataFrame:
    """Interviews starting after `now` and within `within` (default rules.UPCOMING_WITHIN), soonest first."""
    return db.query("upcoming_interviews", now=now, until=now + (within or rules.UPCOMING_WITHIN))


def recent_interviews(db: Database, now: dt.datetime, *, max_interviews: int = 30) -> pd.DataFrame:
    """The latest interviews up to `now`, newest first: the ones a thank-you draft is written for."""
    return db.query("recent_interviews", now=now, max_interviews=max_interviews)


def follow_up_diary(db: Database, application_id: int) -> pd.DataFrame:
    """Every follow-up logged for one application, newest first."""
    return db.query("follow_up_diary", application_id=application_id)


def set_time_zone(db: Database, name: str) -> str:
    """Store the zone times are shown in (the `time_zone` setting); Invalid unless it is a known IANA zone."""
    name = (name or "").strip()
    if name not in clock.zone_names():
        raise Invalid(f"Unknown time zone {name!r}: pick one from the list, such as Europe/London.")
    settings.put(db, "time_zone", name)
    return name


# -- recording what was done ----------------------------------------------------------------------
def mark_thank_you_sent(db: Database, thank_you_id: int, channel: str, sent_at: dt.datetime | None = None, *,
                        now: dt.datetime | None = None, zone: str | None = None) -> None:
    """Record one thank-you as sent by `channel` at the instant `sent_at` (default: now).

    `sent_on` is stored too: the day it was in `zone` (default: the interview's zone). Refused
    with `Invalid` (nothing written) for an unknown channel, a time before the interview
    started or in the future, or a thank-you that no longer exists.
    """
    now = now or clock.now()
    sent_at = sent_at or now
    if sent_at.tzinfo is None:
        raise ValueError("sent_at must be an aware instant (use clock.to_instant)")
    if channel not in THANK_YOU_CHANNELS:
        raise Invalid("Choose how you sent it: e-mail, handwritten card or both.")
    if sent_at > now + rules.CLOCK_SLACK:
        raise Invalid("The sent time is in the future; record a thank-you once it has gone out.")
    with db.transaction() as tx:
        found = tx.query("get_thank_you", id=thank_you_id)
        if found.empty:
            raise Invalid("This thank-you no longer exists (the interview was edited or deleted); reload the page.")
        row = found.iloc[0]
        if pd.notna(row.sent_on) or pd.notna(row.sent_at):  # e.g. a second tab, or a double click
            raise Invalid("This thank-you is already recorded as sent; reload the page to see when.")
        if sent_at < row.starts_at.to_pydatetime():
            raise Invalid("The sent time is before the interview started; check the date and time.")
        tx.execute("mark_thank_you_sent", id=thank_you_id, channel=channel, sent_at=sent_at,
                   sent_on=clock.local_day(sent_at, zone or row.time_zone))


def log_follow_up(db: Database, application_id: int, interview_id: int | None, on: dt.date, channel: str,
                  note: str = "", *, outcome: str | None = None, today: dt.date | None = None) -> int:
    """Log a follow-up made on `on` by `channel` (email, phone, other); return its id.

    `outcome` None means no answer yet; an offer or a rejection also closes the application. Refused with `Invalid` (nothing written) for an unknown
    channel or outcome, a day in the future or before the application, an over-long note, or
    an interview of another application.
    """
    today = today or dt.date.today()
    if channel not in FOLLOW_UP_CHANNELS:
        raise Invalid("Choose how you followed up: e-mail, phone or other.")
    if outcome not in (None, *OUTCOMES):
        raise Invalid(f"Unknown outcome {outcome!r}.")
    if on > today:
        raise Invalid("That day is still to come; log a follow-up once you have made it.")
    note = clean_text(note, "Note", max_len=MAX_NOTE)
    with db.transaction() as tx:
        app = _check_application(tx, application_id, on)
        if interview_id is not None and not tx.scalar("interview_of_application", interview_id=interview_id,
                                                      application_id=application_id):
            raise Invalid("That interview is not part of this application.")
        follow_up_id = tx.scalar("insert_follow_up", application_id=application_id, interview_id=interview_id,
                                 followed_up_on=on, channel=channel, note=note or None, outcome=outcome)
        _apply_outcome(tx, application_id, app, outcome, on)
        return follow_up_id


def record_outcome(db: Database, application_id: int, outcome: str, on: dt.date, *, note: str = "",
                   today: dt.date | None = None) -> None:
    """Record their answer on `on`: it answers the newest unanswered follow-up since the latest
    interview (that follow-up keeps its own note; `note` is used only when there is none to
    answer), or is logged as contact of channel 'other'. An offer or rejection closes the
    application that day; a next round reopens it as interviewing. One transaction."""
    today = today or dt.date.today()
    if outcome not in OUTCOMES:
        raise Invalid("Choose what happened: no reply, replied, next round, offer or rejected.")
    if on > today:
        raise Invalid("That day is still to come; record the answer once you have it.")
    note = clean_text(note, "Note", max_len=MAX_NOTE)
    zone = settings.time_zone(db)
    with db.transaction() as tx:
        app = _check_application(tx, application_id, on)
        since = tx.scalar("latest_interview_day_of_application", application_id=application_id, on=on, zone=zone)
        answered = tx.scalar("latest_unanswered_follow_up", application_id=application_id,
                             since=since or dt.date.min, on=on)
        if answered is not None:
            tx.execute("set_follow_up_outcome", id=answered, outcome=outcome)
        else:
            tx.scalar("insert_follow_up", application_id=application_id, interview_id=None, followed_up_on=on,
                      channel="other", note=note or "They got in touch.", outcome=outcome)
        _apply_outcome(tx, application_id, app, outcome, on)


def mark_ghosted(db: Database, application_id: int, on: dt.date) -> None:
    """Close the application as ghosted on `on` (after unanswered follow-ups: time to move on)."""
    with db.transaction() as tx:
        app = _check_application(tx, application_id, on)
        _set_status(tx, application_id, app, "ghosted", on)


def _check_application(tx, application_id: int, on: dt.date):
    rows = tx.query("get_application", id=application_id)
    if rows.empty:
        raise Invalid("That application no longer exists; reload the page.")
    app = application_from_row(rows.iloc[0])
    if on < app.applied_on:
        raise Invalid(f"That day is before you applied ({app.applied_on:%d %b %Y}).")
    return app


def _apply_outcome(tx, application_id: int, app, outcome: str | None, on: dt.date) -> None:
    """A rejection closes the application; an offer keeps it open; a next round makes it interviewing again."""
    status = OUTCOME_STATUS.get(outcome)
    if status is not None and status != app.status:
        _set_status(tx, application_id, app, status, on)


def _set_status(tx, application_id: int, app, status: str, on: dt.date) -> None:
    """Through lib.applications' own validation, inside the caller's transaction."""
    app.status = status
    app.closed_on = on if status in CLOSED_STATUSES else None
    try:
        clean = validate_application(app, today=on)
    except ValidationError as problem:
        raise Invalid(str(problem)) from None
    update_application_row(tx, application_id, application_row(clean))
