"""Calibration: each interview's outcome, the comparison of self-scores, its sentence and its chart."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lib import charts
from lib.follow_ups import log_follow_up
from lib.applications import Application, get_application, update_application
from lib.calibration import (MIN_PER_SIDE, calibration, calibration_sentence, chart_points,
                             interview_outcomes, summarize, welch_interval)
from lib.debriefs import Debrief, Question, save_debrief

AS_OF = dt.date(2026, 6, 30)


def interview(db, company, day, scores, *, role="Analyst", stage="Phone screen"):
    """Save an interview at 10:00 London time on `day` with one question per score; return its id."""
    return save_debrief(db, Debrief(company=company, role=role, stage=stage, time_zone="Europe/London",
                                    starts_at=dt.datetime.combine(day, dt.time(10)),
                                    questions=[Question(f"Question {n}", "", s) for n, s in enumerate(scores)]),
                        today=AS_OF)


def application_id(db, company, role="Analyst"):
    return int(db.scalar("find_application", company=company, role=role))


def set_status(db, company, status, on=dt.date(2026, 6, 1)):
    app_id = application_id(db, company)
    app = get_application(db, app_id)
    closed = status in ("accepted", "rejected", "withdrawn", "ghosted")
    update_application(db, app_id, Application(company=app.company, role=app.role, applied_on=app.applied_on,
                                               status=status, closed_on=on if closed else None))


def answer(db, company, interview_id, outcome, on=dt.date(2026, 6, 1)):
    log_follow_up(db, application_id(db, company), interview_id, on, "email", outcome=outcome, today=AS_OF)


def outcome_of(db, interview_id, as_of=AS_OF):
    frame = interview_outcomes(db, as_of)
    return frame.set_index("interview_id").at[interview_id, "outcome"]


def outcomes_frame(advanced=(), stopped=(), waiting=(), withdrawn=()):
    """An interview_outcomes-shaped frame from lists of mean scores, for the pure functions."""
    rows = [(outcome, score) for outcome, scores in (("advanced", advanced), ("stopped", stopped),
                                                     ("waiting", waiting), ("withdrawn", withdrawn))
            for score in scores]
    return pd.DataFrame({"interview_id": range(1, len(rows) + 1),
                         "day": pd.to_datetime([dt.date(2026, 3, 2)] * len(rows)),
                         "company": "Contoso", "role": "Analyst", "round": 1, "stage": "Final",
                         "mean_score": [float(score) for _, score in rows], "outcome": [o for o, _ in rows]})


# -- the outcome of each interview, rule by rule -------------------------------------------------

def test_an_interview_followed_by_another_of_the_same_application_advanced(fresh_db):
    first = interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [6])
    interview(fresh_db, "Contoso", dt.date(2026, 3, 9), [7])
    assert outcome_of(fresh_db, first) == "advanced"


def test_a_later_interview_that_is_only_scheduled_still_counts_and_is_not_judged_itself(fresh_db):
    first = interview(fresh_db, "Contoso", dt.date(2026, 6, 20), [6])
    interview(fresh_db, "Contoso", dt.date(2026, 7, 10), [])  # booked, after as_of, nothing to score yet
    frame = interview_outcomes(fresh_db, AS_OF)
    assert frame["interview_id"].tolist() == [first]
    assert frame["outcome"].tolist() == ["advanced"]


def test_a_later_interview_wins_over_a_rejection(fresh_db):
    first = interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [6])
    answer(fresh_db, "Contoso", first, "rejected", on=dt.date(2026, 3, 5))
    interview(fresh_db, "Contoso", dt.date(2026, 3, 9), [7])
    set_status(fresh_db, "Contoso", "rejected")
    assert outcome_of(fresh_db, first) == "advanced"


@pytest.mark.parametrize("reply", ["next_round", "offer"])
def test_a_next_round_or_offer_answer_to_the_interview_means_it_advanced(fresh_db, reply):
    first = interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [5])
    answer(fresh_db, "Contoso", first, reply)
    assert outcome_of(fresh_db, first) == "advanced"


def test_a_rejection_answering_the_interview_means_it_stopped(fresh_db):
    first = interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [5])
    answer(fresh_db, "Contoso", first, "rejected")
    assert outcome_of(fresh_db, first) == "stopped"


def test_the_latest_answer_to_the_interview_wins_over_an_earlier_one(fresh_db):
    first = interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [5])
    answer(fresh_db, "Contoso", first, "next_round", on=dt.date(2026, 3, 5))
    answer(fresh_db, "Contoso", first, "rejected", on=dt.date(2026, 3, 20))
    assert outcome_of(fresh_db, first) == "stopped"


def test_an_offer_you_then_declined_still_counts_as_advanced(fresh_db):
    first = interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [8])
    answer(fresh_db, "Contoso", first, "offer")
    set_status(fresh_db, "Contoso", "withdrawn")
    assert outcome_of(fresh_db, first) == "advanced"


@pytest.mark.parametrize("status, expected", [("offer", "advanced"), ("accepted", "advanced"),
                                              ("rejected", "stopped"), ("ghosted", "stopped"),
                                              ("withdrawn", "withdrawn"), ("interviewing", "waiting")])
def test_the_last_interview_takes_its_outcome_from_the_application_status(fresh_db, status, expected):
    first = interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [6])
    last = interview(fresh_db, "Contoso", dt.date(2026, 3, 9), [6])
    set_status(fresh_db, "Contoso", status)
    assert outcome_of(fresh_db, last) == expected
    assert outcome_of(fresh_db, first) == "advanced"


def test_a_follow_up_without_an_answer_or_linked_to_no_interview_says_nothing(fresh_db):
    first = interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [6])
    answer(fresh_db, "Contoso", first, "no_reply")
    answer(fresh_db, "Contoso", None, "next_round")  # about the application, not this interview
    assert outcome_of(fresh_db, first) == "waiting"


def test_an_interview_without_questions_is_left_out(fresh_db):
    interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [])
    scored = interview(fresh_db, "Fabrikam", dt.date(2026, 3, 3), [4])
    assert interview_outcomes(fresh_db, AS_OF)["interview_id"].tolist() == [scored]


def test_only_interviews_between_since_and_as_of_are_judged(fresh_db):
    ids = [interview(fresh_db, company, day, [6]) for company, day in
           (("Contoso", dt.date(2026, 3, 2)), ("Fabrikam", dt.date(2026, 4, 2)), ("Litware", dt.date(2026, 5, 4)))]
    frame = interview_outcomes(fresh_db, dt.date(2026, 4, 30), since=dt.date(2026, 3, 3))
    assert frame["interview_id"].tolist() == [ids[1]]


def test_each_row_gives_the_interview_and_the_mean_of_its_question_scores(fresh_db):
    first = interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [4, 7, 8], stage="Hiring manager")
    row = interview_outcomes(fresh_db, AS_OF).iloc[0]
    assert list(interview_outcomes(fresh_db, AS_OF).columns) == ["interview_id", "day", "company", "role", "round",
                                                                "stage", "mean_score", "outcome"]
    assert (row.interview_id, row.day, row.company, row.role, row.stage) == (
        first, pd.Timestamp(2026, 3, 2), "Contoso", "Analyst", "Hiring manager")
    assert row.mean_score == pytest.approx(19 / 3)


# -- the comparison ------------------------------------------------------------------------------

def test_counts_and_averages_on_a_small_history(fresh_db):
    # Contoso: 6 then 8, then rejected. Fabrikam: 4, ghosted. Litware: 7, offer. Proseware: 5, withdrew.
    # Tailspin: 9, no answer yet.
    interview(fresh_db, "Contoso", dt.date(2026, 3, 2), [6])
    interview(fresh_db, "Contoso", dt.date(2026, 3, 9), [8, 7])
    set_status(fresh_db, "Contoso", "rejected")
    interview(fresh_db, "Fabrikam", dt.date(2026, 3, 4), [4])
    set_status(fresh_db, "Fabrikam", "ghosted")
    interview(fresh_db, "Litware", dt.date(2026, 3, 5), [7])
    set_status(fresh_db, "Litware", "offer")
    interview(fresh_db, "Proseware", dt.date(2026, 3, 6), [5])
    set_status(fresh_db, "Proseware", "withdrawn")
    interview(fresh_db, "Tailspin Toys", dt.date(2026, 3, 10), [9])
    cal = calibration(fresh_db, AS_OF)
    assert (cal.advanced, cal.stopped, cal.waiting, cal.withdrawn) == (2, 2, 1, 1)
    assert cal.advanced_mean == pytest.approx(6.5)  # 6 and 7
    assert cal.stopped_mean == pytest.approx(5.75)  # 7.5 and 4
    assert cal.difference == pytest.approx(0.75)
    assert not cal.enough


def test_the_interval_is_welchs_t_interval_on_the_difference():
    advanced, stopped = [7.2, 8.0, 6.5, 7.8, 9.0, 6.0], [5.0, 6.5, 4.8, 7.0, 5.5]
    low, high = summarize(outcomes_frame(advanced, stopped)).interval
    expected = stats.ttest_ind(advanced, stopped, equal_var=False).confidence_interval(0.95)
    assert (low, high) == pytest.approx((expected.low, expected.high))


def test_there_is_no_interval_with_fewer_than_two_on_a_side():
    assert welch_interval(np.array([7.0]), np.array([5.0, 6.0])) is None


def test_identical_scores_give_an_interval_of_that_one_difference():
    assert welch_interval(np.array([7.0, 7.0]), np.array([5.0, 5.0])) == (2.0, 2.0)


@pytest.mark.parametrize("advanced, stopped, enough", [(5, 5, True), (5, 4, False), (4, 9, False)])
def test_enough_needs_five_interviews_on_each_side(advanced, stopped, enough):
    cal = summarize(outcomes_frame([7] * advanced, [5] * stopped))
    assert MIN_PER_SIDE == 5
    assert cal.enough is enough


def test_score_bands_count_each_side_and_the_rate_of_advancing():
    # 4.4 is a 4; 4.5 is a 5; 6.5 is a 7; 8.5 is a 9. Waiting and withdrawn are not in the bands.
    cal = summarize(outcomes_frame(advanced=[4.5, 6.5, 8.5, 9.0], stopped=[4.4, 6.0, 6.4], waiting=[7.0],
                                   withdrawn=[2.0]))
    assert [(b.label, b.advanced, b.stopped) for b in cal.bands] == [("1–4", 0, 1), ("5–6", 1, 2), ("7–8", 1, 0),
                                                                    ("9–10", 2, 0)]
    assert [b.rate for b in cal.bands] == [0.0, pytest.approx(1 / 3), 1.0, 1.0]


def test_a_band_with_no_answered_interview_has_no_rate():
    cal = summarize(outcomes_frame(advanced=[7.0], stopped=[8.0], waiting=[2.0]))
    assert cal.bands[0].label == "1–4" and cal.bands[0].rate is None


# -- the sentence -------------------------------------------------------------------------------

def test_too_few_says_how_many_of_each_and_how_many_more_are_needed():
    cal = summarize(outcomes_frame(advanced=[7] * 7, stopped=[5] * 3, waiting=[6], withdrawn=[8]))
    assert calibration_sentence(cal) == (
        "Too few to tell yet: 7 interviews advanced and 3 didn't (1 still waiting for an answer, 1 you withdrew "
        "from). A fair comparison needs at least 5 on each side: 2 more that didn't.")


def test_too_few_on_both_sides_names_both_shortfalls():
    sentence = calibration_sentence(summarize(outcomes_frame(advanced=[7], stopped=[])))
    assert sentence.startswith("Too few to tell yet: 1 interview advanced and 0 didn't.")
    assert sentence.endswith("needs at least 5 on each side: 4 more that advanced and 5 more that didn't.")


def test_a_clear_difference_quotes_both_averages_and_the_interval_without_claiming_a_cause():
    cal = summarize(outcomes_frame(advanced=[7.0, 7.5, 7.0, 7.5, 7.0, 8.0], stopped=[6.0, 5.5, 6.0, 5.5, 6.0]))
    sentence = calibration_sentence(cal)
    low, high = cal.interval
    assert sentence == (f"Interviews that advanced averaged 7.3, those that didn't 5.8 (+1.5; 95% interval "
                        f"+{low:.1f} to +{high:.1f}): so far, higher self-scores have gone with moving on "
                        "(6 interviews advanced, 5 didn't).")
    assert "cause" not in sentence and "because" not in sentence


def test_an_interval_that_includes_zero_says_no_clear_difference_yet():
    cal = summarize(outcomes_frame(advanced=[3, 9, 5, 8, 6], stopped=[7, 4, 6, 8, 5]))
    low, high = cal.interval
    assert low < 0 < high
    assert "includes 0): no clear difference yet (5 interviews advanced, 5 didn't)." in calibration_sentence(cal)


def test_a_clear_difference_the_other_way_says_so():
    cal = summarize(outcomes_frame(advanced=[5.0, 5.5] * 3, stopped=[7.5, 8.0] * 3))
    assert calibration_sentence(cal).endswith(
        "so far, the interviews that moved on are the ones you scored lower (6 interviews advanced, 6 didn't).")


def test_a_narrow_interval_from_many_interviews_is_shown_to_two_decimals_with_thousands_separated():
    rng = np.random.default_rng(3)
    cal = summarize(outcomes_frame(advanced=rng.normal(6.5, 0.2, 6000), stopped=rng.normal(6.5, 0.2, 3000),
                                   waiting=[6.0] * 1200))
    low, high = cal.interval
    assert round(low, 1) == round(high, 1)
    sentence = calibration_sentence(cal)
    assert f"the 95% interval, {low:+.2f} to {high:+.2f}, includes 0" in sentence
    assert sentence.endswith("(6,000 interviews advanced, 3,000 didn't, 1,200 still waiting for an answer).")


def test_no_scored_interview_explains_what_will_be_compared():
    assert calibration_sentence(summarize(outcomes_frame())).startswith("No scored interviews to compare yet.")


# -- the chart ----------------------------------------------------------------------------------

def test_the_chart_has_a_dot_trace_and_a_mean_line_per_side_with_n_in_the_labels():
    outcomes = outcomes_frame(advanced=[7, 8, 6], stopped=[5, 4], waiting=[9])
    cal = summarize(outcomes)
    figure = charts.calibration(chart_points(outcomes), cal)
    assert [trace.name for trace in figure.data] == ["Advanced (n=3)", "Advanced: average 7.0",
                                                     "Didn't advance (n=2)", "Didn't advance: average 4.5"]
    assert sorted(figure.data[0].y) == [6, 7, 8] and list(figure.data[1].y) == [7.0, 7.0]
    assert list(figure.layout.xaxis.ticktext) == ["Advanced (n=3)", "Didn't advance (n=2)"]
    assert charts.point_count(figure) == 3 + 2 + 2 + 2  # the waiting interview is not drawn


def test_the_chart_escapes_a_company_name_with_html():
    outcomes = outcomes_frame(advanced=[7], stopped=[5])
    outcomes["company"] = "<b>Evil</b> & Co"
    figure = charts.calibration(chart_points(outcomes), summarize(outcomes))
    label = figure.data[0].customdata[0][0]
    assert label.startswith("&lt;b&gt;Evil&lt;/b&gt; &amp; Co · Analyst · 02 Mar 2026")
    assert "<b>" not in label


def test_beyond_the_cap_interviews_with_the_same_score_share_a_dot():
    rng = np.random.default_rng(1)
    outcomes = outcomes_frame(advanced=rng.integers(10, 100, 3000) / 10, stopped=rng.integers(10, 100, 2000) / 10)
    points = chart_points(outcomes, max_points=1000)
    assert len(points) <= 2 * 91
    assert points["interviews"].sum() == 5000
    assert points.loc[points["outcome"] == "stopped", "interviews"].sum() == 2000
    figure = charts.calibration(points, summarize(outcomes))
    assert charts.point_count(figure) <= 2 * 91 + 4


def test_the_chart_draws_one_side_only_when_the_other_is_empty():
    outcomes = outcomes_frame(advanced=[7, 8])
    figure = charts.calibration(chart_points(outcomes), summarize(outcomes))
    assert [trace.name for trace in figure.data] == ["Advanced (n=2)", "Advanced: average 7.5"]
    assert list(figure.layout.xaxis.ticktext) == ["Advanced (n=2)", "Didn't advance (n=0)"]
