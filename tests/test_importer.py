"""CSV import, against the contract in docs/import-format.md.

tests/fixtures/import-example/ holds the worked example files that docs/import-format.md points to.
"""
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine

from lib import cli, follow_ups, importer, settings
from lib.applications import add_application, Application
from lib.db import Database
from lib.questions import index

EXAMPLES = Path(__file__).parent / "fixtures" / "import-example"
TODAY = dt.date(2026, 3, 30)  # the date window is 2000 to two years ahead of it: 2028
ZONE = "Europe/Berlin"        # UTC+1 in March: local times must not be stored as UTC
QUESTION_HEADER = "company,role,interview_at,question,score"
GOOD_QUESTION = "Contoso,Analyst,2026-03-12 14:30,Tell me about yourself,7"


def example(name: str) -> tuple[str, bytes]:
    return name, (EXAMPLES / name).read_bytes()


def csv_file(*lines: str, name: str = "import.csv", encoding: str = "utf-8") -> tuple[str, bytes]:
    return name, ("\n".join(lines) + "\n").encode(encoding)


def plan(berlin_db, *files) -> importer.ImportPlan:
    return importer.plan_import(berlin_db, list(files), today=TODAY)


def run(berlin_db, *files) -> importer.ImportResult:
    return importer.apply_import(berlin_db, plan(berlin_db, *files))


def reasons(plan_: importer.ImportPlan) -> list[str]:
    return [str(error) for error in plan_.errors]


def counts(berlin_db) -> dict:
    return berlin_db.query("count_all").iloc[0].to_dict()


def rows(berlin_db, sql: str) -> list[tuple]:
    return berlin_db.cursor().execute(sql).fetchall()


@pytest.fixture
def berlin_db(fresh_db):
    settings.put(fresh_db, "time_zone", ZONE)
    return fresh_db


@pytest.fixture
def imported(berlin_db):
    """The database after importing both example files together."""
    run(berlin_db, example("applications.csv"), example("questions.csv"))
    return berlin_db


# -- the example files -----------------------------------------------------------------------

@time_machine.travel(dt.datetime(2026, 3, 30, 12, tzinfo=dt.timezone.utc), tick=False)
def test_the_examples_import_with_a_summary_of_what_was_added(berlin_db):
    result = run(berlin_db, example("applications.csv"), example("questions.csv"))
    assert result.summary() == "Imported 3 applications, 2 interviews, 4 questions; 0 rows already present."


@time_machine.travel(dt.datetime(2026, 12, 2, 12, tzinfo=dt.timezone.utc), tick=False)
def test_imported_history_is_settled_said_once_and_kept_off_today(berlin_db):
    """Imported in December, the March offer's follow-up (due Thu 26 Mar) is history, not a reminder."""
    result = run(berlin_db, example("applications.csv"), example("questions.csv"))
    assert result.settled == ("Wide World Importers, due Thu 26 Mar 2026",)
    assert result.summary().endswith("Treated as settled history, so not put on Today: 1 follow-up due over a week "
                                     "before this import (Wide World Importers, due Thu 26 Mar 2026).")
    assert follow_ups.follow_ups_to_do(berlin_db, dt.date(2026, 12, 2)) == []
    # The report still tells the history as it was, and a look back at March still sees the reminder.
    assert [item.company for item in follow_ups.follow_ups_to_do(berlin_db, dt.date(2026, 3, 27))] == ["Wide World Importers"]
    assert follow_ups.follow_ups_due(berlin_db, dt.date(2026, 12, 2)).company.tolist() == ["Wide World Importers"]


@time_machine.travel(dt.datetime(2026, 3, 30, 12, tzinfo=dt.timezone.utc), tick=False)
def test_what_fell_due_within_a_week_of_the_import_stays_on_today(berlin_db):
    run(berlin_db, example("applications.csv"), example("questions.csv"))  # due Thu 26 Mar, imported Mon 30 Mar
    assert [item.company for item in follow_ups.follow_ups_to_do(berlin_db, dt.date(2026, 3, 30))] == ["Wide World Importers"]


