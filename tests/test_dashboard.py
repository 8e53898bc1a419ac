"""The dashboard's figures, each against an expectation worked out by hand."""
import datetime as dt

import pandas as pd
import pytest
import time_machine

from lib import dashboard, sample, settings
from lib.applications import Application, active_applications_on, add_application, update_application
from lib.dashboard import Filters, describe_span, score_trend, trend_sentence
from lib.debriefs import Debrief, Question, save_debrief

DAY0 = dt.date(2026, 3, 2)


def interview(db, day: dt.date, scores, *, company="Contoso", role="Analyst", stage="", wordings=None,
              went_well=(), to_improve=()) -> int:
    wordings = wordings or [f"Question {i}" for i in range(len(scores))]
    return save_debrief(db, Debrief(
        company=company, role=role, starts_at=dt.datetime.combine(day, dt.time(10)), time_zone="Europe/London",
        stage=stage, questions=[Question(w, f"answer {i}", s) for i, (w, s) in enumerate(zip(wordings, scores))],
        went_well=list(went_well), to_improve=list(to_improve)))


def test_an_interview_counts_once_whatever_its_number_of_questions(fresh_db):
    interview(fresh_db, DAY0, [2, 4])          # mean 3
    interview(fresh_db, DAY0 + dt.timedelta(days=1), [8])  # mean 8
    scores = dashboard.interview_scores(fresh_db)
    assert scores["mean_score"].tolist() == [3.0, 8.0]
    assert score_trend(fresh_db).mean_score == 5.5  # not (2 + 4 + 8) / 3


def test_the_trend_is_the_least_squares_slope_per_30_days(fresh_db):
    # Means 5, 6.5, 7 on days 0, 30, 60: slope = 1/30 a day, intercept 5.1667 (worked by hand).
    for offset, scores in ((0, [5]), (30, [6, 7]), (60, [7])):
        interview(fresh_db, DAY0 + dt.timedelta(days=offset), scores)
    trend = score_trend(fresh_db)
    assert trend.points_per_30_days == pytest.approx(1.0)
    assert (round(trend.fitted_first, 2), round(trend.fitted_last, 2)) == (5.17, 7.17)
    assert trend_sentence(trend) == "Your average rose from 5.2 to 7.2 over two months, +1.0 a month."


def test_a_falling_trend_says_so(fresh_db):
    # Means 8, 6.5, 5 on days 0, 14, 28: -1.5 every 14 days is -3.2 a month.
    for offset, scores in ((0, [8]), (14, [6, 7]), (28, [5])):
        interview(fresh_db, DAY0 + dt.timedelta(days=offset), scores)
    assert trend_sentence(score_trend(fresh_db)) == \
        "Your average fell from 8.0 to 5.0 over four weeks, -3.2 a month."


def test_a_flat_trend_reads_as_steady(fresh_db):
    for offset in (0, 45, 90):
        interview(fresh_db, DAY0 + dt.timedelta(days=offset), [6])
    assert trend_sentence(score_trend(fresh_db)) == \
        "Your average held steady at about 6.0 over three months."


@pytest.mark.parametrize("days, scores, expected", [
    ([], [], "No scored interviews yet: debrief one and score each answer from 1 to 10."),
    ([0], [[7]], "One interview so far, with an average of 7.0. Debrief the next one to start a trend."),
    ([0, 0], [[7], [5]], "Two interviews on the same day, averaging 6.0: too few to tell a trend yet. "
                         "That takes three scored interviews or more, spread over two weeks or more."),
])
def test_too_few_interviews_for_a_trend_say_what_comes_next(fresh_db, days, scores, expected):
    for offset, answer_scores in zip(days, scores):
        interview(fresh_db, DAY0 + dt.timedelta(days=offset), answer_scores)
    trend = score_trend(fresh_db)
    assert trend.points_per_30_days is None
    assert trend_sentence(trend) == expected


@pytest.mark.parametrize("days, expected", [
    # Two interviews a day apart used to read "Your average rose from 5.0 to 7.0 over 1 day, +60.0 a month."
    ((0, 1), "Two interviews a day apart, averaging 6.0: too few to tell a trend yet. "
             "That takes three scored interviews or more, spread over two weeks or more."),
    ((0, 20), "Two interviews three weeks apart, averaging 6.0: too few to tell a trend yet. "
              "That takes three scored interviews or more, spread over two weeks or more."),
    ((0, 5, 13), "Three interviews within 13 days, averaging 6.0: too few to tell a trend yet. "
                 "That takes three scored interviews or more, spread over two weeks or more."),
])
def test_a_trend_needs_three_interviews_over_two_weeks_before_it_is_put_in_words(fresh_db, days, expected):
    scores = [5, 7] if len(days) == 2 else [5, 6, 7]
    for offset, score in zip(days, scores):
        interview(fresh_db, DAY0 + dt.timedelta(days=offset), [score])
    trend = score_trend(fresh_db)
    assert trend.points_per_30_days is not None  # the slope is still there for the report's JSON
    assert trend_sentence(trend) == expected
    assert "a month" in dashboard.fitted_line_sentence(trend)


