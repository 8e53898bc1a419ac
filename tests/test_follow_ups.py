"""The action centre on a fixed clock: thank-you deadlines, follow-up days, and recording what was done.

Expected values are worked out by hand in the comments. 2026-03-12 is a Thursday; London is on
GMT (UTC+0) until 29 March; New York is on EDT (UTC-4) from 8 March.
"""
import datetime as dt

import pytest

from lib import clock, follow_ups, settings
from lib.applications import Application, add_application, get_application, update_application
from lib.debriefs import Debrief, Interviewer, save_debrief
from lib.validation import Invalid

LONDON, NEW_YORK = "Europe/London", "America/New_York"
TODAY = dt.date(2026, 11, 25)  # the day the "real" clock of these tests reads


def at(text: str, zone: str = LONDON) -> dt.datetime:
    """An instant from local wall-clock text such as '2026-03-12 10:00'."""
    return clock.to_instant(dt.datetime.fromisoformat(text), zone)


def interview(db, starts: str, *, company="Contoso", role="Analyst", zone=LONDON, people=("Ann Lee",),
              expected: dt.date | None = None) -> int:
    return save_debrief(db, Debrief(company=company, role=role, starts_at=dt.datetime.fromisoformat(starts),
                                    time_zone=zone, interviewers=[Interviewer(name) for name in people],
                                    expected_response_by=expected), today=TODAY)


def thank_you_ids(db, interview_id: int) -> list[int]:
    return db.query("interview_thank_yous", id=interview_id).sort_values("id").id.tolist()


def send(db, interview_id: int, sent_local: str, zone: str = LONDON, person: int = 0) -> None:
    follow_ups.mark_thank_you_sent(db, thank_you_ids(db, interview_id)[person], "email", at(sent_local, zone),
                                now=at("2026-11-25 12:00"))


def send_date_only(db, interview_id: int, day: dt.date) -> None:
    # As an import with a date and no time stores it.
    db.cursor().execute("UPDATE thank_yous SET sent_on = ? WHERE interview_id = ?", [day, interview_id])


def status_of(db, interview_id: int, as_of=dt.date(2026, 11, 1)) -> str:
    timeline = follow_ups.thank_you_timeline(db, as_of)
    return timeline.set_index("interview_id").status[interview_id]


# -- the 24-hour rule -------------------------------------------------------------------------------
@pytest.mark.parametrize("sent, expected", [
    ("2026-03-13 09:59", "on_time"),   # 23 h 59 min after a 10:00 start
    ("2026-03-13 10:00", "on_time"),   # exactly 24 hours: still within
    ("2026-03-13 10:01", "late"),
])
def test_a_thank_you_with_a_time_is_on_time_within_24_hours_of_the_start(fresh_db, sent, expected):
    interview_id = interview(fresh_db, "2026-03-12 10:00")
    send(fresh_db, interview_id, sent)
    assert status_of(fresh_db, interview_id) == expected


@pytest.mark.parametrize("day, expected", [
    (dt.date(2026, 3, 12), "on_time"),  # the interview's day
    (dt.date(2026, 3, 13), "on_time"),  # the next day
    (dt.date(2026, 3, 14), "late"),
])
def test_a_date_only_thank_you_is_on_time_on_the_interview_day_or_the_next(fresh_db, day, expected):
    interview_id = interview(fresh_db, "2026-03-12 16:00")
    send_date_only(fresh_db, interview_id, day)
    assert status_of(fresh_db, interview_id) == expected


def test_the_24_hour_rule_counts_real_hours_when_london_clocks_go_back(fresh_db):
    # Saturday 24 Oct 10:00 BST is 09:00 UTC; the clocks go back at 02:00 on Sunday 25 Oct, so
    # the deadline is 09:00 GMT on Sunday: 23 wall-clock hours. 09:30 GMT looks in time on the
    # wall clock but is 24.5 real hours later.
    start = at("2026-10-24 10:00")
    assert clock.to_local(clock.thank_you_due_at(start), LONDON) == dt.datetime(2026, 10, 25, 9, 0)
    late = interview(fresh_db, "2026-10-24 10:00", company="Late Ltd")
    send(fresh_db, late, "2026-10-25 09:30")
    in_time = interview(fresh_db, "2026-10-24 10:00", company="On Time Ltd")
    send(fresh_db, in_time, "2026-10-25 08:59")
    assert (status_of(fresh_db, late), status_of(fresh_db, in_time)) == ("late", "on_time")


