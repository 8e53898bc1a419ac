"""`python -m lib report`: the JSON of docs/report-json.md and the text for a review session."""
import datetime as dt
import json
import subprocess
import sys

from conftest import ROOT
from lib import follow_ups
from lib.applications import Application, add_application
from lib.debriefs import Debrief, Interviewer, Question, save_debrief
from lib.report import as_text, build_report

AS_OF = dt.date(2026, 3, 30)
REQUIRED = {"as_of", "active_applications", "target_concurrent", "score_trend", "recurring_questions", "thank_you",
            "follow_ups_due"}


def interview(db, company, day, questions, *, expected=None, hour=10):
    return save_debrief(db, Debrief(
        company=company, role="Supply Chain Analyst", starts_at=dt.datetime.combine(day, dt.time(hour)),
        time_zone="UTC", interviewers=[Interviewer("Sam Diaz", "Manager")], expected_response_by=expected,
        questions=[Question(wording, "", score) for wording, score in questions]))


def thank(db, interview_id, at):
    thank_you_id = int(db.cursor().execute("SELECT id FROM thank_yous WHERE interview_id = ?", [interview_id]).fetchone()[0])
    follow_ups.mark_thank_you_sent(db, thank_you_id, "email", at)


def spec_like_history(db):
    """Two interviews with one company, a pay question asked three times in two wordings."""
    first = interview(db, "Wide World Importers", dt.date(2026, 3, 2), [
        ("What are you looking for in terms of pay?", 4), ("Tell me about yourself", 8)], expected=dt.date(2026, 3, 24))
    second = interview(db, "Wide World Importers", dt.date(2026, 3, 16), [
        ("What pay do you expect?", 4), ("What are you looking for in terms of pay?", 5), ("Why this company?", 7)],
        expected=dt.date(2026, 3, 24))
    thank(db, first, dt.datetime(2026, 3, 2, 18, tzinfo=dt.timezone.utc))
    thank(db, second, dt.datetime(2026, 3, 17, 9, tzinfo=dt.timezone.utc))
    interview(db, "Later Ltd", dt.date(2026, 4, 6), [("What pay do you expect?", 9)])  # after as_of: not counted


def test_the_json_has_every_key_the_spec_requires_with_hand_worked_values(fresh_db):
    spec_like_history(fresh_db)
    report = build_report(fresh_db, AS_OF)
    assert REQUIRED <= report.keys()
    assert report["as_of"] == "2026-03-30"
    assert report["active_applications"] == 1 and report["target_concurrent"] == [2, 3]
    # Interview means 6.0 (4, 8) and 5.33 (4, 5, 7) fourteen days apart: slope -0.667/14 days.
    assert report["score_trend"]["interviews"] == 2
    assert report["score_trend"]["mean_score"] == 5.7
    assert report["score_trend"]["points_per_30_days"] == -1.43
    assert report["thank_you"] == {"sent_on_time": 2, "sent_late": 0, "not_sent": 0}
    assert report["follow_ups_due"] == [{"company": "Wide World Importers", "role": "Supply Chain Analyst",
                                         "due": "2026-03-24", "follow_up_from": "2026-03-25"}]


def test_one_question_in_two_wordings_is_one_recurring_question(fresh_db):
    spec_like_history(fresh_db)
    recurring = build_report(fresh_db, AS_OF)["recurring_questions"]
    assert len(recurring) == 1  # "Tell me about yourself" and "Why this company?" were asked once each
    pay = recurring[0]
    assert pay["question"] == "What are you looking for in terms of pay?"  # the wording used most
    assert (pay["times_asked"], pay["avg_score"], pay["last_score"], pay["weak"]) == (2, 4.3, 5, True)
    assert pay["variants"] == ["What are you looking for in terms of pay?", "What pay do you expect?"]
    assert pay["last_asked"] == "2026-03-16"  # a date, like every other date in the JSON


def test_only_interviews_on_or_before_as_of_count(fresh_db):
    spec_like_history(fresh_db)
    later = build_report(fresh_db, dt.date(2026, 4, 10))
    assert later["score_trend"]["interviews"] == 3
    assert build_report(fresh_db, dt.date(2026, 3, 1))["score_trend"]["interviews"] == 0


