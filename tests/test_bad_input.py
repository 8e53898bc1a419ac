"""Bad input, from the forms, the CSV import and the command line: a specific message, and nothing written.

Text that only looks dangerous (emoji, right-to-left, HTML, script, SQL) is not bad input: it is
accepted, kept exactly, and shown inert. Each case states the message a person would read.
"""
import datetime as dt
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import open_page  # the `app` fixture comes from conftest.py too
from lib import cli, importer
from lib.applications import ValidationError
from lib.db import Database
from lib.debriefs import Debrief, Question, load_debrief, save_debrief
from lib.validation import MAX_NAME, MAX_NOTE, MAX_QUESTION
from lib.ui import APPLICATIONS_PAGE, DEBRIEF_PAGE, IMPORT_PAGE, INTERVIEWS_PAGE
from lib.ui.applications import ADD_OPEN

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 3, 30)  # the date window is 2000 to two years ahead: 2028
ONE_MB = "x" * 1_000_000
QUESTIONS_HEADER = "company,role,interview_at,question,answer,score"
APPLICATIONS_HEADER = "company,role,applied_on,status"


def nothing_written(db) -> bool:
    """No row anywhere but the schema's own bookkeeping and the Debrief page's kept draft (which
    holds what was typed, so that a refused save loses nothing; it counts as no interview)."""
    return not any(count for table, count in db.row_counts().items()
                   if table not in ("schema_migrations", "debrief_drafts"))


def a_debrief(**changes) -> Debrief:
    fields = dict(company="Contoso", role="Analyst", starts_at=dt.datetime(2026, 3, 12, 14, 30), time_zone="Europe/London",
                  questions=[Question("Why us?", "Their mission", 7)])
    return Debrief(**{**fields, **changes})


# -- the debrief form's rules (lib.debriefs, which the page calls on Save) ---------------------

@pytest.mark.parametrize("changes, field, message", [
    (dict(questions=[Question("Why us?", "", 0)]), "questions.0.score", "Score must be from 1 to 10; 0 is out of range."),
    (dict(questions=[Question("Why us?", "", 11)]), "questions.0.score", "Score must be from 1 to 10; 11 is out of range."),
    (dict(questions=[Question("Why us?", "", "7.5")]), "questions.0.score", "Score must be a whole number from 1 to 10, not '7.5'."),
    (dict(questions=[Question("Why us?", "", "seven")]), "questions.0.score", "Score must be a whole number from 1 to 10, not 'seven'."),
    (dict(company="   "), "company", "Company is required."),
    (dict(starts_at=dt.datetime(1900, 1, 1, 9)), "starts_at", "Interview date 1900-01-01 is outside 2000–2028; check the year."),
    (dict(starts_at=dt.datetime(2999, 1, 1, 9)), "starts_at", "Interview date 2999-01-01 is outside 2000–2028; check the year."),
    (dict(questions=[Question("Why us?", ONE_MB, 7)]), "questions.0.answer_note",
     "Answer note is 1,000,000 characters long; the limit is 10,000. Shorten it."),
    (dict(time_zone="Mars/Olympus_Mons"), "time_zone", "Unknown time zone 'Mars/Olympus_Mons'."),
    (dict(expected_response_by=dt.date(2026, 3, 1)), "expected_response_by",
     "The expected response date cannot be before the interview."),
], ids=["score 0", "score 11", "score 7.5", "score seven", "blank company", "year 1900", "year 2999", "1 MB answer",
        "unknown time zone", "reply expected before the interview"])
def test_a_bad_debrief_field_gets_its_message_and_nothing_is_written(fresh_db, changes, field, message):
    with pytest.raises(ValidationError) as problem:
        save_debrief(fresh_db, a_debrief(**changes), today=TODAY)
    assert problem.value.errors[field] == message
    assert nothing_written(fresh_db)