def test_the_24_hour_rule_counts_real_hours_when_new_york_clocks_go_back(fresh_db):
    # Saturday 31 Oct 10:00 EDT is 14:00 UTC; New York goes back to EST (UTC-5) on 1 Nov at 02:00,
    # so the deadline is 09:00 EST on Sunday.
    start = at("2026-10-31 10:00", NEW_YORK)
    due = clock.thank_you_due_at(start)
    assert due - start == dt.timedelta(hours=24)
    assert clock.to_local(due, NEW_YORK) == dt.datetime(2026, 11, 1, 9, 0)
    late = interview(fresh_db, "2026-10-31 10:00", zone=NEW_YORK)
    send(fresh_db, late, "2026-11-01 09:30", NEW_YORK)
    assert status_of(fresh_db, late) == "late"


def test_an_hour_that_happens_twice_is_read_as_the_first_of_the_two():
    # 01:30 on 25 Oct 2026 happens in BST and again in GMT; the first is 00:30 UTC.
    assert at("2026-10-25 01:30") == dt.datetime(2026, 10, 25, 0, 30, tzinfo=clock.UTC)


# -- the report's numbers -----------------------------------------------------------------------------
def test_thank_you_counts_are_per_interview(fresh_db):
    on_time = interview(fresh_db, "2026-03-02 10:00", company="A")
    send(fresh_db, on_time, "2026-03-02 18:00")
    late = interview(fresh_db, "2026-03-04 10:00", company="B")
    send(fresh_db, late, "2026-03-06 09:00")
    interview(fresh_db, "2026-03-05 10:00", company="C")  # never sent
    assert follow_ups.thank_you_counts(fresh_db, dt.date(2026, 3, 30)) == {"sent_on_time": 1, "sent_late": 1, "not_sent": 1}


def test_a_panel_thanked_on_time_by_one_of_its_thank_yous_counts_once_as_on_time(fresh_db):
    panel = interview(fresh_db, "2026-03-02 10:00", people=("Ann Lee", "Raj Patel", "Mia Chen"))
    send(fresh_db, panel, "2026-03-02 15:00", person=1)
    send(fresh_db, panel, "2026-03-05 15:00", person=2)
    assert follow_ups.thank_you_counts(fresh_db, dt.date(2026, 3, 30)) == {"sent_on_time": 1, "sent_late": 0, "not_sent": 0}


def test_interviews_and_thank_yous_after_the_day_do_not_count(fresh_db):
    sent_later = interview(fresh_db, "2026-03-02 10:00", company="A")
    send(fresh_db, sent_later, "2026-03-03 09:00")
    interview(fresh_db, "2026-03-10 10:00", company="B")
    # On 2 March: one interview so far, its thank-you not yet sent.
    assert follow_ups.thank_you_counts(fresh_db, dt.date(2026, 3, 2)) == {"sent_on_time": 0, "sent_late": 0, "not_sent": 1}


def test_the_timeline_has_one_row_per_interview_on_its_local_day(fresh_db):
    # 23:30 in New York on 12 March is 03:30 UTC on the 13th: the interview's day is still the 12th.
    evening = interview(fresh_db, "2026-03-12 23:30", zone=NEW_YORK, people=("Ann Lee", "Raj Patel"))
    timeline = follow_ups.thank_you_timeline(fresh_db, dt.date(2026, 3, 31))
    assert timeline.to_dict("records") == [{"interview_id": evening, "starts_on": dt.date(2026, 3, 12), "status": "not_sent"}]


# -- follow-ups ---------------------------------------------------------------------------------------
def test_a_follow_up_falls_due_the_business_day_after_the_expected_date_passes(fresh_db):
    # Thursday 12 March: the default expected date is five business days later, Thursday 19 March.
    interview_id = interview(fresh_db, "2026-03-12 10:00")
    assert follow_ups.follow_ups_due(fresh_db, dt.date(2026, 3, 19)).empty  # not passed yet on the day itself
    due = follow_ups.follow_ups_due(fresh_db, dt.date(2026, 3, 20))
    assert due.to_dict("records") == [{"company": "Contoso", "role": "Analyst", "application_id": 1,
                                       "interview_id": interview_id, "expected_by": dt.date(2026, 3, 19),
                                       "due": dt.date(2026, 3, 20)}]


