"""The pages, driven as a user would through Streamlit's AppTest: by widget key, read back from the database."""
import datetime as dt
import re

from streamlit.testing.v1 import AppTest

from conftest import open_page  # the `app` fixture comes from conftest.py too
from lib.applications import Application, add_application
from lib.db import Database
from lib.debriefs import Debrief, Interviewer, Question, load_debrief, save_debrief
from lib.ui import APPLICATIONS_PAGE, DEBRIEF_PAGE, IMPORT_PAGE, INTERVIEWS_PAGE
from lib.ui.applications import ADD_OPEN, GRID, LISTED

DEBRIEF = DEBRIEF_PAGE
INTERVIEWS = INTERVIEWS_PAGE
APPLICATIONS = APPLICATIONS_PAGE



def database(db_path) -> Database:
    # The app holds the file open in this same process; a second Database on it is allowed
    # because DuckDB shares one instance per file within a process.
    return Database(db_path)


def fill_debrief(at: AppTest) -> None:
    at.pills(key="debrief.went_well_picks").set_value(["On time", "Answered the question asked"])
    at.text_area(key="debrief.went_well_more").input("Good story about the warehouse project")
    at.pills(key="debrief.to_improve_picks").set_value(["Shorter, more structured answers"])
    at.text_input(key="debrief.company").input("Contoso")
    at.text_input(key="debrief.role").input("Data Analyst")
    at.date_input(key="debrief.date").set_value(dt.date(2026, 3, 12))
    at.time_input(key="debrief.time").set_value(dt.time(14, 30))
    at.text_input(key="debrief.stage").input("Panel")
    at.radio(key="debrief.format").set_value("video")
    at.text_input(key="debrief.person.0.name").input("Ann Lee")
    at.text_input(key="debrief.person.0.position").input("Head of Data")
    at.text_input(key="debrief.q.0.wording").input("Tell me about yourself")
    at.text_area(key="debrief.q.0.answer").input("Two-minute pitch")
    at.number_input(key="debrief.q.0.score").set_value(7)
    at.text_input(key="debrief.q.1.wording").input("What salary do you expect?")
    at.number_input(key="debrief.q.1.score").set_value(4)
    at.text_input(key="debrief.timeline").input("End of next week")


def test_home_page_offers_the_first_steps_on_an_empty_database(app):
    assert any("Debrief an interview" in link.label for link in app.get("page_link"))
    assert app.button(key="home.load_sample")


def test_a_debrief_filled_in_the_page_is_saved_whole(app, db_path):
    at = open_page(app, DEBRIEF)
    fill_debrief(at)
    at.button(key="debrief.save").click().run()
    assert not at.exception
    assert not at.get("error"), [e.value for e in at.get("error")]
    saved = load_debrief(database(db_path), 1)
    assert (saved.company, saved.role, saved.stage, saved.format) == ("Contoso", "Data Analyst", "Panel", "video")
    assert saved.starts_at == dt.datetime(2026, 3, 12, 14, 30)
    assert saved.went_well == ["On time", "Answered the question asked", "Good story about the warehouse project"]
    assert saved.to_improve == ["Shorter, more structured answers"]
    assert [(p.name, p.position) for p in saved.interviewers] == [("Ann Lee", "Head of Data")]
    assert [(q.wording, q.score) for q in saved.questions] == [("Tell me about yourself", 7), ("What salary do you expect?", 4)]
    assert saved.timeline_given == "End of next week"
    assert saved.expected_response_by is None  # the default was used...
    row = database(db_path).query("get_interview", id=1).iloc[0]
    assert row.expected_response_by.date() == dt.date(2026, 3, 19)  # ...five business days later
    assert at.text_input(key="debrief.company").value == ""  # the form starts afresh


def test_a_debrief_without_company_shows_a_message_beside_the_field_and_writes_nothing(app, db_path):
    at = open_page(app, DEBRIEF)
    at.text_input(key="debrief.q.0.wording").input("Why us?")
    at.number_input(key="debrief.q.0.score").set_value(6)
    at.button(key="debrief.save").click().run()
    messages = [e.value for e in at.get("error")]
    assert "Company is required." in messages
    assert database(db_path).query("count_all").iloc[0].interviews == 0
    assert at.text_input(key="debrief.q.0.wording").value == "Why us?"  # nothing typed is lost


