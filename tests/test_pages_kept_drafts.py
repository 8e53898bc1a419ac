"""Nothing typed is lost: the Debrief page keeps its unsaved form as a draft until saved or discarded."""
import datetime as dt

import pytest
import time_machine
from streamlit.testing.v1 import AppTest

from conftest import open_app, open_page
from lib import report
from lib.debriefs import Debrief, Interviewer, Question, kept_draft, save_debrief
from lib.ui import APPLICATIONS_PAGE, DEBRIEF_PAGE

DEBRIEF = DEBRIEF_PAGE
APPLICATIONS = APPLICATIONS_PAGE
FROZEN_AT = dt.datetime(2026, 11, 25, 14, 2, tzinfo=dt.timezone.utc)  # 14:02 in London


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(FROZEN_AT, tick=False):
        yield


def start_typing(at: AppTest) -> AppTest:
    at.text_input(key="debrief.company").input("Contoso")
    at.text_input(key="debrief.q.0.wording").input("Walk me through the Returns case study")
    at.number_input(key="debrief.q.0.score").set_value(4)
    return at.run()


def first_question(at: AppTest) -> str:
    # Restored rows get new row ids (debrief.q.<row>.wording): find the box by its label.
    return next(box.value for box in at.text_input if box.label == "Question 1")


def count(db, table: str) -> int:
    return db.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_what_is_typed_is_kept_as_a_draft_and_said_so(db):
    at = start_typing(open_app(DEBRIEF))
    debrief, kept_at = kept_draft(db)
    assert (debrief.company, debrief.questions[0].wording, debrief.questions[0].score) == (
        "Contoso", "Walk me through the Returns case study", 4)
    assert kept_at == FROZEN_AT
    assert "Draft kept, 14:02." in captions(at)


def test_a_kept_draft_is_counted_nowhere(db):
    start_typing(open_app(DEBRIEF))
    assert count(db, "interviews") == count(db, "applications") == count(db, "questions") == 0
    assert report.build_report(db, FROZEN_AT.date())["score_trend"]["interviews"] == 0


def test_a_reload_brings_the_draft_back(db):
    start_typing(open_app(DEBRIEF))
    again = open_app(DEBRIEF)  # a new browser session: nothing in session state
    assert again.text_input(key="debrief.company").value == "Contoso"
    assert first_question(again) == "Walk me through the Returns case study"
    assert [box.value for box in again.number_input if box.label == "Self-score (1–10)"][0] == 4
    assert "Draft kept, 14:02." in captions(again)


def test_going_to_another_page_and_back_loses_nothing(db):
    at = start_typing(open_app(DEBRIEF))
    open_page(at, APPLICATIONS)
    open_page(at, DEBRIEF)
    assert at.text_input(key="debrief.company").value == "Contoso"
    assert first_question(at) == "Walk me through the Returns case study"


def test_saving_empties_the_form_forgets_the_draft_and_names_what_was_saved(db):
    at = start_typing(open_app(DEBRIEF))
    at.button(key="debrief.save").click().run()
    assert not at.exception
    assert kept_draft(db) is None and count(db, "interviews") == 1
    assert at.text_input(key="debrief.company").value == ""
    assert "Draft kept" not in captions(at)
    assert any("Saved: Contoso, round 1, Wed 25 Nov 2026" in s.value for s in at.success)
    assert open_app(DEBRIEF).text_input(key="debrief.company").value == ""  # and a reload stays empty


def test_discarding_asks_first_then_empties_the_form(db):
    at = start_typing(open_app(DEBRIEF))
    at.button(key="debrief.discard").click().run()
    assert any("Discard this draft?" in w.value for w in at.warning)
    assert kept_draft(db) is not None  # asking changed nothing
    at.button(key="debrief.discard_no").click().run()
    assert at.text_input(key="debrief.company").value == "Contoso" and kept_draft(db) is not None
    at.button(key="debrief.discard").click().run()
    at.button(key="debrief.discard_yes").click().run()
    assert not at.exception
    assert kept_draft(db) is None
    assert at.text_input(key="debrief.company").value == ""


def stored_interview(db) -> int:
    return save_debrief(db, Debrief(company="Fabrikam", role="Analyst", starts_at=dt.datetime(2026, 11, 20, 10, 0),
                                    time_zone="Europe/London", interviewers=[Interviewer("Ann Lee")],
                                    questions=[Question("Why us?", "Mission", 6)]))


def open_edit(interview_id: int) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params["interview"] = str(interview_id)
    at.switch_page(DEBRIEF)
    at.run()
    assert not at.exception, at.exception
    return at


def test_opening_an_interview_keeps_no_draft_until_something_changes(db):
    interview = stored_interview(db)
    at = open_edit(interview)
    assert at.text_input(key="debrief.stage").value == ""
    assert kept_draft(db, interview) is None and "Draft kept" not in captions(at)
    at.text_input(key="debrief.stage").input("Final").run()
    assert kept_draft(db, interview)[0].stage == "Final"
    assert open_edit(interview).text_input(key="debrief.stage").value == "Final"  # unsaved changes come back