def test_the_example_applications_keep_their_status_and_closing_day(imported):
    assert rows(imported, "SELECT company, role, applied_on, status, closed_on, source FROM applications ORDER BY id") == [
        ("Blue Yonder Airlines", "Operations Analyst", dt.date(2026, 3, 2), "rejected", dt.date(2026, 3, 27), "Job board"),
        # An offer with closed_on left blank is still running (lib/applications.CLOSED_STATUSES).
        ("Wide World Importers", "Supply Chain Analyst", dt.date(2026, 3, 9), "offer", None, "Referral"),
        ("Coho Winery", "Business Analyst", dt.date(2026, 3, 16), "applied", None, "Company site"),
    ]


def test_the_example_interviews_start_at_the_local_time_written(imported):
    got = rows(imported, "SELECT a.company, i.round, i.stage, i.format, i.starts_at, i.time_zone, "
                         "i.expected_response_by, i.expected_response_is_default "
                         "FROM interviews i JOIN applications a ON a.id = i.application_id ORDER BY i.starts_at")
    utc = dt.timezone.utc
    assert [(c, r, s, f, start.astimezone(utc), z, e, d) for c, r, s, f, start, z, e, d in got] == [
        ("Blue Yonder Airlines", 1, "Phone screen", "phone", dt.datetime(2026, 3, 12, 10, 0, tzinfo=utc), ZONE,
         dt.date(2026, 3, 19), False),
        ("Wide World Importers", 1, "Hiring manager", "video", dt.datetime(2026, 3, 18, 14, 30, tzinfo=utc), ZONE,
         dt.date(2026, 3, 25), False),
    ]


def test_the_example_questions_keep_their_answers_and_scores(imported):
    assert rows(imported, "SELECT a.company, q.seq, q.wording, q.answer_note, q.score FROM questions q "
                          "JOIN interviews i ON i.id = q.interview_id JOIN applications a ON a.id = i.application_id "
                          "ORDER BY q.id") == [
        ("Blue Yonder Airlines", 0, "Give me a two-minute summary of your experience.", "Too long.", 5),
        ("Blue Yonder Airlines", 1, "Why this airline?", "Route network analysis.", 7),
        ("Wide World Importers", 0, "Describe a process you improved.", "Warehouse pick-path story with numbers.", 8),
        ("Wide World Importers", 1, "What are you looking for in terms of pay?", "Hesitated.", 4),
    ]


def test_the_example_interviewers_are_split_on_semicolons_with_their_positions(imported):
    assert rows(imported, "SELECT interview_id, seq, name, position FROM interviewers ORDER BY id") == [
        (1, 0, "Lena Fischer", "Recruiter"), (2, 0, "Omar Haddad", "Supply Chain Lead"), (2, 1, "Mia Chen", "Analyst"),
    ]


def test_the_example_reflections_are_one_row_per_item(imported):
    assert rows(imported, "SELECT interview_id, kind, seq, item FROM reflections ORDER BY interview_id, kind DESC, seq") == [
        (1, "went_well", 0, "On time"), (1, "to_improve", 0, "Shorter opening"),
        (2, "went_well", 0, "Clear numbers"), (2, "went_well", 1, "Good rapport"),
        (2, "to_improve", 0, "Ask about next steps"),
    ]


def test_the_example_thank_yous_are_sent_on_the_day_given_to_each_interviewer(imported):
    # A date without a time records the day only: sent_at stays unknown.
    assert rows(imported, "SELECT t.interview_id, p.name, t.channel, t.sent_on, t.sent_at FROM thank_yous t "
                          "JOIN interviewers p ON p.id = t.interviewer_id ORDER BY t.id") == [
        (1, "Lena Fischer", "email", dt.date(2026, 3, 12), None),
        (2, "Omar Haddad", "email", dt.date(2026, 3, 19), None),
        (2, "Mia Chen", "email", dt.date(2026, 3, 19), None),
    ]