def test_a_question_without_a_score_is_refused_with_a_message(app, db_path):
    at = open_page(app, DEBRIEF)
    at.text_input(key="debrief.company").input("Contoso")
    at.text_input(key="debrief.q.0.wording").input("Why us?")
    at.button(key="debrief.save").click().run()
    assert "Give this answer a self-score from 1 to 10." in [e.value for e in at.get("error")]
    assert database(db_path).query("count_all").iloc[0].interviews == 0


def test_rows_can_be_added_and_removed_without_losing_the_others(app):
    at = open_page(app, DEBRIEF)
    at.text_input(key="debrief.q.0.wording").input("First")
    at.text_input(key="debrief.q.2.wording").input("Third")
    at.button(key="debrief.q.1.remove").click().run()
    at.button(key="debrief.q.add").click().run()
    wordings = [w.value for w in at.text_input if w.key and w.key.startswith("debrief.q.")]
    assert wordings == ["First", "Third", ""]


def test_an_interview_opened_from_the_interviews_page_can_be_edited(app, db_path):
    db = database(db_path)
    interview_id = save_debrief(db, Debrief(company="Fabrikam", role="Analyst", starts_at=dt.datetime(2026, 3, 2, 10),
                                            time_zone="Europe/London", interviewers=[Interviewer("Raj", "CFO")],
                                            questions=[Question("Why us?", "Mission", 5)]))
    at = open_page(app, INTERVIEWS)
    assert "Fabrikam – Analyst" in [h.value for h in at.subheader]
    at.button(key=f"interviews.{interview_id}.edit").click().run()
    at.number_input(key="debrief.q.0.score").set_value(8)
    at.button(key="debrief.save").click().run()
    assert not at.exception
    assert load_debrief(db, interview_id).questions[0].score == 8
    assert db.query("count_all").iloc[0].interviews == 1


def test_deleting_an_interview_asks_first(app, db_path):
    db = database(db_path)
    interview_id = save_debrief(db, Debrief(company="Fabrikam", starts_at=dt.datetime(2026, 3, 2, 10),
                                            time_zone="Europe/London", questions=[Question("Why us?", "", 5)]))
    at = open_page(app, INTERVIEWS)
    at.button(key=f"interviews.{interview_id}.delete").click().run()
    assert db.query("count_all").iloc[0].interviews == 1
    at.button(key=f"interviews.{interview_id}.confirm").click().run()
    assert db.query("count_all").iloc[0].interviews == 0
    assert db.query("count_all").iloc[0].questions == 0


def open_add_form(at) -> None:
    """Open "Add an application" as a person clicks it: its form is drawn only while it is open."""
    assert "applications.add.company" not in [field.key for field in at.text_input]   # closed: not drawn
    at.session_state[ADD_OPEN] = True
    at.run()


def test_an_application_added_in_the_page_is_listed_and_counted_active(app, db_path):
    at = open_page(app, APPLICATIONS)
    open_add_form(at)
    at.text_input(key="applications.add.company").input("Northwind Traders")
    at.text_input(key="applications.add.role").input("Planner")
    at.button(key="FormSubmitter:applications.add-Add application").click().run()
    assert not at.exception
    apps = database(db_path).query("list_applications")
    assert apps.company.tolist() == ["Northwind Traders"]
    assert at.metric[0].value == "1"


def test_a_rejected_application_needs_its_closing_day(app, db_path):
    application_id = add_application(database(db_path), Application("Litware", "Analyst", dt.date(2026, 3, 1)))
    at = open_page(app, APPLICATIONS)
    at.selectbox(key="applications.edit_pick").set_value(application_id).run()
    prefix = f"applications.edit.{application_id}"
    at.selectbox(key=f"{prefix}.status").set_value("rejected")
    at.button(key=f"FormSubmitter:{prefix}-Save changes").click().run()
    assert any("needs the day it ended" in e.value for e in at.get("error"))
    assert database(db_path).query("get_application", id=application_id).iloc[0].status == "applied"


