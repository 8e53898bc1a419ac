"""The prep sheet: earlier rounds of one application, weak questions with best answers, notes, people met."""
import datetime as dt

import pytest

from lib import prepare, review
from lib.applications import Application, add_application
from lib.debriefs import Debrief, Interviewer, Question, save_debrief

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
TODAY = dt.date(2026, 11, 25)
SALARY = "What salary are you expecting?"


@pytest.fixture
def london_db(fresh_db):
    fresh_db.cursor().execute("INSERT INTO settings VALUES ('time_zone', 'Europe/London')")
    return fresh_db


def interview(london_db, day: dt.date, questions=(), *, company="Contoso", round_=None, stage="", people=(),
              to_improve=(), hour=10) -> int:
    """An interview; `questions` are (wording, note, score), `people` are (name, position)."""
    return save_debrief(london_db, Debrief(
        company=company, role="Analyst", time_zone="Europe/London", starts_at=dt.datetime.combine(day, dt.time(hour)),
        round=round_, stage=stage, interviewers=[Interviewer(n, p) for n, p in people],
        questions=[Question(w, note, s) for w, note, s in questions], to_improve=list(to_improve)), today=TODAY)


def application_id(london_db, company="Contoso") -> int:
    return int(london_db.scalar("find_application", company=company, role="Analyst"))


def sheet_of(london_db, company="Contoso") -> prepare.PrepSheet:
    return prepare.prep_sheet(london_db, application_id(london_db, company), TODAY, now=NOW)


def test_questions_come_from_the_earlier_rounds_of_that_application_only(london_db):
    interview(london_db, dt.date(2026, 10, 1), [("Why Contoso?", "their data team", 6)], round_=1)
    interview(london_db, dt.date(2026, 10, 2), [("Why Fabrikam?", "", 5)], company="Fabrikam")
    interview(london_db, dt.date(2026, 11, 2), [("Walk me through a query", "window functions", 8)], round_=2)
    interview(london_db, dt.date(2026, 12, 2), [("Typed ahead for the next round", "", 5)], round_=3)  # not held yet
    sheet = sheet_of(london_db)
    assert sheet.questions["wording"].tolist() == ["Why Contoso?", "Walk me through a query"]
    assert sheet.questions["answer_note"].tolist() == ["their data team", "window functions"]
    assert sheet.rounds["label"].tolist() == ["Round 1 · Thu 01 Oct 2026", "Round 2 · Mon 02 Nov 2026"]


def test_the_next_scheduled_interview_is_the_soonest_one_ahead(london_db):
    interview(london_db, dt.date(2026, 10, 1), [("Why Contoso?", "", 6)], round_=1)
    interview(london_db, dt.date(2026, 12, 9), round_=3, stage="Panel")
    interview(london_db, dt.date(2026, 12, 2), round_=2, stage="Hiring manager", people=[("Ann Lee", "Head of Data")])
    nxt = sheet_of(london_db).next_interview
    assert (nxt.starts_local, nxt.round, nxt.stage) == (dt.datetime(2026, 12, 2, 10, 0), 2, "Hiring manager")
    assert nxt.interviewers == "Ann Lee (Head of Data)"


def test_without_an_interview_ahead_there_is_no_next_interview(london_db):
    interview(london_db, dt.date(2026, 10, 1), [("Why Contoso?", "", 6)])
    assert sheet_of(london_db).next_interview is None


def test_the_best_past_answer_is_the_highest_score_then_the_most_recent(london_db):
    interview(london_db, dt.date(2026, 9, 1), [(SALARY, "high but old", 5)], company="Fabrikam")
    interview(london_db, dt.date(2026, 10, 1), [(SALARY, "low", 2)])
    interview(london_db, dt.date(2026, 11, 1), [(SALARY, "high and recent", 5)], company="Litware")
    weak = sheet_of(london_db).weak
    assert weak["canonical"].tolist() == [SALARY]
    best = weak.iloc[0]
    assert (best["best_score"], best["best_answer"], best["best_company"]) == (5, "high and recent", "Litware")
    assert bool(best["asked_here"])