@pytest.mark.parametrize("files, closed_on", [
    (["applications.csv"], dt.date(2026, 3, 9)),                    # applied_on is the only activity
    (["applications.csv", "questions.csv"], dt.date(2026, 3, 18)),  # the interview in the same import
    (["questions.csv", "applications.csv"], dt.date(2026, 3, 18)),  # whatever the order of the files
])
def test_a_closed_status_without_closed_on_closes_on_the_last_activity(berlin_db, files, closed_on):
    def ghosted(name):  # the example's offer, made a closed status
        file_name, content = example(name)
        return file_name, content.replace(b",offer,,", b",ghosted,,")
    run(berlin_db, *map(ghosted, files))
    assert rows(berlin_db, "SELECT status, closed_on FROM applications WHERE company = 'Wide World Importers'") == [
        ("ghosted", closed_on)]


def test_an_offer_without_closed_on_stays_open(berlin_db):
    run(berlin_db, example("applications.csv"), example("questions.csv"))
    assert rows(berlin_db, "SELECT status, closed_on FROM applications WHERE company = 'Wide World Importers'") == [
        ("offer", None)]


# -- all or nothing, and idempotence ---------------------------------------------------------

def test_import_is_all_or_nothing(berlin_db):
    bad = csv_file(QUESTION_HEADER, GOOD_QUESTION, "Contoso,Analyst,2026-03-12 14:30,Why us?,11",
                   "Contoso,Analyst,2026-03-12 14:30,Why now?,6", ",Analyst,2026-03-12 14:30,Why this role?,6")
    checked = plan(berlin_db, example("applications.csv"), bad)
    assert reasons(checked) == ["import.csv:3: Score must be from 1 to 10; 11 is out of range.",
                                "import.csv:5: Company is required."]
    with pytest.raises(importer.ImportRefused):
        importer.apply_import(berlin_db, checked)
    assert counts(berlin_db) == {"applications": 0, "interviews": 0, "questions": 0, "sample_applications": 0}


def test_importing_twice_adds_nothing(imported):
    before = counts(imported)
    result = run(imported, example("applications.csv"), example("questions.csv"))
    assert counts(imported) == before
    assert rows(imported, "SELECT count(*) FROM reflections UNION ALL SELECT count(*) FROM thank_yous "
                          "UNION ALL SELECT count(*) FROM interviewers") == [(5,), (3,), (3,)]
    assert result.summary() == "Imported 0 applications, 0 interviews, 0 questions; 7 rows already present."


def test_a_stored_interview_gains_only_the_questions_it_lacks(imported):
    more = csv_file(QUESTION_HEADER,
                    "Blue Yonder Airlines,Operations Analyst,2026-03-12 11:00,  why THIS airline? ,7",
                    "Blue Yonder Airlines,Operations Analyst,2026-03-12 11:00,Where do you see yourself?,6")
    result = run(imported, more)
    assert (result.interviews_added, result.questions_added, result.already_present) == (0, 1, 1)
    assert rows(imported, "SELECT seq, wording FROM questions WHERE interview_id = 1 ORDER BY seq")[-1] == (
        2, "Where do you see yourself?")


def test_a_plan_applied_after_the_same_import_adds_nothing(berlin_db):
    # The page shows a plan, and the user may import the same file from another tab meanwhile:
    # applying looks everything up again inside its transaction.
    files = [example("applications.csv"), example("questions.csv")]
    earlier = plan(berlin_db, *files)
    run(berlin_db, *files)
    assert importer.apply_import(berlin_db, earlier).already_present == 7
    assert counts(berlin_db)["questions"] == 4


def test_a_changed_application_row_updates_the_stored_application(imported):
    changed = csv_file("company,role,applied_on,status,closed_on", "coho winery,business analyst,2026-03-16,withdrawn,2026-03-20")
    result = run(imported, changed)
    assert (result.applications_added, result.applications_updated) == (0, 1)
    assert rows(imported, "SELECT company, status, closed_on, source FROM applications WHERE id = 3") == [
        ("coho winery", "withdrawn", dt.date(2026, 3, 20), "Company site")]  # a blank cell keeps the stored source


# -- how rows become records -----------------------------------------------------------------