def test_the_spec_examples_import_through_the_page_and_show_up_in_the_other_pages(app, db_path):
    from conftest import ROOT
    examples = ROOT / "tests" / "fixtures" / "import-example"
    at = open_page(app, IMPORT_PAGE)
    at.file_uploader(key="import.files").set_value(
        [(name, (examples / name).read_bytes(), "text/csv") for name in ("applications.csv", "questions.csv")]).run()
    assert not at.exception
    assert not at.get("error")
    at.button(key="import.apply").click().run()
    assert not at.exception
    counts = database(db_path).query("count_all").iloc[0]
    assert (counts.applications, counts.interviews, counts.questions) == (3, 2, 4)
    assert at.button(key="import.apply").disabled          # the same files again: nothing left to import
    assert any("already in Debrief" in i.value for i in at.info)

    at = open_page(at, INTERVIEWS)
    headings = [h.value for h in at.subheader]
    assert headings == ["Wide World Importers – Supply Chain Analyst", "Blue Yonder Airlines – Operations Analyst"]
    at = open_page(at, APPLICATIONS)
    listed = next(m.value for m in at.markdown if m.value.startswith("| Company |"))   # a plain table: few rows
    assert [line.split(" | ")[0].removeprefix("| ") for line in listed.splitlines()[2:]] \
        == ["Wide World Importers", "Coho Winery", "Blue Yonder Airlines"]  # by last activity


def test_a_broken_csv_lists_its_problems_and_cannot_be_imported(app, db_path):
    at = open_page(app, IMPORT_PAGE)
    bad = b"company,interview_at,question,score\nContoso,2026-02-30,Why us?,7\n,2026-03-01,Why?,seven\n"
    at.file_uploader(key="import.files").set_value([("bad.csv", bad, "text/csv")]).run()
    problems = at.dataframe[-1].value
    assert problems.line.tolist() == [2, 3, 3]
    assert at.button(key="import.apply").disabled
    assert database(db_path).query("count_all").iloc[0].interviews == 0


def test_a_database_held_by_another_process_is_explained_on_the_page(db_path, monkeypatch):
    import subprocess
    import sys
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(30)", str(db_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        monkeypatch.setenv("DEBRIEF_DB", str(db_path))
        at = AppTest.from_file("../app.py", default_timeout=30).run()
        assert not at.exception
        assert "Another program" in at.error[0].value and "make run DB=" in at.error[0].value
    finally:
        holder.kill()
        holder.wait()


def test_picking_an_existing_application_suggests_the_next_round(app, db_path):
    db = database(db_path)
    save_debrief(db, Debrief(company="Fabrikam", starts_at=dt.datetime(2026, 3, 2, 10), time_zone="Europe/London"))
    at = open_page(app, DEBRIEF)
    at.selectbox(key="debrief.application").set_value(1).run()
    assert at.number_input(key="debrief.round").value == 2
    assert "debrief.company" not in [w.key for w in at.text_input]  # no need to name the company again


def test_html_in_notes_is_shown_as_text_never_run(app, db_path):
    script = "<script>alert('x')</script><b>bold</b>"
    interview_id = save_debrief(database(db_path), Debrief(
        company="<i>Evil</i> Corp", starts_at=dt.datetime(2026, 3, 2, 10), time_zone="Europe/London",
        key_topics=script, went_well=[script], questions=[Question(script, script, 5)]))
    at = open_page(app, INTERVIEWS)
    at.button(key=f"interviews.{interview_id}.open").click().run()
    shown = [m.value for m in at.markdown] + [h.value for h in at.subheader]
    assert any("\\<script\\>" in text for text in shown)  # escaped, so Markdown prints it literally
    assert not any("<script>" in text for text in shown)
    assert "\\<i\\>Evil\\</i\\> Corp – no role" in [h.value for h in at.subheader]


def test_no_page_or_module_allows_unsafe_html():
    from conftest import ROOT
    sources = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("lib/**/*.py")]
    offenders = [p.name for p in sources if "unsafe_allow_html" in p.read_text() or "st.html(" in p.read_text()]
    assert offenders == []


def test_every_page_is_declared_once_in_the_menu():
    from conftest import ROOT
    from lib.ui import FOLLOW_UPS_PAGE, HOME_PAGE, PAGES, url_path
    assert sorted(page.path for page in PAGES) == sorted(["app.py", *(f"pages/{p.name}" for p in ROOT.glob("pages/*.py"))])
    assert (url_path(HOME_PAGE), url_path(FOLLOW_UPS_PAGE)) == ("", "Follow_ups")  # the addresses Streamlit gives


