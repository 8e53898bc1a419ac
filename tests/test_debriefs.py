"""Saving, validating, editing and deleting debriefs."""
import datetime as dt

import pytest

from lib.applications import ValidationError, get_application
from lib.debriefs import (Debrief, Interviewer, Question, delete_interview, list_interviews, load_debrief, next_round,
                          save_debrief, validate_debrief)

START = dt.datetime(2026, 3, 12, 14, 30)


def debrief(**changes) -> Debrief:
    fields = dict(company="Contoso", role="Analyst", starts_at=START, time_zone="Europe/London",
                  interviewers=[Interviewer("Ann Lee", "Head of Data")], went_well=["On time"], to_improve=["Shorter"],
                  questions=[Question("Tell me about yourself", "Pitch", 7), Question("Why us?", "", 5)])
    fields.update(changes)
    return Debrief(**fields)


def counts(db):
    return db.query("count_all").iloc[0].to_dict()


def test_a_saved_debrief_reads_back_the_same(fresh_db):
    original = debrief(stage="Panel", format="video", round=2, key_topics="SQL", next_steps="Case study",
                       timeline_given="Friday", may_follow_up=True, expected_response_by=dt.date(2026, 3, 20))
    interview_id = save_debrief(fresh_db, original)
    loaded = load_debrief(fresh_db, interview_id)
    assert loaded == Debrief(**{**original.__dict__, "application_id": loaded.application_id})


def test_an_interview_for_a_new_company_creates_its_application(fresh_db):
    save_debrief(fresh_db, debrief())
    app = get_application(fresh_db, 1)
    assert (app.company, app.role, app.applied_on, app.status) == ("Contoso", "Analyst", START.date(), "interviewing")


def test_a_second_round_joins_the_same_application_whatever_the_case(fresh_db):
    save_debrief(fresh_db, debrief())
    save_debrief(fresh_db, debrief(company="  contoso ", role="ANALYST", starts_at=START + dt.timedelta(days=7)))
    assert counts(fresh_db)["applications"] == 1
    assert next_round(fresh_db, 1) == 3


@pytest.mark.parametrize("score, message", [
    (0, "out of range"), (11, "out of range"), ("7.5", "whole number"), ("seven", "whole number"),
    (None, "self-score from 1 to 10"),
])
def test_an_out_of_range_score_is_refused_and_nothing_is_written(fresh_db, score, message):
    with pytest.raises(ValidationError) as problem:
        save_debrief(fresh_db, debrief(questions=[Question("Why us?", "", score)]))
    assert message in problem.value.errors["questions.0.score"]
    assert counts(fresh_db)["interviews"] == 0


def test_the_score_check_also_lives_in_the_database(fresh_db):
    import duckdb
    with pytest.raises(duckdb.ConstraintException):
        fresh_db.cursor().execute("INSERT INTO questions (interview_id, seq, wording, score) VALUES (1, 0, 'x', 11)")


@pytest.mark.parametrize("changes, field", [
    (dict(company="   "), "company"),
    (dict(starts_at=None), "starts_at"),
    (dict(starts_at=dt.datetime(1900, 1, 1, 9)), "starts_at"),
    (dict(starts_at=dt.datetime(2999, 1, 1, 9)), "starts_at"),
    (dict(format="carrier pigeon"), "format"),
    (dict(expected_response_by=dt.date(2026, 3, 1)), "expected_response_by"),
    (dict(questions=[Question("x" * 1_000_001, "", 5)]), "questions.0.wording"),
    (dict(questions=[Question("Why?", "y" * 1_000_000, 5)]), "questions.0.answer_note"),
    (dict(interviewers=[Interviewer("", "CTO")]), "interviewers.0.name"),
])
def test_each_bad_field_gets_its_own_message(fresh_db, changes, field):
    with pytest.raises(ValidationError) as problem:
        save_debrief(fresh_db, debrief(**changes))
    assert field in problem.value.errors
    assert counts(fresh_db)["interviews"] == 0


def test_a_huge_answer_is_refused_with_the_limit_in_the_message():
    with pytest.raises(ValidationError) as problem:
        validate_debrief(debrief(questions=[Question("Why?", "y" * 1_000_000, 5)]))
    assert "1,000,000 characters long; the limit is 10,000" in problem.value.errors["questions.0.answer_note"]