def test_a_follow_up_after_a_friday_expected_date_is_due_on_monday(fresh_db):
    interview(fresh_db, "2026-03-12 10:00", expected=dt.date(2026, 3, 20))
    assert follow_ups.follow_ups_due(fresh_db, dt.date(2026, 3, 21)).due.tolist() == [dt.date(2026, 3, 23)]


def test_a_follow_up_logged_since_the_interview_clears_the_due_follow_up(fresh_db):
    interview_id = interview(fresh_db, "2026-03-12 10:00")
    follow_ups.log_follow_up(fresh_db, 1, interview_id, dt.date(2026, 3, 20), "email", today=TODAY)
    assert follow_ups.follow_ups_due(fresh_db, dt.date(2026, 3, 24)).empty


def test_a_closed_application_needs_no_follow_up_but_counts_while_it_was_open(fresh_db):
    interview(fresh_db, "2026-03-12 10:00")
    app = get_application(fresh_db, 1)
    app.status, app.closed_on = "rejected", dt.date(2026, 3, 25)
    update_application(fresh_db, 1, app)
    assert follow_ups.follow_ups_due(fresh_db, dt.date(2026, 3, 26)).empty
    assert len(follow_ups.follow_ups_due(fresh_db, dt.date(2026, 3, 24))) == 1  # still open that day


def test_only_the_latest_interview_before_the_day_sets_the_expected_date(fresh_db):
    interview(fresh_db, "2026-03-02 10:00", expected=dt.date(2026, 3, 6))
    interview(fresh_db, "2026-03-25 10:00", expected=dt.date(2026, 4, 1))
    assert follow_ups.follow_ups_due(fresh_db, dt.date(2026, 3, 24)).expected_by.tolist() == [dt.date(2026, 3, 6)]
    assert follow_ups.follow_ups_due(fresh_db, dt.date(2026, 3, 30)).empty  # round 2 happened: wait for its answer


def test_after_one_unanswered_follow_up_the_next_is_due_five_business_days_later(fresh_db):
    interview_id = interview(fresh_db, "2026-03-12 10:00")
    follow_ups.log_follow_up(fresh_db, 1, interview_id, dt.date(2026, 3, 20), "email", today=TODAY)
    assert follow_ups.follow_ups_to_do(fresh_db, dt.date(2026, 3, 26)) == []  # Friday 20 + 5 business days = Friday 27
    [item] = follow_ups.follow_ups_to_do(fresh_db, dt.date(2026, 3, 27))
    assert (item.due, item.unanswered, item.status(dt.date(2026, 3, 27))) == (dt.date(2026, 3, 27), 1, "due")


def test_after_two_unanswered_follow_ups_debrief_suggests_moving_on(fresh_db):
    interview_id = interview(fresh_db, "2026-03-12 10:00")
    follow_ups.log_follow_up(fresh_db, 1, interview_id, dt.date(2026, 3, 20), "email", today=TODAY)
    follow_ups.log_follow_up(fresh_db, 1, interview_id, dt.date(2026, 3, 27), "phone", outcome="no_reply", today=TODAY)
    [item] = follow_ups.follow_ups_to_do(fresh_db, dt.date(2026, 3, 30))
    assert item.suggest_moving_on and item.status(dt.date(2026, 3, 30)) == "move_on"
    follow_ups.mark_ghosted(fresh_db, 1, dt.date(2026, 3, 30))
    app = get_application(fresh_db, 1)
    assert (app.status, app.closed_on) == ("ghosted", dt.date(2026, 3, 30))
    assert follow_ups.follow_ups_to_do(fresh_db, dt.date(2026, 3, 31)) == []


def test_a_reply_answers_the_latest_follow_up_and_nothing_more_is_due(fresh_db):
    interview_id = interview(fresh_db, "2026-03-12 10:00")
    follow_up = follow_ups.log_follow_up(fresh_db, 1, interview_id, dt.date(2026, 3, 20), "email", today=TODAY)
    follow_ups.record_outcome(fresh_db, 1, "replied", dt.date(2026, 3, 23), today=TODAY)
    diary = fresh_db.query("follow_up_diary", application_id=1)
    assert diary[["id", "outcome"]].values.tolist() == [[follow_up, "replied"]]
    assert follow_ups.follow_ups_to_do(fresh_db, dt.date(2026, 4, 10)) == []