def test_no_page_runs_a_query_itself():
    # Pages draw; the queries are run by lib functions with names.
    from conftest import ROOT
    sources = [ROOT / "app.py", *ROOT.glob("pages/*.py")]
    assert [p.name for p in sources if re.search(r"\.(query|scalar|execute)\(", p.read_text())] == []


def test_sample_data_loads_in_one_click_and_leaves_in_one_click(app, db_path):
    app.button(key="home.load_sample").click().run()
    assert not app.exception
    assert "sample data" in app.info[0].value
    assert int(app.metric[1].value) > 5  # interviews logged
    app.button(key="home.remove_sample").click().run()
    assert database(db_path).query("count_all").iloc[0].applications == 0
    assert app.button(key="home.load_sample")  # back to the empty state


def test_after_save_the_form_is_blank_and_saving_again_stores_nothing(app, db_path):
    at = open_page(app, DEBRIEF)
    fill_debrief(at)
    at.button(key="debrief.save").click().run()
    assert not at.exception
    assert (at.text_input(key="debrief.company").value, at.pills(key="debrief.to_improve_picks").value,
            at.text_area(key="debrief.went_well_more").value, at.text_input(key="debrief.timeline").value) == ("", [], "", "")
    assert all(not box.value for box in at.text_input if box.key and box.key.endswith(".wording"))
    at.button(key="debrief.save").click().run()
    assert not at.exception
    assert database(db_path).cursor().execute("SELECT count(*) FROM interviews").fetchone()[0] == 1


def test_a_self_score_of_11_is_kept_in_the_box_and_the_rule_is_said_beside_it(app):
    at = open_page(app, DEBRIEF)
    at.number_input(key="debrief.q.0.score").set_value(11).run()
    assert not at.exception
    assert at.number_input(key="debrief.q.0.score").value == 11
    assert "Score must be from 1 to 10; 11 is out of range." in [e.value for e in at.error]
    at.number_input(key="debrief.q.0.score").set_value(7).run()
    assert not at.error


def test_a_long_list_of_applications_shows_the_latest_and_all_of_them_on_request(app, db_path):
    db = database(db_path)
    for number in range(LISTED + 5):
        add_application(db, Application(company=f"Company {number:02d}", applied_on=dt.date(2026, 3, 1)))
    at = open_page(app, APPLICATIONS)
    listed = next(m.value for m in at.markdown if m.value.startswith("| Company |"))
    assert len(listed.splitlines()) == 2 + LISTED and not at.dataframe
    assert f"The {LISTED} with the latest activity, of {LISTED + 5}." in [c.value for c in at.caption]
    at.toggle(key=GRID).set_value(True).run()
    assert len(at.dataframe[0].value) == LISTED + 5
    at.multiselect(key="applications.filter").set_value(["offer"]).run()
    assert "No application has that status." in [c.value for c in at.caption]


def test_adding_an_application_empties_the_form_and_a_future_date_asks_first(app, db_path):
    import time_machine
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone.utc), tick=True):
        _add_in_the_future_then_confirm(app, db_path, today=dt.date(2026, 11, 25))


def _add_in_the_future_then_confirm(app, db_path, today: dt.date) -> None:
    at = open_page(app, APPLICATIONS)
    open_add_form(at)
    at.text_input(key="applications.add.company").input("Fabrikam")
    at.date_input(key="applications.add.applied_on").set_value(today + dt.timedelta(days=3))
    at.button(key="FormSubmitter:applications.add-Add application").click().run()
    assert any("is after today" in e.value for e in at.error)
    assert database(db_path).query("count_all").iloc[0].applications == 0
    assert at.text_input(key="applications.add.company").value == "Fabrikam"       # nothing typed is lost
    at.checkbox(key="applications.add.confirm_future").check()
    at.button(key="FormSubmitter:applications.add-Add application").click().run()
    assert not at.exception
    assert database(db_path).query("count_all").iloc[0].applications == 1
    assert (at.text_input(key="applications.add.company").value, at.date_input(key="applications.add.applied_on").value) \
        == ("", today)
