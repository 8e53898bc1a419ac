"""Review sessions: since the last review, practice attempts kept apart, improvement notes to tick off."""
import datetime as dt

import pytest

from lib import dashboard, export, review
from lib.applications import ValidationError
from lib.db import Database
from lib.debriefs import Debrief, Question, delete_interview, load_debrief, save_debrief
from lib.questions import merge_groups

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


@pytest.fixture
def london_db(fresh_db):
    fresh_db.cursor().execute("INSERT INTO settings VALUES ('time_zone', 'Europe/London')")
    return fresh_db


def interview(london_db, day: dt.date, scores=(), *, company="Contoso", to_improve=(), hour=10, questions=None) -> int:
    questions = questions or [Question(f"Question {n}", "my answer", s) for n, s in enumerate(scores)]
    return save_debrief(london_db, Debrief(company=company, role="Analyst", time_zone="Europe/London",
                                    starts_at=dt.datetime.combine(day, dt.time(hour)), questions=questions,
                                    to_improve=list(to_improve)), today=dt.date(2026, 11, 25))


def at(day: dt.date, hour: int = 18) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


# -- since the last review ---------------------------------------------------------------------------

def test_the_first_review_covers_every_interview_so_far(london_db):
    interview(london_db, dt.date(2026, 10, 1), [4, 6])
    interview(london_db, dt.date(2026, 11, 1), [8])
    since = review.since_last_review(london_db, NOW)
    assert since.last is None
    assert (since.held, since.trend.interviews) == (2, 2)
    assert since.trend.mean_score == pytest.approx((5 + 8) / 2)  # the mean of interview means
    assert since.mean_before is None


def test_after_a_review_only_later_interviews_count_and_are_compared_with_those_before(london_db):
    interview(london_db, dt.date(2026, 10, 1), [4])
    interview(london_db, dt.date(2026, 10, 8), [6])
    review.finish_review(london_db, now=at(dt.date(2026, 10, 10)))
    interview(london_db, dt.date(2026, 11, 2), [7, 9])
    since = review.since_last_review(london_db, NOW)
    assert since.last.held_on == dt.date(2026, 10, 10)
    assert (since.held, since.trend.interviews, since.trend.mean_score) == (1, 1, 8.0)
    assert (since.interviews_before, since.mean_before) == (2, 5.0)
    assert "up from 5.0 before" in " ".join(review.since_sentences(since, dt.date(2026, 11, 25)))


def test_an_interview_later_on_the_day_of_a_review_counts_in_the_next_one(london_db):
    review.finish_review(london_db, now=at(dt.date(2026, 11, 2), 9))  # 9:00 UTC, before the 10:00 London interview
    interview(london_db, dt.date(2026, 11, 2), [6])
    assert review.since_last_review(london_db, NOW).held == 1


def test_an_interview_still_to_come_is_not_counted_as_held(london_db):
    interview(london_db, dt.date(2026, 11, 20), [6])
    interview(london_db, dt.date(2026, 12, 3))  # scheduled, nothing scored
    assert review.since_last_review(london_db, NOW).held == 1


def test_the_review_day_is_the_users_local_day(london_db):
    london_db.cursor().execute("UPDATE settings SET value = 'Asia/Tokyo' WHERE key = 'time_zone'")
    review_id = review.finish_review(london_db, "Salary number first", now=dt.datetime(2026, 11, 25, 20, 0, tzinfo=UTC))
    stored = review.get_review(london_db, review_id)
    assert stored.held_on == dt.date(2026, 11, 26)  # 05:00 the next morning in Tokyo
    assert stored.focus == "Salary number first"


def test_a_finished_review_summarises_its_own_window_not_the_time_since(london_db):
    interview(london_db, dt.date(2026, 9, 1), [3])
    review.finish_review(london_db, now=at(dt.date(2026, 9, 5)))
    interview(london_db, dt.date(2026, 10, 1), [7])
    second = review.finish_review(london_db, now=at(dt.date(2026, 10, 5)))
    interview(london_db, dt.date(2026, 11, 1), [9])
    covered = review.since_last_review(london_db, NOW, review=review.get_review(london_db, second))
    assert (covered.last.held_on, covered.held, covered.trend.mean_score) == (dt.date(2026, 9, 5), 1, 7.0)


