"""The product's rules live in lib/rules.py: change one there and every place that applies it follows."""
import datetime as dt

import pytest
from icalendar import Calendar

from lib import calendar_ics, dashboard, follow_ups, report, rules, settings
from lib.debriefs import Debrief, Interviewer, save_debrief
from lib.ui.debriefs import thank_you_line

UTC = dt.timezone.utc
START = dt.datetime(2026, 3, 19, 15, 0)                 # Thursday, London (UTC+0 in March)
SENT_AFTER = dt.timedelta(hours=30)                      # late at 24 h, on time at 48 h


@pytest.fixture
def interview(fresh_db):
    settings.put(fresh_db, "time_zone", "Europe/London")
    interview_id = save_debrief(fresh_db, Debrief(company="Contoso", starts_at=START, time_zone="Europe/London",
                                                  interviewers=[Interviewer("Ann Lee")]), today=START.date())
    return interview_id


def thank_you_event(db, now) -> dt.datetime:
    calendar = Calendar.from_ical(calendar_ics.calendar_bytes(db, now=now))
    [event] = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("thank-you-")]
    return event["DTEND"].dt


def mark_sent(db, interview_id, after: dt.timedelta) -> None:
    [thank_you] = follow_ups.thank_yous_due(db, START.replace(tzinfo=UTC) + after).thank_you_id.tolist()
    follow_ups.mark_thank_you_sent(db, thank_you, "email", START.replace(tzinfo=UTC) + after,
                                now=START.replace(tzinfo=UTC) + after)


@pytest.mark.parametrize("window", [dt.timedelta(hours=24), dt.timedelta(hours=48)])
def test_the_thank_you_window_is_one_value_that_today_the_calendar_the_report_and_the_dashboard_follow(
        fresh_db, interview, monkeypatch, window):
    monkeypatch.setattr(rules, "THANK_YOU_WITHIN", window)
    start = START.replace(tzinfo=UTC)
    now = start + dt.timedelta(hours=30)
    # Today: the countdown runs to the start + the window.
    [due_at] = follow_ups.thank_yous_due(fresh_db, now).due_at.tolist()
    assert due_at.to_pydatetime() == start + window
    assert f"Send it within {int(window.total_seconds() // 3600)} hours" in thank_you_line(START, "Europe/London")
    # The calendar's thank-you event ends at the deadline.
    assert thank_you_event(fresh_db, now) == start + window
    # Sent 30 hours after the start: late under 24 hours, on time under 48, in the report and the dashboard.
    mark_sent(fresh_db, interview, SENT_AFTER)
    expected = "on_time" if window > SENT_AFTER else "late"
    counts = report.build_report(fresh_db, dt.date(2026, 3, 25))["thank_you"]
    assert counts == {"sent_on_time": int(expected == "on_time"), "sent_late": int(expected == "late"), "not_sent": 0}
    assert dashboard.thank_you_timeline(fresh_db, start + dt.timedelta(days=6)).status.tolist() == [expected]
    text = report.as_text(report.build_report(fresh_db, dt.date(2026, 3, 25)))
    assert f"within {int(window.total_seconds() // 3600)} hours" in text


def test_a_date_only_thank_you_counts_on_time_for_as_many_days_as_the_window_spans(fresh_db, interview, monkeypatch):
    monkeypatch.setattr(rules, "THANK_YOU_WITHIN", dt.timedelta(hours=48))
    assert follow_ups.thank_you_window() == {"thank_you_within": dt.timedelta(hours=48), "thank_you_days": 2}
    monkeypatch.setattr(rules, "THANK_YOU_WITHIN", dt.timedelta(hours=24))
    assert follow_ups.thank_you_window()["thank_you_days"] == 1