def test_the_best_practice_answer_is_the_highest_scored_attempt(london_db):
    interview(london_db, dt.date(2026, 10, 1), [(SALARY, "", 3)])
    interview(london_db, dt.date(2026, 11, 1), [(SALARY, "", 4)], company="Fabrikam")
    group_id = int(sheet_of(london_db).weak.iloc[0]["group_id"])
    review.save_practice(london_db, group_id, SALARY, "A range, anchored on research", 7, now=NOW - dt.timedelta(days=2))
    review.save_practice(london_db, group_id, SALARY, "The number first, no apology", 8, now=NOW - dt.timedelta(days=3))
    review.save_practice(london_db, group_id, SALARY, "Rambled", 4, now=NOW - dt.timedelta(days=1))
    best = sheet_of(london_db).weak.iloc[0]
    assert (best["practice_score"], best["practice_answer"]) == (8, "The number first, no apology")


def test_a_question_not_asked_at_this_application_is_still_a_weak_spot_but_not_asked_here(london_db):
    interview(london_db, dt.date(2026, 10, 1), [(SALARY, "", 3)], company="Fabrikam")
    interview(london_db, dt.date(2026, 11, 1), [(SALARY, "", 4)], company="Litware")
    interview(london_db, dt.date(2026, 11, 2), [("Why Contoso?", "", 8)])
    weak = sheet_of(london_db).weak
    assert weak["canonical"].tolist() == [SALARY]
    assert not bool(weak.iloc[0]["asked_here"])


def test_interviewers_are_one_line_per_person_with_their_latest_position(london_db):
    interview(london_db, dt.date(2026, 10, 1), round_=1, stage="Screen", people=[("Ann Lee", "Analytics Lead")])
    interview(london_db, dt.date(2026, 11, 1), round_=2, people=[("ann  LEE", "Head of Data"), ("Bo Chan", "")])
    interview(london_db, dt.date(2026, 11, 2), company="Fabrikam", people=[("Cy Diaz", "Recruiter")])
    people = sheet_of(london_db).interviewers
    assert people["name"].tolist() == ["ann  LEE", "Bo Chan"]
    assert people["position"].tolist() == ["Head of Data", ""]
    assert people.iloc[0]["met"] == "Round 1 · Screen · Thu 01 Oct 2026; Round 2 · Sun 01 Nov 2026"
    assert people["times_met"].tolist() == [2, 1]


def test_a_blank_position_later_keeps_the_last_one_given(london_db):
    interview(london_db, dt.date(2026, 10, 1), people=[("Ann Lee", "Head of Data")])
    interview(london_db, dt.date(2026, 11, 1), people=[("Ann Lee", "")])
    assert sheet_of(london_db).interviewers["position"].tolist() == ["Head of Data"]


def test_notes_of_that_application_are_included_whatever_their_age_and_open_recent_ones_from_elsewhere(london_db):
    interview(london_db, dt.date(2026, 3, 1), to_improve=["Research the company"])       # old, this application
    ticked = interview(london_db, dt.date(2026, 11, 1), company="Fabrikam", to_improve=["Slow down", "Smile more"])
    review.set_worked_on(london_db, [ticked], review.note_key("Smile more"))
    interview(london_db, dt.date(2026, 4, 1), company="Litware", to_improve=["Old and elsewhere"])
    notes = sheet_of(london_db).notes
    assert notes["note"].tolist() == ["Research the company", "Slow down"]
    assert notes["from_here"].tolist() == [True, False]


def test_a_note_from_here_already_worked_on_still_shows_as_done_after_the_open_ones(london_db):
    here = interview(london_db, dt.date(2026, 11, 1), to_improve=["Ask about next steps"])
    interview(london_db, dt.date(2026, 11, 2), company="Fabrikam", to_improve=["Slow down"])
    review.set_worked_on(london_db, [here], review.note_key("Ask about next steps"))
    notes = sheet_of(london_db).notes
    assert notes[["note", "worked_on"]].values.tolist() == [["Slow down", False], ["Ask about next steps", True]]


def test_the_same_note_here_and_elsewhere_is_one_line_marked_from_here(london_db):
    interview(london_db, dt.date(2026, 11, 1), to_improve=["Slow down"])
    interview(london_db, dt.date(2026, 11, 2), company="Fabrikam", to_improve=["slow down."])
    notes = sheet_of(london_db).notes
    assert notes[["times", "from_here"]].values.tolist() == [[2, True]]