def test_three_interviews_exactly_two_weeks_apart_make_a_trend(fresh_db):
    for offset, score in ((0, 5), (7, 6), (14, 7)):
        interview(fresh_db, DAY0 + dt.timedelta(days=offset), [score])
    assert trend_sentence(score_trend(fresh_db)) == "Your average rose from 5.0 to 7.0 over two weeks, +4.3 a month."


@pytest.mark.parametrize("days, words", [(1, "1 day"), (12, "12 days"), (21, "three weeks"), (92, "three months"),
                                         (365, "twelve months"), (730, "2.0 years")])
def test_spans_read_as_people_say_them(days, words):
    assert describe_span(days) == words


def test_the_trend_in_sql_matches_numpys_least_squares_on_the_sample(fresh_db):
    import numpy as np
    sample.load_sample(fresh_db)
    scores = dashboard.interview_scores(fresh_db)
    days = (scores["day"] - scores["day"].min()).dt.days.to_numpy(dtype=float)
    slope, _ = np.polyfit(days, scores["mean_score"].to_numpy(dtype=float), 1)
    assert score_trend(fresh_db).points_per_30_days == pytest.approx(slope * 30)


def test_filters_narrow_scores_by_dates_company_and_stage(fresh_db):
    interview(fresh_db, DAY0, [4], company="Contoso", stage="Phone screen")
    interview(fresh_db, DAY0 + dt.timedelta(days=7), [6], company="Fabrikam", stage="Final")
    interview(fresh_db, DAY0 + dt.timedelta(days=14), [8], company="Contoso", stage="Final")
    contoso = int(fresh_db.scalar("find_application", company="Contoso", role="Analyst"))
    means = lambda **f: dashboard.interview_scores(fresh_db, Filters(**f))["mean_score"].tolist()  # noqa: E731
    assert means(application_ids=(contoso,)) == [4.0, 8.0]
    assert means(stages=("Final",)) == [6.0, 8.0]
    assert means(start=DAY0 + dt.timedelta(days=1), end=DAY0 + dt.timedelta(days=7)) == [6.0]


def test_the_category_view_averages_each_kind_per_month(fresh_db):
    save_debrief(fresh_db, Debrief(company="Contoso", starts_at=dt.datetime(2026, 3, 3, 10), questions=[
        Question("Tell me about yourself", score=4, category="introduction"),
        Question("Why us?", score=8, category="motivation"), Question("Why this role?", score=6, category="motivation")]))
    frame = dashboard.category_scores(fresh_db)
    assert dict(zip(frame["category"], frame["mean_score"])) == {"introduction": 4.0, "motivation": 7.0}


def test_many_interviews_are_pooled_under_the_point_budget():
    days = pd.date_range("2024-01-01", periods=400, freq="D")
    scores = pd.DataFrame({"day": days.repeat(20), "mean_score": 5.0, "company": "C", "role": "R"})
    points = dashboard.score_points(scores, max_points=1000)
    assert len(points) == 400 and points["interviews"].eq(20).all()
    assert len(dashboard.score_points(scores, max_points=100)) <= 100  # weeks: 58


# -- recurring questions ---------------------------------------------------------------------

def test_a_question_asked_in_two_interviews_with_a_low_average_is_weak(fresh_db):
    interview(fresh_db, DAY0, [4, 9], wordings=["What are your salary expectations?", "Why us?"])
    interview(fresh_db, DAY0 + dt.timedelta(days=3), [5], wordings=["What are your salary expectations?"],
              company="Fabrikam")
    groups = dashboard.question_groups(fresh_db, min_times=2, weak_below=6)
    assert len(groups) == 1  # "Why us?" was asked once: not recurring
    row = groups.iloc[0]
    assert (row.canonical, row.times_asked, row.avg_score, row.last_score, bool(row.weak)) == \
        ("What are your salary expectations?", 2, 4.5, 5, True)


def test_an_average_at_the_threshold_is_not_weak(fresh_db):
    for offset, score in ((0, 5), (1, 7)):
        interview(fresh_db, DAY0 + dt.timedelta(days=offset), [score], wordings=["Why should we hire you?"])
    assert not dashboard.question_groups(fresh_db, min_times=2, weak_below=6).iloc[0].weak