def test_an_interview_for_an_unknown_application_creates_it(berlin_db):
    run(berlin_db, csv_file(QUESTION_HEADER, GOOD_QUESTION))
    assert rows(berlin_db, "SELECT company, role, applied_on, status FROM applications") == [
        ("Contoso", "Analyst", dt.date(2026, 3, 12), "interviewing")]


@pytest.mark.parametrize("status, after", [("applied", "interviewing"), ("screening", "interviewing"),
                                           ("rejected", "rejected")])
def test_an_interview_moves_a_stored_application_to_interviewing(berlin_db, status, after):
    closed_on = dt.date(2026, 3, 20) if status == "rejected" else None
    add_application(berlin_db, Application("Contoso", "Analyst", dt.date(2026, 3, 1), status, closed_on))
    run(berlin_db, csv_file(QUESTION_HEADER, GOOD_QUESTION))
    assert rows(berlin_db, "SELECT status FROM applications") == [(after,)]


def test_a_date_without_a_time_starts_the_interview_at_nine_local(berlin_db):
    run(berlin_db, csv_file(QUESTION_HEADER, "Contoso,Analyst,2026-03-12,Why us?,7"))
    assert rows(berlin_db, "SELECT strftime(timezone('Europe/Berlin', starts_at), '%Y-%m-%d %H:%M') FROM interviews") == [
        ("2026-03-12 09:00",)]


def test_a_blank_expected_response_is_five_business_days_later_and_marked_default(berlin_db):
    run(berlin_db, csv_file(QUESTION_HEADER, "Contoso,Analyst,2026-03-13 10:00,Why us?,7"))  # a Friday
    assert rows(berlin_db, "SELECT expected_response_by, expected_response_is_default FROM interviews") == [
        (dt.date(2026, 3, 20), True)]


def test_a_thank_you_with_a_time_records_the_instant(berlin_db):
    run(berlin_db, csv_file(QUESTION_HEADER + ",thank_you_sent_at", GOOD_QUESTION + ",2026-03-12 18:00"))
    assert rows(berlin_db, "SELECT interviewer_id, sent_on, sent_at FROM thank_yous") == [
        (None, dt.date(2026, 3, 12), dt.datetime(2026, 3, 12, 17, 0, tzinfo=dt.timezone.utc))]


def test_without_a_thank_you_date_the_thank_yous_are_created_unsent(berlin_db):
    run(berlin_db, csv_file(QUESTION_HEADER + ",interviewer", GOOD_QUESTION + ",Ann Lee; Bo Chan (CTO)"))
    assert rows(berlin_db, "SELECT p.name, p.position, t.channel, t.sent_on FROM thank_yous t "
                    "JOIN interviewers p ON p.id = t.interviewer_id ORDER BY p.seq") == [
        ("Ann Lee", None, "email", None), ("Bo Chan", "CTO", "email", None)]


def test_interview_level_values_given_on_the_first_row_apply_to_the_whole_interview(berlin_db):
    run(berlin_db, csv_file(QUESTION_HEADER + ",stage", GOOD_QUESTION + ",Panel", "Contoso,Analyst,2026-03-12 14:30,Why us?,5,"))
    assert counts(berlin_db)["interviews"] == 1
    assert rows(berlin_db, "SELECT stage FROM interviews") == [("Panel",)]


def test_conflicting_interview_level_values_are_a_row_error(berlin_db):
    checked = plan(berlin_db, csv_file(QUESTION_HEADER + ",format", GOOD_QUESTION + ",video",
                                "Contoso,Analyst,2026-03-12 14:30,Why us?,5,VIDEO",
                                "Contoso,Analyst,2026-03-12 14:30,Why now?,5,phone"))
    assert reasons(checked) == ["import.csv:4: format differs from line 2, for the same interview; "
                                "give interview-level values once, or the same on every row."]


def test_the_same_question_twice_in_one_interview_is_a_row_error(berlin_db):
    checked = plan(berlin_db, csv_file(QUESTION_HEADER, GOOD_QUESTION, "Contoso,Analyst,2026-03-12 14:30,tell me about  yourself,5"))
    assert reasons(checked) == ["import.csv:3: this question is already on line 2, for the same interview; "
                                "keep one row per question."]


