"""The .ics export, parsed back with icalendar: every event, its dates, UIDs, alarms, and RFC 5545 line rules.

The clock is fixed at Friday 20 March 2026, 12:00 in London (GMT, so local time is UTC).
"""
import datetime as dt

import pytest
from icalendar import Calendar

from lib import calendar_ics, clock, follow_ups, settings
from lib.debriefs import Debrief, Interviewer, save_debrief

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=clock.UTC)
LONG_COMPANY = "The Extraordinarily Long-Named International Widget Manufacturing Company of Greater Manchester"


@pytest.fixture
def calendar_db(fresh_db):
    settings.put(fresh_db, "time_zone", "Europe/London")
    # Thursday 19 March 15:00: thank-yous due Friday 15:00; answer expected Thursday 26 (default),
    # so a follow-up is due Friday 27.
    save_debrief(fresh_db, Debrief(company="Contoso", role="Data Analyst", starts_at=dt.datetime(2026, 3, 19, 15, 0),
                                   time_zone="Europe/London", interviewers=[Interviewer("Ann Lee"), Interviewer("Raj Patel")]),
                 today=NOW.date())
    # Monday 9 March: thank-you sent; answer expected Monday 16, so a follow-up is due Tuesday 17.
    sent = save_debrief(fresh_db, Debrief(company=LONG_COMPANY, role="Senior Business Intelligence Analyst",
                                          starts_at=dt.datetime(2026, 3, 9, 10, 0), time_zone="Europe/London",
                                          interviewers=[Interviewer("Mia Chen")], expected_response_by=dt.date(2026, 3, 16)),
                        today=NOW.date())
    thank_you = int(fresh_db.query("interview_thank_yous", id=sent).id.iloc[0])
    follow_ups.mark_thank_you_sent(fresh_db, thank_you, "email", dt.datetime(2026, 3, 9, 17, 0, tzinfo=clock.UTC), now=NOW)
    return fresh_db


def events(data: bytes) -> dict:
    return {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_the_calendar_has_a_thank_you_expected_response_and_follow_up_event_per_application(calendar_db):
    assert sorted(events(calendar_ics.calendar_bytes(calendar_db, now=NOW))) == [
        "expected-response-1@debrief.local", "expected-response-2@debrief.local",
        "follow-up-1@debrief.local", "follow-up-2@debrief.local",
        "thank-you-1@debrief.local", "thank-you-2@debrief.local"]


def test_a_thank_you_deadline_ends_24_hours_after_the_start_and_names_everyone(calendar_db):
    event = events(calendar_ics.calendar_bytes(calendar_db, now=NOW))["thank-you-1@debrief.local"]
    assert event.decoded("dtend") == dt.datetime(2026, 3, 20, 15, 0, tzinfo=clock.UTC)
    assert event.decoded("dtstart") == dt.datetime(2026, 3, 20, 14, 30, tzinfo=clock.UTC)
    assert str(event["summary"]) == "Thank-you to Ann Lee, Raj Patel (Contoso – Data Analyst)"
    assert str(event["status"]) == "CONFIRMED"


def test_a_thank_you_already_sent_is_exported_as_cancelled_without_a_reminder(calendar_db):
    event = events(calendar_ics.calendar_bytes(calendar_db, now=NOW))["thank-you-2@debrief.local"]
    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]).startswith("Sent: Thank-you to Mia Chen")
    assert event.walk("VALARM") == []


def test_expected_response_and_follow_up_are_all_day_events_on_their_dates(calendar_db):
    found = events(calendar_ics.calendar_bytes(calendar_db, now=NOW))
    expected = {uid: (found[uid].decoded("dtstart"), found[uid].decoded("dtend")) for uid in found
                if not uid.startswith("thank-you")}
    assert expected == {
        "expected-response-1@debrief.local": (dt.date(2026, 3, 26), dt.date(2026, 3, 27)),
        "follow-up-1@debrief.local": (dt.date(2026, 3, 27), dt.date(2026, 3, 28)),       # Thu 26 + 1 business day
        "expected-response-2@debrief.local": (dt.date(2026, 3, 16), dt.date(2026, 3, 17)),
        "follow-up-2@debrief.local": (dt.date(2026, 3, 17), dt.date(2026, 3, 18)),       # Mon 16 + 1 business day
    }