def test_a_reply_without_a_follow_up_is_logged_as_contact_from_them(fresh_db):
    interview(fresh_db, "2026-03-12 10:00")
    follow_ups.record_outcome(fresh_db, 1, "next_round", dt.date(2026, 3, 16), today=TODAY)
    diary = fresh_db.query("follow_up_diary", application_id=1).iloc[0]
    assert (diary.channel, diary.note, diary.outcome) == ("other", "They got in touch.", "next_round")
    assert follow_ups.follow_ups_due(fresh_db, dt.date(2026, 3, 24)).empty


@pytest.mark.parametrize("outcome, status, closed_on", [("offer", "offer", None),
                                                       ("rejected", "rejected", dt.date(2026, 3, 18))])
def test_a_rejection_closes_the_application_that_day_and_an_offer_keeps_it_running(fresh_db, outcome, status,
                                                                                    closed_on):
    interview(fresh_db, "2026-03-12 10:00")
    follow_ups.record_outcome(fresh_db, 1, outcome, dt.date(2026, 3, 18), today=TODAY)
    app = get_application(fresh_db, 1)
    assert (app.status, app.closed_on) == (status, closed_on)


# -- the Today list -----------------------------------------------------------------------------------
def test_a_thank_you_due_shows_the_time_left_to_its_deadline(fresh_db):
    interview(fresh_db, "2026-03-12 10:00", people=("Ann Lee", "Raj Patel"))
    due = follow_ups.thank_yous_due(fresh_db, at("2026-03-12 15:40"))
    assert due.interviewer.tolist() == ["Ann Lee", "Raj Patel"]
    assert due.time_left.tolist() == [dt.timedelta(hours=18, minutes=20)] * 2
    assert not due.overdue.any()


def test_a_thank_you_past_its_deadline_is_overdue_for_a_week_then_drops_off(fresh_db):
    interview(fresh_db, "2026-03-12 10:00")
    overdue = follow_ups.thank_yous_due(fresh_db, at("2026-03-14 10:00"))
    assert overdue.overdue.tolist() == [True] and overdue.time_left.tolist() == [dt.timedelta(days=-1)]
    assert follow_ups.thank_yous_due(fresh_db, at("2026-03-20 10:01")).empty


def test_sent_thank_yous_and_interviews_still_to_come_are_not_due(fresh_db):
    sent = interview(fresh_db, "2026-03-12 10:00", company="A")
    send(fresh_db, sent, "2026-03-12 17:00")
    interview(fresh_db, "2026-03-13 10:00", company="B")
    assert follow_ups.thank_yous_due(fresh_db, at("2026-03-12 18:00")).empty
    upcoming = follow_ups.upcoming_interviews(fresh_db, at("2026-03-12 18:00"))
    assert upcoming.company.tolist() == ["B"]


# -- recording ------------------------------------------------------------------------------------------
def test_marking_a_thank_you_sent_stores_the_instant_and_the_local_day(fresh_db):
    interview_id = interview(fresh_db, "2026-03-12 15:00", zone=NEW_YORK)
    # 23:30 in New York is 03:30 UTC the next day; the local day is the 12th.
    follow_ups.mark_thank_you_sent(fresh_db, thank_you_ids(fresh_db, interview_id)[0], "handwritten",
                                at("2026-03-12 23:30", NEW_YORK), now=at("2026-03-13 09:00", NEW_YORK), zone=NEW_YORK)
    row = fresh_db.query("interview_thank_yous", id=interview_id).iloc[0]
    assert row.channel == "handwritten"
    assert row.sent_at.to_pydatetime() == dt.datetime(2026, 3, 13, 3, 30, tzinfo=clock.UTC)
    assert row.sent_on.date() == dt.date(2026, 3, 12)


@pytest.mark.parametrize("channel, sent, message", [
    ("pigeon", "2026-03-12 17:00", "Choose how you sent it"),
    ("email", "2026-03-12 09:00", "before the interview started"),
    ("email", "2026-03-13 12:00", "in the future"),
])
def test_a_thank_you_sent_that_cannot_be_right_is_refused_and_nothing_written(fresh_db, channel, sent, message):
    interview_id = interview(fresh_db, "2026-03-12 10:00")
    with pytest.raises(Invalid, match=message):
        follow_ups.mark_thank_you_sent(fresh_db, thank_you_ids(fresh_db, interview_id)[0], channel, at(sent),
                                    now=at("2026-03-12 18:00"))
    assert fresh_db.query("interview_thank_yous", id=interview_id).sent_on.isna().all()