@pytest.mark.parametrize("text", [
    "Great chat 🎉👍🏽 — felt good ☕",
    "مقابلة جيدة مع المدير",                      # Arabic, right to left
    "ראיון טוב, mixed with English (RTL + LTR)",   # Hebrew and English in one note
    "<script>alert('x')</script><b>bold</b><img src=x onerror=alert(1)>",
    "Robert'); DROP TABLE questions; --",
    "1' OR '1'='1",
], ids=["emoji", "arabic", "hebrew and english", "html and script", "sql drop table", "sql or 1=1"])
def test_text_that_only_looks_dangerous_is_kept_exactly(fresh_db, text):
    interview_id = save_debrief(fresh_db, a_debrief(key_topics=text, questions=[Question(text, text, 6)]), today=TODAY)
    saved = load_debrief(fresh_db, interview_id)
    assert (saved.key_topics, saved.questions[0].wording, saved.questions[0].answer_note) == (text, text, text)
    assert {"questions", "interviews"} <= set(fresh_db.tables())  # and every table is still there


# -- the pages ---------------------------------------------------------------------------------


def test_the_debrief_page_refuses_a_blank_company_beside_the_field(app, db_path):
    at = open_page(app, DEBRIEF_PAGE)
    at.text_input(key="debrief.q.0.wording").input("Why us?")
    at.number_input(key="debrief.q.0.score").set_value(6)
    at.button(key="debrief.save").click().run()
    assert "Company is required." in [error.value for error in at.error]
    assert nothing_written(Database(db_path))


def test_the_debrief_pages_text_boxes_stop_at_the_limits_lib_enforces(app):
    # A browser stops typing and pasting at max_chars; past it, lib's check (above) gives the message.
    at = open_page(app, DEBRIEF_PAGE)
    assert at.text_area(key="debrief.q.0.answer").max_chars == MAX_NOTE
    assert at.text_input(key="debrief.q.0.wording").max_chars == MAX_QUESTION
    assert at.text_input(key="debrief.company").max_chars == MAX_NAME


def test_the_applications_page_refuses_a_closing_day_before_applying(app, db_path):
    at = open_page(app, APPLICATIONS_PAGE)
    at.session_state[ADD_OPEN] = True   # "Add an application" opened: its form is drawn only while open
    at.run()
    at.text_input(key="applications.add.company").input("Contoso")
    at.date_input(key="applications.add.applied_on").set_value(dt.date(2026, 3, 10))
    at.selectbox(key="applications.add.status").set_value("rejected")
    at.date_input(key="applications.add.closed_on").set_value(dt.date(2026, 3, 1))
    at.button[[b.label for b in at.button].index("Add application")].click().run()
    assert any("cannot be before" in error.value for error in at.error)
    assert nothing_written(Database(db_path))


def test_html_and_script_in_notes_are_shown_as_text_on_the_interviews_page(app, db_path):
    script = "<script>alert('x')</script>"
    save_debrief(Database(db_path), a_debrief(key_topics=script), today=TODAY)
    at = open_page(app, INTERVIEWS_PAGE)
    at.button(key="interviews.1.open").click().run()
    shown = [element.value for element in at.markdown]
    assert any("\\<script\\>" in text for text in shown)
    assert not any("<script>" in text for text in shown)


def test_the_import_page_refuses_an_upload_over_the_size_cap(app, db_path):
    at = open_page(app, IMPORT_PAGE)
    big = (QUESTIONS_HEADER + "\n").encode() + b"Contoso,Analyst,2026-03-12,Why?,ok,7\n" * 160_000
    assert len(big) > importer.MAX_UPLOAD_BYTES
    at.file_uploader(key="import.files").set_value(("big.csv", big, "text/csv")).run()
    assert not at.exception
    reasons = at.dataframe[0].value.reason.tolist()
    assert reasons == [f"is {len(big) / 1024 / 1024:.1f} MB; the limit for an upload is 5 MB. Split it into smaller files."]
    assert at.button(key="import.apply").disabled
    assert nothing_written(Database(db_path))


def test_the_upload_cap_in_lib_matches_the_servers(tmp_path):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == importer.MAX_UPLOAD_MB


# -- the CSV import ----------------------------------------------------------------------------

def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


GOOD = "Contoso,Analyst,2026-03-12 14:30,Why us?,Their mission,7"