def test_every_event_names_company_role_and_interviewer(calendar_db):
    for uid, event in events(calendar_ics.calendar_bytes(calendar_db, now=NOW)).items():
        text = f"{event['summary']} {event['description']}"
        company, role, person = (("Contoso", "Data Analyst", "Ann Lee") if uid.endswith("-1@debrief.local")
                                 else (LONG_COMPANY, "Senior Business Intelligence Analyst", "Mia Chen"))
        assert company in text and role in text and person in text, uid


def test_every_open_event_has_a_display_reminder(calendar_db):
    for uid, event in events(calendar_ics.calendar_bytes(calendar_db, now=NOW)).items():
        if str(event["status"]) == "CANCELLED":
            continue
        [alarm] = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        trigger = alarm.decoded("trigger")
        assert trigger == (dt.timedelta(hours=-2) if uid.startswith("thank-you") else dt.timedelta(hours=9)), uid


def test_uids_stay_the_same_in_a_later_export_so_calendars_update_instead_of_duplicating(calendar_db):
    first = events(calendar_ics.calendar_bytes(calendar_db, now=NOW))
    later = NOW + dt.timedelta(hours=1)
    second = events(calendar_ics.calendar_bytes(calendar_db, now=later))
    assert set(first) == set(second)
    assert {e.decoded("dtstamp") for e in second.values()} == {later}


def test_a_follow_up_logged_moves_the_follow_up_event_under_the_same_uid(calendar_db):
    follow_ups.log_follow_up(calendar_db, 1, 1, dt.date(2026, 3, 20), "email", today=NOW.date())
    event = events(calendar_ics.calendar_bytes(calendar_db, now=NOW))["follow-up-1@debrief.local"]
    assert event.decoded("dtstart") == dt.date(2026, 3, 27)  # Fri 20 + 5 business days


def test_lines_end_in_crlf_and_are_folded_at_75_octets(calendar_db):
    data = calendar_ics.calendar_bytes(calendar_db, now=NOW)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)  # no bare line feeds
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long company name was folded...
    unfolded = data.replace(b"\r\n ", b"")
    assert LONG_COMPANY.encode() in unfolded  # ...and unfolds whole


def test_the_calendar_declares_itself_as_rfc_5545(calendar_db):
    calendar = Calendar.from_ical(calendar_ics.calendar_bytes(calendar_db, now=NOW))
    assert str(calendar["version"]) == "2.0" and str(calendar["prodid"]) == calendar_ics.PRODID


def test_an_empty_database_gives_a_valid_calendar_without_events(fresh_db):
    calendar = Calendar.from_ical(calendar_ics.calendar_bytes(fresh_db, now=NOW))
    assert calendar.walk("VEVENT") == []


def test_the_command_line_writes_the_file(calendar_db, tmp_path, capsys):
    out = tmp_path / "debrief.ics"
    assert calendar_ics.run_cli(calendar_db, out) == 0
    # The command line runs on the real clock, months later: only the still-open follow-ups remain.
    assert sorted(events(out.read_bytes())) == ["follow-up-1@debrief.local", "follow-up-2@debrief.local"]
    assert f"to {out}" in capsys.readouterr().out


def test_the_command_line_says_why_it_cannot_write_and_exits_1(calendar_db, tmp_path, capsys):
    assert calendar_ics.run_cli(calendar_db, tmp_path / "missing-folder" / "debrief.ics") == 1
    assert "cannot write" in capsys.readouterr().err


def test_a_later_export_carries_a_higher_sequence_so_calendars_apply_the_update(fresh_db):
    from lib import calendar_ics
    early = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)
    assert calendar_ics.sequence_at(early + dt.timedelta(minutes=1)) == calendar_ics.sequence_at(early) + 1
    assert 0 < calendar_ics.sequence_at(early) < 2**31