@pytest.mark.parametrize("text", [
    "<script>alert('x')</script> <b>bold</b>",
    "Great 👍🏽 rapport",
    "מה המשכורת שאתה מצפה לה?",
    "'); DROP TABLE questions; --",
])
def test_text_is_stored_exactly_as_written(berlin_db, text):
    run(berlin_db, csv_file(QUESTION_HEADER, f'Contoso,Analyst,2026-03-12 14:30,"{text}",7'))
    assert rows(berlin_db, "SELECT wording FROM questions") == [(text,)]


def test_line_numbers_are_the_lines_of_the_file(berlin_db):
    # A blank line is skipped but counted; a quoted answer spanning lines is named by its first line.
    checked = plan(berlin_db, csv_file(QUESTION_HEADER + ",answer", "", GOOD_QUESTION + ',"first line', 'second line"',
                                "Contoso,Analyst,2026-03-12 14:30,Why us?,seven,"))
    assert reasons(checked) == ["import.csv:5: Score must be a whole number from 1 to 10, not 'seven'."]


# -- what is refused, and what is only warned about ------------------------------------------

@pytest.mark.parametrize("column, value, reason", [
    ("score", "0", "Score must be from 1 to 10; 0 is out of range."),
    ("score", "11", "Score must be from 1 to 10; 11 is out of range."),
    ("score", "7.5", "Score must be a whole number from 1 to 10, not '7.5'."),
    ("score", "seven", "Score must be a whole number from 1 to 10, not 'seven'."),
    ("score", "", "Give this answer a self-score from 1 to 10."),
    ("company", "", "Company is required."),
    ("question", "", "Question is required."),
    ("interview_at", "2026-02-30", "Interview date 2026-02-30 is not a real date (check the day and month)."),
    ("interview_at", "1900-01-01", "Interview date 1900-01-01 is outside 2000–2028; check the year."),
    ("interview_at", "2999-01-01", "Interview date 2999-01-01 is outside 2000–2028; check the year."),
    ("interview_at", "12/03/2026", "Interview date must be YYYY-MM-DD or YYYY-MM-DD HH:MM, not '12/03/2026'."),
    ("format", "zoom", "Format must be one of phone, video, onsite; not 'zoom'."),
    ("round", "first", "Round must be a whole number from 1 to 50, not 'first'."),
    ("interviewer", "(Recruiter)", "Interviewer '(Recruiter)' has no name; write Name (Position)."),
    ("expected_response_by", "2026-03-01", "The expected response date cannot be before the interview."),
    ("thank_you_sent_at", "2026-03-11 20:00", "The thank-you cannot have been sent before the interview."),
    ("answer", "x" * 200_000, "Answer is 200,000 characters long; the limit is 10,000. Shorten it."),
])
def test_a_bad_question_value_is_refused_with_the_forms_message(berlin_db, column, value, reason):
    good = dict(zip(QUESTION_HEADER.split(","), GOOD_QUESTION.split(",")))
    good[column] = value
    checked = plan(berlin_db, csv_file(",".join(good), ",".join(good.values())))
    assert reasons(checked) == [f"import.csv:2: {reason}"]


@pytest.mark.parametrize("row, reason", [
    ("Acme,Analyst,2026-03-01,maybe,", "Status must be one of applied, screening, interviewing, offer, accepted, "
                                       "rejected, withdrawn, ghosted; not 'maybe'."),
    ("Acme,Analyst,2026-03-01,applied,2026-03-20", "An application that is still applied has no closing day; clear it."),
    ("Acme,Analyst,2026-03-01,rejected,2026-02-20", "Closed on cannot be before applied on."),
    ("Acme,Analyst,,applied,", "Applied on is required (YYYY-MM-DD)."),
])
def test_a_bad_application_row_is_refused(berlin_db, row, reason):
    checked = plan(berlin_db, csv_file("company,role,applied_on,status,closed_on", row))
    assert reasons(checked) == [f"import.csv:2: {reason}"]