@pytest.mark.parametrize("data, reason", [
    (csv_bytes(QUESTIONS_HEADER.replace(",", ";"), GOOD.replace(",", ";")),
     "import.csv:1: the columns are separated by semicolons; use commas (save it as 'CSV UTF-8', comma-separated)."),
    (csv_bytes(QUESTIONS_HEADER.replace(",", "\t"), GOOD.replace(",", "\t")),
     "import.csv:1: the columns are separated by tabs; use commas (save it as 'CSV UTF-8', comma-separated)."),
    (csv_bytes(QUESTIONS_HEADER, "Café Nero,Barista,2026-03-12,Why coffee?,,7", encoding="cp1252"),
     "import.csv:2: not UTF-8: save it as 'CSV UTF-8' (in Excel: Save As, CSV UTF-8) and import that file."),
    (csv_bytes(QUESTIONS_HEADER, GOOD, encoding="utf-16"),
     "import.csv:1: not UTF-8: save it as 'CSV UTF-8' (in Excel: Save As, CSV UTF-8) and import that file."),
    (csv_bytes(GOOD), "import.csv:1: no header naming the columns: the first line must name them, with a 'question' "
                      "column (a questions file) or an 'applied_on' column (an applications file)."),
    (csv_bytes(QUESTIONS_HEADER + ",Score", GOOD + ",7"),
     "import.csv:1: the header names score more than once; keep one column of each."),
    (b"", "import.csv: the file is empty; it needs a header row naming the columns."),
    (b"\n  \n,,,\n", "import.csv: the file is empty; it needs a header row naming the columns."),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
     "import.csv:1: not UTF-8: save it as 'CSV UTF-8' (in Excel: Save As, CSV UTF-8) and import that file."),
    (csv_bytes(QUESTIONS_HEADER, "Contoso,Analyst,2026-02-30,Why us?,,7"),
     "import.csv:2: Interview date 2026-02-30 is not a real date (check the day and month)."),
    (csv_bytes(QUESTIONS_HEADER, "Contoso,Analyst,2026-03-12,Why us?,,seven"),
     "import.csv:2: Score must be a whole number from 1 to 10, not 'seven'."),
    (csv_bytes(QUESTIONS_HEADER, "Contoso,Analyst,2026-03-12,Why us?,,7.5"),
     "import.csv:2: Score must be a whole number from 1 to 10, not '7.5'."),
    (csv_bytes(QUESTIONS_HEADER, "Contoso,Analyst,2026-03-12,Why us?,,0"),
     "import.csv:2: Score must be from 1 to 10; 0 is out of range."),
    (csv_bytes(QUESTIONS_HEADER, "Contoso,Analyst,2026-03-12,Why us?,,11"),
     "import.csv:2: Score must be from 1 to 10; 11 is out of range."),
    (csv_bytes(QUESTIONS_HEADER, " ,Analyst,2026-03-12,Why us?,,7"), "import.csv:2: Company is required."),
    (csv_bytes(QUESTIONS_HEADER, f"Contoso,Analyst,2026-03-12,Why us?,{ONE_MB},7"),
     "import.csv:2: Answer is 1,000,000 characters long; the limit is 10,000. Shorten it."),
    (csv_bytes(APPLICATIONS_HEADER, "Contoso,Analyst,1900-01-01,applied"),
     "import.csv:2: Applied on 1900-01-01 is outside 2000–2028; check the year."),
    (csv_bytes(APPLICATIONS_HEADER, "Contoso,Analyst,2999-01-01,applied"),
     "import.csv:2: Applied on 2999-01-01 is outside 2000–2028; check the year."),
    (csv_bytes(QUESTIONS_HEADER, *[GOOD] * 150_000), None),  # over the upload cap: the reason names the size
], ids=["semicolons", "tabs", "windows-1252", "utf-16", "no header", "duplicate column", "empty file", "only blank lines",
        "an image", "2026-02-30", "score seven", "score 7.5", "score 0", "score 11", "blank company", "1 MB answer",
        "year 1900", "year 2999", "over the size cap"])
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_written(fresh_db, data, reason):
    plan = importer.plan_import(fresh_db, [("import.csv", data)], today=TODAY)
    reasons = [str(error) for error in plan.errors]
    if reason is None:
        reason = f"import.csv: is {len(data) / 1024 / 1024:.1f} MB; the limit for an upload is 5 MB. Split it into smaller files."
    assert reasons == [reason]
    with pytest.raises(importer.ImportRefused):
        importer.apply_import(fresh_db, plan)
    assert nothing_written(fresh_db)