def test_the_settings_decide_what_is_recurring_and_weak(fresh_db):
    for offset, score in ((0, 5), (1, 7)):
        interview(fresh_db, DAY0 + dt.timedelta(days=offset), [score], wordings=["Why should we hire you?"])
    assert dashboard.question_groups(fresh_db).iloc[0].weak == False  # noqa: E712 (defaults 2 and 6)
    assert settings.update(fresh_db, {"weak_below": "6.5", "min_times": "3"}) == {}
    assert dashboard.question_groups(fresh_db).empty
    settings.update(fresh_db, {"min_times": "2"})
    assert bool(dashboard.question_groups(fresh_db).iloc[0].weak)


def test_a_question_asked_twice_in_one_interview_counts_one_time_asked(fresh_db):
    interview(fresh_db, DAY0, [3, 5], wordings=["Why should we hire you?", "Why should we hire you?"])
    assert dashboard.question_groups(fresh_db, min_times=1).iloc[0].times_asked == 1


def test_the_last_score_is_from_the_latest_interview_and_answers_come_newest_first(fresh_db):
    interview(fresh_db, DAY0 + dt.timedelta(days=5), [8], wordings=["Why should we hire you?"], company="Later")
    interview(fresh_db, DAY0, [3], wordings=["Why should we hire you?"], company="Earlier")
    row = dashboard.question_groups(fresh_db).iloc[0]
    assert row.last_score == 8 and list(row.recent_scores) == [8, 3]
    answers = dashboard.group_answers(fresh_db, int(row.group_id))
    assert answers["company"].tolist() == ["Later", "Earlier"]
    assert answers["score"].tolist() == [8, 3]


# -- applications running at once ------------------------------------------------------------

def test_an_application_is_active_for_stale_after_days_from_its_last_activity(fresh_db):
    add_application(fresh_db, Application(company="Contoso", applied_on=dt.date(2026, 1, 1)))
    per_day = dashboard.active_per_day(fresh_db, dt.date(2025, 12, 31), dt.date(2026, 2, 5), stale_after_days=30)
    active = dict(zip(per_day["day"].dt.date, per_day["active"]))
    assert active[dt.date(2025, 12, 31)] == 0
    assert active[dt.date(2026, 1, 1)] == 1 and active[dt.date(2026, 1, 30)] == 1  # day 30 of 30
    assert active[dt.date(2026, 1, 31)] == 0  # 30 days of silence: counts as ghosted


def test_an_interview_keeps_an_application_active_and_closing_ends_it_after_that_day(fresh_db):
    app_id = add_application(fresh_db, Application(company="Contoso", role="Analyst", applied_on=dt.date(2026, 1, 1)))
    interview(fresh_db, dt.date(2026, 1, 20), [6])
    active = lambda day: dict(zip(*dashboard.active_per_day(  # noqa: E731
        fresh_db, dt.date(2026, 1, 1), dt.date(2026, 3, 31), stale_after_days=30).T.values))[pd.Timestamp(day)]
    assert active(dt.date(2026, 2, 18)) == 1 and active(dt.date(2026, 2, 19)) == 0
    update_application(fresh_db, app_id, Application(company="Contoso", role="Analyst", applied_on=dt.date(2026, 1, 1),
                                                     status="rejected", closed_on=dt.date(2026, 1, 25)))
    assert active(dt.date(2026, 1, 25)) == 1  # still active on the day it closes
    assert active(dt.date(2026, 1, 26)) == 0


@time_machine.travel(dt.datetime(2026, 3, 30, 12, tzinfo=dt.timezone.utc), tick=False)  # the sample ends today
def test_active_per_day_agrees_with_the_single_day_count_on_every_day_of_the_sample(fresh_db):
    sample.load_sample(fresh_db)
    today = settings.today(fresh_db)
    per_day = dashboard.active_per_day(fresh_db, None, today)
    assert len(per_day) > 90
    for day, count in zip(per_day["day"].dt.date, per_day["active"]):
        assert count == active_applications_on(fresh_db, day), day



@pytest.mark.parametrize("now", ["2026-03-12 15:00", "2026-03-13 10:01", "2026-06-01 09:00"])
def test_the_thank_yous_counted_per_month_agree_with_the_timeline_of_each_interview(fresh_db, now):
    from lib import follow_ups
    first = interview(fresh_db, dt.date(2026, 3, 2), [6])
    late = interview(fresh_db, dt.date(2026, 3, 5), [6])
    interview(fresh_db, dt.date(2026, 3, 12), [6])
    interview(fresh_db, dt.date(2026, 4, 1), [6])
    sent = {first: at("2026-03-02 18:00"), late: at("2026-03-07 09:00")}
    for interview_id, when in sent.items():
        thank_you = int(fresh_db.cursor().execute("SELECT id FROM thank_yous WHERE interview_id = ?",
                                                  [interview_id]).fetchone()[0])
        follow_ups.mark_thank_you_sent(fresh_db, thank_you, "email", when)
    timeline = dashboard.thank_you_timeline(fresh_db, at(now))
    months = dashboard.thank_you_months(fresh_db, at(now))
    per_interview = (timeline.assign(month=pd.to_datetime(timeline["starts_on"]).dt.to_period("M").dt.start_time)
                     .groupby(["month", "status"]).size())
    assert dict(months.set_index(["starts_on", "status"])["interviews"]) == dict(per_interview)
    assert dashboard.thank_you_rate(months) == dashboard.thank_you_rate(timeline)
    assert dashboard.thank_yous_waiting(months) == dashboard.thank_yous_waiting(timeline)