def test_the_same_application_twice_is_an_error_on_the_second_row(berlin_db):
    checked = plan(berlin_db, csv_file("company,role,applied_on", "Acme,Analyst,2026-03-01", " ACME , analyst ,2026-03-02"))
    assert reasons(checked) == ["import.csv:3: ACME – analyst is already on line 2; keep one row per application."]


def test_a_row_with_the_wrong_number_of_values_is_a_row_error(berlin_db):
    checked = plan(berlin_db, csv_file(QUESTION_HEADER, GOOD_QUESTION, "Contoso,Analyst,2026-03-12 14:30,Why, us?,7"))
    assert reasons(checked) == ["import.csv:3: has 6 values but the header has 5 columns; "
                                "a value that contains a comma must be in double quotes."]


@pytest.mark.parametrize("file, reason", [
    (csv_file(QUESTION_HEADER.replace(",", ";"), GOOD_QUESTION.replace(",", ";")),
     "import.csv:1: the columns are separated by semicolons; use commas"),
    (csv_file(QUESTION_HEADER.replace(",", "\t"), GOOD_QUESTION.replace(",", "\t")),
     "import.csv:1: the columns are separated by tabs; use commas"),
    (csv_file(QUESTION_HEADER, "Café Nero,Barista,2026-03-12,Why coffee?,7", encoding="latin-1"),
     "import.csv:2: not UTF-8: save it as 'CSV UTF-8'"),
    (("import.csv", b""), "import.csv: the file is empty"),
    (("import.csv", b"\n \n,,\n"), "import.csv: the file is empty"),
    (csv_file(GOOD_QUESTION), "import.csv:1: no header naming the columns"),
    (csv_file(QUESTION_HEADER + ",Score", GOOD_QUESTION + ",7"), "import.csv:1: the header names score more than once"),
    (csv_file("company,role,interview_at,question", "Contoso,Analyst,2026-03-12,Why us?"),
     "import.csv:1: the required column score is missing from the header of this questions file."),
    (csv_file("role,applied_on", "Analyst,2026-03-01"),
     "import.csv:1: the required column company is missing from the header of this applications file."),
])
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(berlin_db, file, reason):
    checked = plan(berlin_db, file)
    assert len(checked.errors) == 1 and str(checked.errors[0]).startswith(reason), reasons(checked)