def test_extra_columns_are_named_in_a_warning_and_not_stored(fresh_db):
    data = csv_bytes(QUESTIONS_HEADER + ",salary_hope,secret", GOOD + ",100k,do not keep")
    plan = importer.plan_import(fresh_db, [("import.csv", data)], today=TODAY)
    assert plan.errors == []
    assert plan.warnings == ["import.csv: column 7 'salary_hope' is not a questions-file column; it was ignored.",
                             "import.csv: column 8 'secret' is not a questions-file column; it was ignored."]
    importer.apply_import(fresh_db, plan)
    everything = str(fresh_db.cursor().execute("SELECT * FROM questions, interviews, applications").fetchall())
    assert "do not keep" not in everything and "100k" not in everything


def test_imported_emoji_right_to_left_html_and_sql_are_stored_as_written(fresh_db):
    text = "🎉 مرحبا <script>alert(1)</script> '; DROP TABLE questions; --"
    data = csv_bytes(QUESTIONS_HEADER, f'Contoso,Analyst,2026-03-12,"{text}","{text}",7')
    importer.apply_import(fresh_db, importer.plan_import(fresh_db, [("import.csv", data)], today=TODAY))
    assert fresh_db.cursor().execute("SELECT wording, answer_note FROM questions").fetchall() == [(text, text)]


# -- the command line --------------------------------------------------------------------------

def test_the_cli_import_reports_each_bad_row_on_stderr_and_writes_nothing(db_path, tmp_path, capsys):
    path = tmp_path / "questions.csv"
    path.write_bytes(csv_bytes(QUESTIONS_HEADER, "Contoso,Analyst,2026-03-12,Why us?,,seven", GOOD.replace("7", "0")))
    assert cli.main(["import-csv", str(path), "--db", str(db_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{path}:2: Score must be a whole number from 1 to 10, not 'seven'.",
        f"{path}:3: Score must be from 1 to 10; 0 is out of range."]
    assert nothing_written(Database(db_path))


def test_the_cli_import_of_a_missing_file_says_so(db_path, tmp_path, capsys):
    assert cli.main(["import-csv", str(tmp_path / "nowhere.csv"), "--db", str(db_path)]) == 1
    assert "nowhere.csv: cannot be read (No such file or directory)." in capsys.readouterr().err
    assert nothing_written(Database(db_path))


@pytest.mark.parametrize("args, code, message", [
    (["report", "--as-of", "2026-02-30"], 2, "'2026-02-30' is not a real date"),
    (["demo", "--interviews", "seven"], 2, "argument --interviews: invalid int value: 'seven'"),
    (["demo", "--interviews", "0"], 1, "--interviews must be from 1 to"),
    (["restore", "{tmp}/questions.csv"], 1, "This is not a ZIP file, or a damaged one."),
    (["export", "{tmp}/no-such-folder/out.zip"], 2, "does not exist; create it or choose another place."),
    (["backup", "{tmp}/questions.csv"], 2, "already exists; Debrief never overwrites a file with a backup."),
], ids=["impossible date", "score-like word for a number", "zero interviews", "restore a csv", "export nowhere",
        "backup over a file"])
def test_the_cli_refuses_bad_arguments_with_a_message_and_no_traceback(db_path, tmp_path, args, code, message):
    (tmp_path / "questions.csv").write_text(QUESTIONS_HEADER + "\n")
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    result = subprocess.run([sys.executable, "-m", "lib", *args, "--db", str(db_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == code
    assert message in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "questions.csv").read_text() == QUESTIONS_HEADER + "\n"
    if db_path.exists():
        assert nothing_written(Database(db_path))