def test_two_scored_interviews_are_too_few_for_a_trend(london_db):
    interview(london_db, dt.date(2026, 10, 1), [4])
    interview(london_db, dt.date(2026, 11, 1), [8])
    sentences = review.since_sentences(review.since_last_review(london_db, NOW), dt.date(2026, 11, 25))
    assert any(s.startswith("Too few scored interviews for a trend (2") for s in sentences)
    assert not any("rose" in s for s in sentences)


def test_three_scored_interviews_on_different_days_give_a_trend(london_db):
    for day, score in ((dt.date(2026, 9, 1), 4), (dt.date(2026, 10, 1), 6), (dt.date(2026, 11, 1), 8)):
        interview(london_db, day, [score])
    sentences = review.since_sentences(review.since_last_review(london_db, NOW), dt.date(2026, 11, 25))
    assert any("rose from 4.0 to 8.0" in s for s in sentences)


def test_an_empty_database_says_what_to_do_first(london_db):
    sentences = review.since_sentences(review.since_last_review(london_db, NOW), dt.date(2026, 11, 25))
    assert sentences[0].startswith("No interviews recorded yet")


def test_a_too_long_focus_is_refused_and_no_review_is_stored(london_db):
    with pytest.raises(ValidationError) as refused:
        review.finish_review(london_db, "x" * (review.MAX_FOCUS + 1), now=NOW)
    assert "limit is 2,000" in refused.value.errors["focus"]
    assert review.list_reviews(london_db).empty


# -- the weakest questions and practice ---------------------------------------------------------------

def weak_history(london_db) -> int:
    """'Tell me about yourself' asked three times, badly; returns its group id."""
    for day, score in ((dt.date(2026, 9, 1), 3), (dt.date(2026, 10, 1), 4), (dt.date(2026, 11, 1), 5)):
        interview(london_db, day, questions=[Question("Tell me about yourself.", f"rambled ({score})", score),
                                      Question("Why this company?", "fine", 8)])
    return int(review.weakest_questions(london_db).group_id.iloc[0])


def test_the_weakest_questions_are_only_the_weak_recurring_ones(london_db):
    weak_history(london_db)
    weakest = review.weakest_questions(london_db)
    assert weakest.canonical.tolist() == ["Tell me about yourself."]  # "Why this company?" averages 8
    assert weakest.avg_score.iloc[0] == pytest.approx(4.0)


def test_at_most_three_weak_questions_are_practised(london_db):
    wordings = ["Tell me about yourself.", "What is your greatest weakness?", "What salary are you expecting?",
                "Why are you leaving your job?"]
    for day in (dt.date(2026, 10, 1), dt.date(2026, 11, 1)):
        interview(london_db, day, questions=[Question(w, "", 3 + n % 2) for n, w in enumerate(wordings)])
    assert len(review.weakest_questions(london_db)) == 3


def test_a_practice_attempt_is_stored_with_its_own_score_and_local_day(london_db):
    group = weak_history(london_db)
    attempt = review.save_practice(london_db, group, "Tell me about yourself.", "Three beats: past, present, why you.", "8",
                                   now=dt.datetime(2026, 11, 24, 23, 30, tzinfo=UTC))
    stored = review.practice_attempts(london_db, [group])
    assert stored.id.tolist() == [attempt]
    assert (stored.score.iloc[0], stored.practiced_on.iloc[0].date()) == (8, dt.date(2026, 11, 24))