def test_an_empty_database_gives_a_complete_report_with_nulls_where_nothing_is_known(fresh_db):
    report = build_report(fresh_db, AS_OF)
    assert REQUIRED <= report.keys()
    assert report["score_trend"] == {"interviews": 0, "mean_score": None, "points_per_30_days": None,
                                     "sentence": "No scored interviews yet: debrief one and score each answer from 1 to 10."}
    assert report["recurring_questions"] == [] and report["follow_ups_due"] == []
    assert report["active_applications"] == 0


def test_the_text_report_reads_as_a_review_session(fresh_db):
    spec_like_history(fresh_db)
    add_application(fresh_db, Application(company="Contoso", applied_on=dt.date(2026, 3, 20)))
    text = as_text(build_report(fresh_db, AS_OF))
    assert "2 applications active today, within your 2–3 target." in text
    assert "WEAK  What are you looking for in terms of pay? — asked 2 times, average 4.3, last 5" in text
    assert "also: What pay do you expect?" in text
    assert "Thank-you notes: 2 within 24 hours, 0 late, 0 not sent." in text
    assert "Wide World Importers — Supply Chain Analyst: an answer was due 2026-03-24; follow up from 2026-03-25" in text


def test_the_command_prints_the_json_for_the_day_asked(db_path):
    from lib.db import Database
    db = Database(db_path)
    spec_like_history(db)
    db.close()
    done = subprocess.run([sys.executable, "-m", "lib", "report", "--json", "--as-of", "2026-03-30", "--db", str(db_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["as_of"] == "2026-03-30" and report["score_trend"]["interviews"] == 2


def test_a_bad_as_of_date_is_a_usage_error_not_a_traceback(db_path):
    done = subprocess.run([sys.executable, "-m", "lib", "report", "--as-of", "2026-02-30", "--db", str(db_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "'2026-02-30' is not a real date; write it as YYYY-MM-DD" in done.stderr and "Traceback" not in done.stderr


def test_the_spec_example_files_give_the_spec_example_figures(fresh_db):
    """The example of docs/import-format.md (tests/fixtures/import-example) through the import, then the report for 2026-03-30."""
    from lib import importer
    files = [ROOT / "tests" / "fixtures" / "import-example" / name for name in ("applications.csv", "questions.csv")]
    plan = importer.plan_import(fresh_db, [(f.name, f.read_bytes()) for f in files])
    importer.apply_import(fresh_db, plan)
    report = build_report(fresh_db, AS_OF)
    assert report["score_trend"] == {"interviews": 2, "mean_score": 6.0, "points_per_30_days": 0.0,
                                     "sentence": "Your average held steady at about 6.0 over 6 days."}
    assert report["thank_you"] == {"sent_on_time": 2, "sent_late": 0, "not_sent": 0}
    assert report["target_concurrent"] == [2, 3]
    # Blue Yonder was rejected on 27 March; Wide World (an offer, still open) and Coho are active.
    assert report["active_applications"] == 2
    assert report["follow_ups_due"] == [{"company": "Wide World Importers", "role": "Supply Chain Analyst",
                                         "due": "2026-03-25", "follow_up_from": "2026-03-26"}]


def test_the_text_report_waits_for_three_interviews_over_two_weeks_while_the_json_keeps_its_sentence(db_path):
    from lib.db import Database
    db = Database(db_path)
    interview(db, "Contoso", dt.date(2026, 3, 2), [("Why us?", 5)])
    interview(db, "Contoso", dt.date(2026, 3, 3), [("Why us?", 7)])
    report = build_report(db, AS_OF)
    db.close()
    assert report["score_trend"]["sentence"] == "Your average rose from 5.0 to 7.0 over 1 day, +60.0 a month."
    done = subprocess.run([sys.executable, "-m", "lib", "report", "--as-of", "2026-03-30", "--db", str(db_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Self-scores: Two interviews a day apart, averaging 6.0: too few to tell a trend yet." in done.stdout
    assert "a month" not in done.stdout