@pytest.mark.parametrize("kwargs, message", [
    (dict(on=dt.date(2026, 11, 26)), "still to come"),
    (dict(channel="fax"), "Choose how you followed up"),
    (dict(on=dt.date(2026, 1, 1)), "before you applied"),
    (dict(interview_id=999), "not part of this application"),
    (dict(note="x" * 10_001), "the limit is 10,000"),
])
def test_a_follow_up_that_cannot_be_right_is_refused_and_nothing_written(fresh_db, kwargs, message):
    interview_id = interview(fresh_db, "2026-03-12 10:00")
    args = dict(application_id=1, interview_id=interview_id, on=dt.date(2026, 3, 20), channel="email", note="")
    with pytest.raises(Invalid, match=message):
        follow_ups.log_follow_up(fresh_db, **{**args, **kwargs}, today=TODAY)
    assert fresh_db.query("follow_up_diary", application_id=1).empty


def test_a_follow_up_is_logged_with_its_day_channel_and_note(fresh_db):
    add_application(fresh_db, Application("Litware", "Analyst", dt.date(2026, 3, 1)))
    follow_ups.log_follow_up(fresh_db, 1, None, dt.date(2026, 3, 20), "phone", "  Called Jo  ", today=TODAY)
    row = fresh_db.query("follow_up_diary", application_id=1).iloc[0]
    assert (row.followed_up_on.date(), row.channel, row.note) == (dt.date(2026, 3, 20), "phone", "Called Jo")


def test_the_time_zone_setting_takes_only_known_zones(fresh_db):
    follow_ups.set_time_zone(fresh_db, "America/New_York")
    with pytest.raises(Invalid, match="Unknown time zone"):
        follow_ups.set_time_zone(fresh_db, "Mars/Olympus_Mons")
    assert settings.time_zone(fresh_db) == "America/New_York"


def test_an_empty_database_has_nothing_due_and_nothing_counted(fresh_db):
    assert follow_ups.thank_you_counts(fresh_db, TODAY) == {"sent_on_time": 0, "sent_late": 0, "not_sent": 0}
    assert list(follow_ups.follow_ups_due(fresh_db, TODAY).columns) == ["company", "role", "application_id",
                                                                     "interview_id", "expected_by", "due"]
    assert follow_ups.follow_ups_due(fresh_db, TODAY).empty and follow_ups.thank_you_timeline(fresh_db, TODAY).empty
    assert follow_ups.follow_ups_to_do(fresh_db, TODAY) == []


def test_a_follow_up_logged_with_an_offer_moves_the_application_to_offer(fresh_db):
    interview_id = interview(fresh_db, "2026-03-12 10:00")
    follow_ups.log_follow_up(fresh_db, 1, interview_id, dt.date(2026, 3, 20), "phone", outcome="offer", today=TODAY)
    app = get_application(fresh_db, 1)
    assert (app.status, app.closed_on) == ("offer", None)


def test_a_wall_clock_time_skipped_by_the_spring_change_is_read_with_the_winter_offset():
    # 01:30 on 29 March 2026 never happens in London (01:00 GMT jumps to 02:00 BST).
    assert at("2026-03-29 01:30") == dt.datetime(2026, 3, 29, 1, 30, tzinfo=clock.UTC)


def test_a_thank_you_already_recorded_as_sent_is_not_overwritten_by_a_second_click(fresh_db):
    interview_id = interview(fresh_db, "2026-03-12 10:00")
    send(fresh_db, interview_id, "2026-03-12 18:00")
    with pytest.raises(Invalid, match="already recorded as sent"):
        send(fresh_db, interview_id, "2026-03-14 09:00")  # a stale button in another tab
    assert status_of(fresh_db, interview_id) == "on_time"


def test_an_interview_abroad_that_has_started_by_the_end_of_the_users_day_is_the_latest(fresh_db):
    # The user is in London. Round 2 is at 07:00 on 26 Nov in Tokyo, 22:00 on 25 Nov in London:
    # at 23:00 London time it has happened, so round 1's overdue answer date no longer applies.
    settings.put(fresh_db, "time_zone", LONDON)
    interview(fresh_db, "2026-11-02 10:00", expected=dt.date(2026, 11, 9))
    round_two = interview(fresh_db, "2026-11-26 07:00", zone="Asia/Tokyo", expected=dt.date(2026, 12, 3))
    state = follow_ups.follow_up_state(fresh_db, dt.date(2026, 11, 25))
    assert state.interview_id.tolist() == [round_two]
    assert follow_ups.follow_ups_due(fresh_db, dt.date(2026, 11, 25)).empty