def test_an_application_with_nothing_yet_gives_an_empty_sheet_that_says_first_round(london_db):
    add_application(london_db, Application(company="Proseware", role="Analyst", applied_on=dt.date(2026, 11, 20)))
    sheet = sheet_of(london_db, "Proseware")
    assert (sheet.rounds.empty, sheet.questions.empty, sheet.interviewers.empty, sheet.weak.empty,
            sheet.notes.empty, sheet.next_interview) == (True, True, True, True, True, None)
    text = prepare.prep_markdown(sheet)
    assert "First round there: nothing asked yet." in text
    assert "No recurring question averages below your weak line." in text


def test_a_missing_application_gives_no_sheet(london_db):
    assert prepare.prep_sheet(london_db, 999, TODAY, now=NOW) is None


def test_the_markdown_escapes_html_and_markdown_in_user_text(london_db):
    asked = ("<script>alert(1)</script> **why** us?", "# not a heading\n- [x](javascript:y)", 6)
    interview(london_db, dt.date(2026, 11, 1), [asked],
              company="Evil & <b>Co</b>", people=[("|Ann|", "_Boss_")], to_improve=["`code` ~~strike~~"])
    text = prepare.prep_markdown(sheet_of(london_db, "Evil & <b>Co</b>"))
    assert "<script>" not in text and "<b>" not in text
    assert r"\<script\>alert(1)\</script\> \*\*why\*\* us?" in text
    assert r"Your answer: \# not a heading - \[x\](javascript\:y)" in text
    assert r"# Prepare: Evil \& \<b\>Co\</b\> – Analyst" in text
    assert r"- **\|Ann\|**, \_Boss\_:" in text
    assert r"\`code\` \~\~strike\~\~" in text


@pytest.mark.parametrize("typed, shown", [
    ("# Heading", r"\# Heading"),
    ("1. a list", r"1\. a list"),
    ("> quote", r"\> quote"),
    ("line one\n\n## two", "line one ## two"),  # mid-line: no heading, nothing to escape
    ("plain words, kept readable.", "plain words, kept readable."),
])
def test_md_keeps_user_text_on_one_inert_line(typed, shown):
    assert prepare.md(typed) == shown


def test_the_picker_lists_open_applications_with_an_interview_ahead_first_then_open_then_closed(london_db):
    add_application(london_db, Application(company="Closed Co", role="Analyst", applied_on=dt.date(2026, 11, 20),
                                    status="rejected", closed_on=dt.date(2026, 11, 22)))
    add_application(london_db, Application(company="Open Co", role="Analyst", applied_on=dt.date(2026, 11, 21)))
    interview(london_db, dt.date(2026, 12, 3), company="Later Co")
    interview(london_db, dt.date(2026, 12, 1), company="Sooner Co")
    choices = prepare.choices(london_db, now=NOW)
    assert choices["company"].tolist() == ["Sooner Co", "Later Co", "Open Co", "Closed Co"]
    assert choices["label"].tolist()[0] == "Sooner Co – Analyst · next interview 01 Dec"
    assert choices["label"].tolist()[-1] == "Closed Co – Analyst (rejected)"


def test_the_picker_keeps_the_asked_for_application_beyond_its_limit(london_db):
    for day in (1, 2, 3):
        add_application(london_db, Application(company=f"Co {day}", role="Analyst", applied_on=dt.date(2026, 11, day)))
    oldest = application_id(london_db, "Co 1")
    assert prepare.choices(london_db, now=NOW, max_choices=1)["company"].tolist() == ["Co 3"]
    assert prepare.choices(london_db, now=NOW, max_choices=1, include_id=oldest)["company"].tolist() == ["Co 3", "Co 1"]


def test_a_note_from_this_application_and_from_elsewhere_is_ticked_for_every_interview_that_noted_it(london_db):
    old = interview(london_db, TODAY - dt.timedelta(days=200), to_improve=["Slow down"])            # here, not recent
    recent = interview(london_db, TODAY - dt.timedelta(days=5), company="Fabrikam", to_improve=["Slow down"])
    [row] = prepare.notes_to_reread(london_db, TODAY, application_id(london_db)).itertuples()
    assert sorted(row.interview_ids) == sorted([old, recent])
    review.set_worked_on(london_db, row.interview_ids, row.note_key, now=NOW)
    [row] = prepare.notes_to_reread(london_db, TODAY, application_id(london_db)).itertuples()
    assert row.worked_on  # stays ticked: no interview that noted it is left out
