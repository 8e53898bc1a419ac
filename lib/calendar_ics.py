"""Calendar export (.ics, RFC 5545, built with the icalendar library).

Three kinds of event, each with a reminder: thank-you deadlines, expected-response dates and
follow-up due dates. Importing a newer file updates the events instead of adding copies.

Decisions: docs/decisions.md, 'Calendar export'.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from . import clock, follow_ups, rules, settings
from .words import hours
from .db import Database
from .outputs import OutputRefused, write_output

WINDOW_DAYS = 30
UID_DOMAIN = "debrief.local"
PRODID = "-//Debrief//Action centre//EN"
THANK_YOU_EVENT = dt.timedelta(minutes=30)
THANK_YOU_REMINDER = dt.timedelta(hours=-2)
DAY_REMINDER = dt.timedelta(hours=9)  # from the start of an all-day event: 09:00 that day


def uid(kind: str, record_id: int) -> str:
    return f"{kind}-{record_id}@{UID_DOMAIN}"


def calendar_bytes(db: Database, *, now: dt.datetime | None = None) -> bytes:
    """The .ics file for the app's download button and the command line."""
    now = now or clock.now()
    zone = settings.time_zone(db)
    today = clock.local_day(now, zone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Debrief: thank-yous and follow-ups")
    for event in [*_thank_you_events(db, now), *_follow_up_events(db, today)]:
        event.add("dtstamp", now.astimezone(clock.UTC))
        # RFC 5545 3.8.7.4: calendars apply a re-imported event over the one with the same UID only
        # when its SEQUENCE is higher, so each export's events carry the minutes since 2000.
        event.add("sequence", sequence_at(now))
        calendar.add_component(event)
    return calendar.to_ical()


def sequence_at(now: dt.datetime) -> int:
    """Minutes since 2000-01-01 UTC: grows with every export, and fits iCalendar's integer for 4,000 years."""
    return int((now - dt.datetime(2000, 1, 1, tzinfo=clock.UTC)).total_seconds() // 60)


def _event(kind: str, record_id: int, summary: str, description: str, start, end, reminder: dt.timedelta,
           done: bool) -> Event:
    event = Event()
    event.add("uid", uid(kind, record_id))
    event.add("summary", summary)
    event.add("description", description)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("status", "CANCELLED" if done else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Debrief"])
    if not done:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", reminder)
        event.add_component(alarm)
    return event


def _application(company: str, role: str) -> str:
    return f"{company} – {role}" if role else company


def _thank_you_events(db: Database, now: dt.datetime) -> list[Event]:
    events = []
    for row in db.query("calendar_thank_yous", since=now - dt.timedelta(days=WINDOW_DAYS)).itertuples():
        due = clock.thank_you_due_at(row.starts_at.to_pydatetime())
        done = row.thank_yous > 0 and row.sent == row.thank_yous
        to = row.to_thank or row.interviewers or "the interview panel"
        summary = (f"{'Sent: ' if done else ''}Thank-you to {to} ({_application(row.company, row.role)})")
        description = (f"Interview at {row.company} for {row.role or 'a role'} with "
                       f"{row.interviewers or 'the panel'}. Send the thank-you within {hours(rules.THANK_YOU_WITHIN)} "
                       "of the start.")
        events.append(_event("thank-you", row.interview_id, summary, description, due - THANK_YOU_EVENT, due,
                             THANK_YOU_REMINDER, done))
    return events


def _follow_up_events(db: Database, today: dt.date) -> list[Event]:
    events = []
    state = follow_ups.follow_up_state(db, today, closed_since=today - dt.timedelta(days=WINDOW_DAYS))
    for row in state.itertuples():
        if row.expected_by is None:
            continue
        closed = not row.is_open
        who = row.interviewers or "the panel"
        where = _application(row.company, row.role)
        answered = closed or row.replies > 0
        if row.expected_by >= today - dt.timedelta(days=WINDOW_DAYS):
            events.append(_event(
                "expected-response", row.interview_id, f"{'Answered: ' if answered else ''}Expect to hear from {where}",
                f"{row.company} should have answered by today about the {row.role or 'role'} "
                f"(interview with {who}).", row.expected_by, row.expected_by + dt.timedelta(days=1),
                DAY_REMINDER, answered))
        due = follow_ups.next_follow_up(row, closed=closed)
        if due is None and not answered and row.unanswered < rules.MOVE_ON_AFTER_UNANSWERED:
            continue
        day = due or row.last_unanswered_on or row.expected_by
        events.append(_event(
            "follow-up", row.application_id, f"{'Done: ' if due is None else ''}Follow up with {where}",
            f"No answer yet from {row.company} about the {row.role or 'role'} (interview with {who}). "
            "A short, polite e-mail or call.", day, day + dt.timedelta(days=1), DAY_REMINDER, due is None))
    return events


def event_count(data: bytes) -> int:
    """The events of an .ics file, parsed: a note that says BEGIN:VEVENT is not an event."""
    return len(Calendar.from_ical(data).walk("VEVENT"))


def run_cli(db: Database, out_path: Path) -> int:
    """`python -m lib calendar OUT.ics`: write the file (atomically, never over an input); 0 done, 1 not written."""
    data = calendar_bytes(db)
    try:
        write_output(out_path, data, db=db)
    except OutputRefused as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 1
    except OSError as problem:
        print(f"error: cannot write {out_path}: {problem.strerror or problem}", file=sys.stderr)
        return 1
    print(f"Wrote {event_count(data)} events to {out_path}")
    return 0