def test_blank_rows_are_dropped_not_reported():
    clean = validate_debrief(debrief(interviewers=[Interviewer(""), Interviewer("Raj", "")],
                                     questions=[Question(""), Question("Why?", "", 6), Question("  ", "", None)]))
    assert [p.name for p in clean.interviewers] == ["Raj"]
    assert [q.wording for q in clean.questions] == ["Why?"]


def test_html_emoji_and_right_to_left_text_are_stored_exactly(fresh_db):
    note = "<script>alert('x')</script> 🎉 مرحبا'; DROP TABLE questions; --"
    interview_id = save_debrief(fresh_db, debrief(questions=[Question(note, note, 6)]))
    assert load_debrief(fresh_db, interview_id).questions[0].answer_note == note


def test_a_thank_you_already_sent_survives_an_edit(fresh_db):
    interview_id = save_debrief(fresh_db, debrief())
    fresh_db.cursor().execute("UPDATE thank_yous SET sent_on = DATE '2026-03-12'")
    edited = load_debrief(fresh_db, interview_id)
    edited.interviewers = [Interviewer("Bob Stone", "HR"), Interviewer("ann lee", "Head of Data")]
    save_debrief(fresh_db, edited, interview_id=interview_id)
    sent = fresh_db.cursor().execute(
        "SELECT p.name FROM thank_yous t JOIN interviewers p ON p.id = t.interviewer_id WHERE t.sent_on IS NOT NULL").fetchall()
    assert sent == [("ann lee",)]
    assert fresh_db.cursor().execute("SELECT count(*) FROM thank_yous").fetchone()[0] == 2


def test_editing_replaces_questions_rather_than_adding_to_them(fresh_db):
    interview_id = save_debrief(fresh_db, debrief())
    edited = load_debrief(fresh_db, interview_id)
    edited.questions = edited.questions[:1]
    save_debrief(fresh_db, edited, interview_id=interview_id)
    assert counts(fresh_db)["questions"] == 1


def test_deleting_an_interview_removes_everything_under_it(fresh_db):
    keep = save_debrief(fresh_db, debrief(starts_at=START + dt.timedelta(days=1)))
    gone = save_debrief(fresh_db, debrief())
    delete_interview(fresh_db, gone)
    assert load_debrief(fresh_db, gone) is None
    for table, expected in [("questions", 2), ("interviewers", 1), ("reflections", 2), ("thank_yous", 1)]:
        assert fresh_db.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0] == expected, table
    assert load_debrief(fresh_db, keep) is not None


def test_interviews_are_listed_by_application_newest_first(fresh_db):
    save_debrief(fresh_db, debrief(company="Old Co", starts_at=dt.datetime(2026, 1, 5, 9)))
    save_debrief(fresh_db, debrief(company="New Co", starts_at=dt.datetime(2026, 3, 1, 9)))
    save_debrief(fresh_db, debrief(company="Old Co", starts_at=dt.datetime(2026, 1, 20, 9)))
    listed = list_interviews(fresh_db)
    assert listed.company.tolist() == ["New Co", "Old Co", "Old Co"]
    assert listed.mean_score.tolist() == [6.0, 6.0, 6.0]
    assert list_interviews(fresh_db, search="old").company.unique().tolist() == ["Old Co"]


def test_sessions_saving_at_once_from_their_own_threads_all_land(fresh_db):
    # Streamlit runs each browser session on its own thread; DuckDB 2.0 refuses concurrent use
    # of one connection, so this fails unless every thread gets its own cursor.
    import threading
    errors = []

    def session(n):
        try:
            for i in range(10):
                save_debrief(fresh_db, debrief(company=f"Company {n}", starts_at=START + dt.timedelta(hours=i)))
                list_interviews(fresh_db)
        except Exception as error:  # collected so that the assertion shows it
            errors.append(error)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counts(fresh_db)["interviews"] == 80
    assert counts(fresh_db)["applications"] == 8
    assert counts(fresh_db)["questions"] == 160