def test_save_changes_gives_a_clean_new_debrief_and_brings_back_the_new_one_kept_meanwhile(db):
    start_typing(open_app(DEBRIEF))  # a new debrief, not saved
    interview = stored_interview(db)
    at = open_edit(interview)
    at.text_input(key="debrief.stage").input("Final").run()
    at.button(key="debrief.save").click().run()
    assert not at.exception
    assert kept_draft(db, interview) is None
    assert at.session_state["debrief.editing"] is None
    # The new debrief typed before the edit is back, still a draft; nothing of the edit is left.
    assert at.text_input(key="debrief.company").value == "Contoso"
    assert at.text_input(key="debrief.stage").value == ""
    assert count(db, "interviews") == 1


def test_an_interviewers_email_is_saved_and_a_bad_one_is_refused_beside_the_field(db):
    at = open_app(DEBRIEF)
    at.text_input(key="debrief.company").input("Contoso")
    at.text_input(key="debrief.person.0.name").input("Ann Lee")
    at.text_input(key="debrief.person.0.email").input("ann lee@contoso")
    at.button(key="debrief.save").click().run()
    assert any("is not an e-mail address" in e.value for e in at.error)
    assert count(db, "interviews") == 0
    at.text_input(key="debrief.person.0.email").input("ann.lee@contoso.com")
    at.button(key="debrief.save").click().run()
    assert db.cursor().execute("SELECT email FROM interviewers").fetchall() == [("ann.lee@contoso.com",)]


def test_the_home_page_offers_the_debrief_first_and_the_unsaved_one_once_kept(with_sample):
    links = [link.label for link in open_app().get("page_link") if link.label]
    assert links[0] == "Debrief an interview"  # before the Today list: first on a phone's first screen
    start_typing(open_app(DEBRIEF))
    assert [link.label for link in open_app().get("page_link") if link.label][0] == "Continue your unsaved debrief"


def test_a_double_click_on_save_changes_does_not_save_the_new_debrief_it_brings_back(db):
    start_typing(open_app(DEBRIEF))  # a new debrief kept, not saved
    interview = stored_interview(db)
    at = open_edit(interview)
    at.text_input(key="debrief.stage").input("Final").run()
    at.button(key="debrief.save").click().run()
    at.button(key="debrief.save").click().run()  # the second click lands on the new debrief brought back
    assert not at.exception
    assert count(db, "interviews") == 1
    assert any("Saved: Fabrikam – Analyst" in s.value for s in at.success)
    assert kept_draft(db) is not None  # still a draft, still there


def test_an_interview_deleted_while_edited_says_so_and_keeps_what_was_typed_as_a_new_debrief(db):
    from lib.debriefs import delete_interview
    interview = stored_interview(db)
    at = open_edit(interview)
    at.text_input(key="debrief.stage").input("Final").run()
    delete_interview(db, interview)  # in another tab
    at.button(key="debrief.save").click().run()
    assert any("no longer exists" in e.value for e in at.error)
    at.button(key="debrief.save_as_new").click().run()
    at.button(key="debrief.save").click().run()
    assert not at.exception
    assert db.cursor().execute("SELECT stage FROM interviews").fetchall() == [("Final",)]


def test_start_a_new_debrief_keeps_the_change_that_came_with_the_click(db):
    interview = stored_interview(db)
    at = open_edit(interview)
    at.text_input(key="debrief.stage").input("Final")   # typed, then straight to the button
    at.button(key="debrief.new").click().run()
    assert kept_draft(db, interview)[0].stage == "Final"


def test_typing_only_an_email_or_a_kind_of_question_is_kept(db):
    at = open_app(DEBRIEF)
    at.text_input(key="debrief.person.0.email").input("ann@contoso.com").run()
    assert kept_draft(db)[0].interviewers[0].email == "ann@contoso.com"


def test_a_draft_whose_application_was_removed_says_so_and_keeps_the_rest(with_sample):
    from lib import sample
    [(application,)] = with_sample.cursor().execute(
        "SELECT id FROM applications WHERE is_sample AND status = 'interviewing' ORDER BY id LIMIT 1").fetchall()
    at = open_app(DEBRIEF)
    at.selectbox(key="debrief.application").set_value(application).run()
    at.text_area(key="debrief.key_topics").input("Returns case study").run()
    assert kept_draft(with_sample)[0].application_id == application
    sample.remove_sample(with_sample)
    again = open_app(DEBRIEF)
    assert any("no longer exists" in w.value for w in again.warning)
    assert again.text_input(key="debrief.company").value == ""
    assert again.text_area(key="debrief.key_topics").value == "Returns case study"


def test_a_draft_that_cannot_be_written_is_a_warning_and_the_form_stays(db, monkeypatch):
    import duckdb

    from lib import debriefs

    scalar = debriefs.Database.scalar

    def full_disk(self, name, **params):
        if name == "keep_draft":
            raise duckdb.IOException("Could not write file: No space left on device")
        return scalar(self, name, **params)
    at = open_app(DEBRIEF)
    monkeypatch.setattr(debriefs.Database, "scalar", full_disk)
    at.text_input(key="debrief.company").input("Contoso").run()
    assert not at.exception
    assert any("could not keep a draft" in w.value for w in at.warning)
    assert at.button(key="debrief.save")  # the form is still there