def test_a_file_over_the_row_limit_is_refused(berlin_db, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    checked = plan(berlin_db, csv_file(QUESTION_HEADER, *[GOOD_QUESTION] * 3))
    assert reasons(checked) == ["import.csv: has more than 2 rows; split it into smaller files."]


def test_an_unknown_column_is_only_a_warning(berlin_db):
    checked = plan(berlin_db, csv_file(QUESTION_HEADER + ",mood", GOOD_QUESTION + ",tired"))
    assert checked.errors == []
    assert checked.warnings == ["import.csv: column 6 'mood' is not a questions-file column; it was ignored."]
    assert importer.apply_import(berlin_db, checked).questions_added == 1


def test_a_byte_order_mark_is_accepted(berlin_db):
    name, data = csv_file(QUESTION_HEADER, GOOD_QUESTION)
    assert run(berlin_db, (name, "\ufeff".encode() + data)).questions_added == 1


def test_header_names_ignore_case_surrounding_spaces_and_column_order(berlin_db):
    checked = plan(berlin_db, csv_file(" Score ,QUESTION,Interview At,  company,Role", "7,Why us?,2026-03-12 14:30,Contoso,Analyst"))
    assert checked.errors == [] and checked.warnings == []
    assert importer.apply_import(berlin_db, checked).questions_added == 1


def test_the_preview_names_each_files_kind_and_rows(berlin_db):
    checked = plan(berlin_db, example("questions.csv"), example("applications.csv"))
    assert [(f.name, f.kind, len(f.rows)) for f in checked.files] == [
        ("questions.csv", "questions", 4), ("applications.csv", "applications", 3)]
    assert checked.files[1].rows.line.tolist() == [2, 3, 4]
    assert checked.row_count == 7


# -- the command line ------------------------------------------------------------------------

def test_the_cli_reports_each_bad_row_and_writes_nothing(tmp_path, db_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{QUESTION_HEADER}\n{GOOD_QUESTION}\nContoso,Analyst,2026-02-30,Why us?,7\n")
    assert cli.main(["import-csv", str(EXAMPLES / "applications.csv"), str(bad), "--db", str(db_path)]) == 1
    assert capsys.readouterr().err == f"{bad}:3: Interview date 2026-02-30 is not a real date (check the day and month).\n"
    berlin_db = Database(db_path)
    assert counts(berlin_db)["applications"] == 0
    berlin_db.close()


def test_the_cli_reports_a_missing_file(tmp_path, db_path, capsys):
    assert cli.main(["import-csv", str(tmp_path / "nowhere.csv"), "--db", str(db_path)]) == 1
    assert capsys.readouterr().err == f"{tmp_path / 'nowhere.csv'}: cannot be read (No such file or directory).\n"


@time_machine.travel(dt.datetime(2026, 3, 30, 12, tzinfo=dt.timezone.utc), tick=True)
def test_the_cli_imports_the_examples(db_path, capsys):
    files = [str(EXAMPLES / "applications.csv"), str(EXAMPLES / "questions.csv")]
    assert cli.main(["import-csv", *files, "--db", str(db_path)]) == 0
    out = capsys.readouterr()
    assert out.out == "Imported 3 applications, 2 interviews, 4 questions; 0 rows already present.\n"
    assert out.err == ""
    berlin_db = Database(db_path)
    assert index.missing_count(berlin_db) == 0       # the "Asked before?" index was built after the commit
    berlin_db.close()


def test_the_cli_can_leave_the_index_for_later(db_path):
    files = [str(EXAMPLES / "questions.csv")]
    assert cli.main(["import-csv", *files, "--no-index", "--db", str(db_path)]) == 0
    berlin_db = Database(db_path)
    assert index.missing_count(berlin_db) == 4
    berlin_db.close()


def test_the_cli_prints_warnings_and_still_imports(tmp_path, db_path, capsys):
    extra = tmp_path / "extra.csv"
    extra.write_text(f"{QUESTION_HEADER},mood\n{GOOD_QUESTION},tired\n")
    assert cli.main(["import-csv", str(extra), "--db", str(db_path)]) == 0
    assert capsys.readouterr().err == f"warning: {extra}: column 6 'mood' is not a questions-file column; it was ignored.\n"


def test_python_dash_m_lib_imports_from_the_shell(db_path):
    # A real process, as a user runs it: proves `python -m lib` is wired up, exit status included.
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "lib", "import-csv", str(EXAMPLES / "questions.csv"), "--db", str(db_path)],
                          cwd=root, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DEBRIEF_TZ": ZONE})
    # The process runs on the real clock, so the March follow-ups are settled history by now.
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Imported 2 applications, 2 interviews, 4 questions; 0 rows already present. "
                                  "Treated as settled history")


# -- digits of other scripts ---------------------------------------------------------------------

@pytest.mark.parametrize("column, cell, message", [
    ("score", "٧", "Score must be written with the digits 0-9: type '7', not '٧'."),          # Arabic-Indic
    ("score", "۷", "Score must be written with the digits 0-9: type '7', not '۷'."),          # Persian
    ("score", "７", "Score must be written with the digits 0-9: type '7', not '７'."),         # full-width
    ("score", "१०", "Score must be written with the digits 0-9: type '10', not '१०'."),       # Devanagari
    ("interview_at", "٢٠٢٦-٠٣-١٢", "Interview date must be written with the digits 0-9: type '2026-03-12', "
                                    "not '٢٠٢٦-٠٣-١٢'."),
])
def test_scores_and_dates_in_other_digits_are_refused_with_their_0_to_9_reading(fresh_db, column, cell, message):
    cells = {"company": "Contoso", "role": "Analyst", "interview_at": "2026-03-12 14:30", "question": "Why?",
             "score": "7", column: cell}
    refused = plan(fresh_db, csv_file(QUESTION_HEADER, ",".join(cells[name] for name in QUESTION_HEADER.split(","))))
    assert [str(error) for error in refused.errors] == [f"import.csv:2: {message}"]
    assert fresh_db.row_counts()["questions"] == 0