# -- what went well, what to improve ---------------------------------------------------------

def test_notes_are_counted_per_month_whatever_their_case_and_the_top_ones_kept(fresh_db):
    interview(fresh_db, dt.date(2026, 3, 3), [6], went_well=["On time", "Good rapport"], to_improve=["Be concise"])
    interview(fresh_db, dt.date(2026, 3, 10), [6], went_well=["on time "], to_improve=["Be concise"])
    interview(fresh_db, dt.date(2026, 4, 7), [6], went_well=["On time"], to_improve=["Ask better questions"])
    frame = dashboard.reflections_over_time(fresh_db, top=1)
    went_well = frame[frame["kind"] == "went_well"]
    assert went_well["item"].unique().tolist() == ["On time"]
    assert went_well["interviews"].tolist() == [2, 1]  # March, April
    assert frame[frame["kind"] == "to_improve"]["item"].unique().tolist() == ["Be concise"]


# -- settings --------------------------------------------------------------------------------

@pytest.mark.parametrize("values, key, message", [
    ({"min_times": "0"}, "min_times", "between 1 and 50"),
    ({"weak_below": "eleven"}, "weak_below", "must be a number"),
    ({"stale_after_days": "7.5"}, "stale_after_days", "whole number"),
    ({"target_low": "4", "target_high": "3"}, "target_high", "from low to high"),
])
def test_out_of_range_settings_are_refused_and_nothing_is_stored(fresh_db, values, key, message):
    errors = settings.update(fresh_db, values)
    assert message in errors[key]
    assert settings.target_band(fresh_db) == (2, 3) and settings.min_times(fresh_db) == 2


def test_a_date_bound_beyond_every_interview_is_dropped_and_changes_nothing(fresh_db):
    interview(fresh_db, DAY0, [4])
    interview(fresh_db, DAY0 + dt.timedelta(days=10), [8])
    wide = Filters(start=DAY0 - dt.timedelta(days=5), end=DAY0 + dt.timedelta(days=30))
    assert (wide.params(fresh_db)["start"], wide.params(fresh_db)["end"]) == (None, None)
    narrow = Filters(end=DAY0 + dt.timedelta(days=9))
    assert narrow.params(fresh_db)["end"] == DAY0 + dt.timedelta(days=9)
    assert score_trend(fresh_db, wide) == score_trend(fresh_db)
    assert score_trend(fresh_db, narrow).interviews == 1


# -- thank-you notes: not due yet ----------------------------------------------------------------

def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("now, status", [
    ("2026-03-12 15:00", "not_due"),   # five hours after a 10:00 start (London is UTC in March)
    ("2026-03-13 10:00", "not_due"),   # exactly 24 hours: a thank-you now would still be on time
    ("2026-03-13 10:01", "not_sent"),
])
def test_an_interview_whose_24_hours_have_not_run_out_is_not_due_yet(fresh_db, now, status):
    interview(fresh_db, dt.date(2026, 3, 12), [6])
    assert dashboard.thank_you_timeline(fresh_db, at(now))["status"].tolist() == [status]


def test_not_due_yet_does_not_lower_the_on_time_rate(fresh_db):
    from lib import follow_ups
    first = interview(fresh_db, dt.date(2026, 3, 2), [6])
    interview(fresh_db, dt.date(2026, 3, 12), [6])
    # A debrief that names nobody still has one thank-you to send, for the interview as a whole.
    thank_you = int(fresh_db.cursor().execute("SELECT id FROM thank_yous WHERE interview_id = ?", [first]).fetchone()[0])
    follow_ups.mark_thank_you_sent(fresh_db, thank_you, "email", at("2026-03-02 18:00"))
    timeline = dashboard.thank_you_timeline(fresh_db, at("2026-03-12 15:00"))
    assert timeline["status"].tolist() == ["on_time", "not_due"]
    assert dashboard.thank_you_rate(timeline) == 1.0   # not 0.5
    assert dashboard.thank_you_rate(timeline.iloc[1:]) is None  # nothing due yet: no rate at all