def test_a_practice_attempt_is_dated_by_the_users_clock_not_utc(london_db):
    group = weak_history(london_db)
    review.save_practice(london_db, group, "Tell me about yourself.", "Late-night practice", 6,
                         now=dt.datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    assert review.practice_attempts(london_db).practiced_on.iloc[0].date() == dt.date(2026, 7, 2)  # London summer time


def test_practice_never_changes_the_interview_scores(london_db):
    group = weak_history(london_db)
    before = dashboard.question_groups(london_db, with_trend=False)
    review.save_practice(london_db, group, "Tell me about yourself.", "A much better answer", 10, now=NOW)
    after = dashboard.question_groups(london_db, with_trend=False)
    assert after.avg_score.tolist() == before.avg_score.tolist()
    assert dashboard.score_trend(london_db).mean_score == pytest.approx((5.5 + 6 + 6.5) / 3)
    assert len(review.past_answers(london_db, group)) == 3


@pytest.mark.parametrize("answer, score, field, message", [
    ("A better answer", 0, "score", "out of range"),
    ("A better answer", 11, "score", "out of range"),
    ("A better answer", None, "score", "self-score from 1 to 10"),
    ("A better answer", 7.5, "score", "whole number"),
    ("   ", 7, "answer", "is required"),
    ("x" * 5_001, 7, "answer", "limit is 5,000"),
])
def test_a_bad_practice_attempt_is_refused_with_a_message_and_nothing_is_stored(london_db, answer, score, field, message):
    group = weak_history(london_db)
    with pytest.raises(ValidationError) as refused:
        review.save_practice(london_db, group, "Tell me about yourself.", answer, score, now=NOW)
    assert message in refused.value.errors[field]
    assert review.practice_attempts(london_db).empty


def test_html_in_a_practice_answer_is_stored_as_typed(london_db):
    group = weak_history(london_db)
    review.save_practice(london_db, group, "Tell me about yourself.", "<script>alert(1)</script>", 6, now=NOW)
    assert review.practice_attempts(london_db).answer.iloc[0] == "<script>alert(1)</script>"


def test_practice_follows_its_question_when_groups_are_merged(london_db):
    group = weak_history(london_db)
    other = int(dashboard.question_groups(london_db, with_trend=False, weak_below=10)
                .query("canonical == 'Why this company?'").group_id.iloc[0])
    review.save_practice(london_db, group, "Tell me about yourself.", "Better", 7, now=NOW)
    merge_groups(london_db, other, group)  # keep 'Why this company?', fold the practised one into it
    assert review.practice_attempts(london_db, [other]).group_id.tolist() == [other]


def test_practice_is_counted_since_the_last_review(london_db):
    group = weak_history(london_db)
    review.save_practice(london_db, group, "Tell me about yourself.", "First go", 5, now=at(dt.date(2026, 11, 2)))
    review.finish_review(london_db, now=at(dt.date(2026, 11, 3)))
    review.save_practice(london_db, group, "Tell me about yourself.", "Second go", 7, now=at(dt.date(2026, 11, 20)))
    assert review.since_last_review(london_db, NOW).practised == 1


# -- improvement notes ----------------------------------------------------------------------------------

def test_the_same_note_after_several_interviews_is_one_line(london_db):
    interview(london_db, dt.date(2026, 10, 1), [5], to_improve=["Slow down."])
    interview(london_db, dt.date(2026, 11, 1), [5], company="Fabrikam", to_improve=["slow  down", "Ask about the team"])
    notes = review.improvement_notes(london_db, dt.date(2026, 11, 25))
    assert notes.note.tolist() == ["slow  down", "Ask about the team"]  # twice first; the latest wording shown
    first = notes.iloc[0]
    assert (first.times, first.companies, first.last_day) == (2, "Fabrikam, Contoso", dt.date(2026, 11, 1))


def test_ticking_a_note_marks_it_for_every_interview_and_puts_it_last(london_db):
    one = interview(london_db, dt.date(2026, 10, 1), [5], to_improve=["Slow down"])
    two = interview(london_db, dt.date(2026, 11, 1), [5], to_improve=["Slow down", "Ask about the team"])
    review.set_worked_on(london_db, [one, two], review.note_key("Slow down"), now=NOW)
    notes = review.improvement_notes(london_db, dt.date(2026, 11, 25))
    assert notes[["note", "worked_on"]].values.tolist() == [["Ask about the team", False], ["Slow down", True]]
    review.set_worked_on(london_db, [one, two], review.note_key("Slow down"), False)
    assert not review.improvement_notes(london_db, dt.date(2026, 11, 25)).worked_on.any()


def test_a_tick_survives_editing_the_debrief(london_db):
    interview_id = interview(london_db, dt.date(2026, 11, 1), [5], to_improve=["Slow down"])
    review.set_worked_on(london_db, [interview_id], review.note_key("Slow down"), now=NOW)
    debrief = load_debrief(london_db, interview_id)
    debrief.key_topics = "Edited afterwards"
    save_debrief(london_db, debrief, interview_id=interview_id, today=dt.date(2026, 11, 25))
    assert review.improvement_notes(london_db, dt.date(2026, 11, 25)).worked_on.tolist() == [True]


def test_deleting_an_interview_deletes_its_ticks(london_db):
    interview_id = interview(london_db, dt.date(2026, 11, 1), [5], to_improve=["Slow down"])
    review.set_worked_on(london_db, [interview_id], review.note_key("Slow down"), now=NOW)
    delete_interview(london_db, interview_id)
    assert london_db.cursor().execute("SELECT count(*) FROM improvements_worked_on").fetchone()[0] == 0


def test_notes_older_than_the_window_are_left_out_unless_asked_for_by_application(london_db):
    old = interview(london_db, dt.date(2026, 6, 1), [5], to_improve=["Research the company"])
    interview(london_db, dt.date(2026, 11, 1), [5], to_improve=["Slow down"])
    assert review.improvement_notes(london_db, dt.date(2026, 11, 25)).note.tolist() == ["Slow down"]
    application_id = london_db.cursor().execute("SELECT application_id FROM interviews WHERE id = ?", [old]).fetchone()[0]
    by_application = review.improvement_notes(london_db, dt.date(2026, 11, 25), application_id=application_id)
    assert by_application.note.tolist() == ["Slow down", "Research the company"]


@pytest.mark.parametrize("a, b", [("Slow down.", "slow down"), ("Slow   down!", "SLOW DOWN"), ("Be concise;", "be concise")])
def test_case_spacing_and_end_punctuation_do_not_make_a_different_note(a, b):
    assert review.note_key(a) == review.note_key(b)


def test_reviews_practice_and_ticks_survive_export_and_restore(london_db, tmp_path):
    group = weak_history(london_db)
    interview_id = interview(london_db, dt.date(2026, 11, 2), [5], to_improve=["Slow down"])
    review.save_practice(london_db, group, "Tell me about yourself.", "Better", 7, now=NOW)
    review.set_worked_on(london_db, [interview_id], "slow down", now=NOW)
    review.finish_review(london_db, "Salary", now=NOW)
    archive = export.export_archive(london_db, now=NOW).data
    restored = Database(tmp_path / "restored.duckdb")
    export.restore_archive(restored, archive)
    for table in ("reviews", "practice_attempts", "improvements_worked_on"):
        query = f"SELECT * FROM {table} ORDER BY ALL"
        assert restored.cursor().execute(query).fetchall() == london_db.cursor().execute(query).fetchall()
    restored.close()


@pytest.mark.parametrize("held_on, interviews_since, expected", [
    (None, 0, "No review session yet: fifteen minutes"),
    (dt.date(2026, 11, 25), 0, "Last review today, no interviews since."),
    (dt.date(2026, 11, 24), 1, "Last review yesterday, 1 interview since."),
    (dt.date(2026, 11, 13), 3, "Last review 12 days ago, 3 interviews since."),
])
def test_the_home_page_nudge_says_when_the_last_review_was(held_on, interviews_since, expected):
    last = None if held_on is None else review.Review(1, at(held_on), held_on, "")
    since = review.SinceLastReview(last, interviews_since, dashboard.Trend(0, None, None), 0, None, 0)
    assert review.review_nudge(since, dt.date(2026, 11, 25)).startswith(expected)
