"""The prepare page through AppTest: the empty state, picking an application, `?application=` preselecting."""
import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from conftest import open_page
from lib import sample, settings
from lib.debriefs import Debrief, Interviewer, save_debrief
from lib.ui.prepare import APPLICATION, DOWNLOAD
from lib.ui import PREPARE_PAGE

PREPARE = PREPARE_PAGE


def open_prepare(**query) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    at.query_params.update(query)
    return open_page(at, PREPARE)


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info] + [s.value for s in at.success]
                     + [c.value for c in at.caption])


def application_id(db, company: str) -> int:
    return int(db.scalar("find_application", company=company, role=sample.ROLES.get(company, "Analyst")))


def test_with_no_applications_the_page_says_what_it_will_show_and_where_to_start(db):
    at = open_prepare()
    assert "You have no applications yet." in at.info[0].value
    links = {link.value for link in at.page_link}
    assert {"Add an application", "Or load the sample data on the home page"} <= links
    assert not at.selectbox


def test_the_picker_opens_on_an_open_application_and_lists_closed_ones_last(with_sample):
    at = open_prepare()
    picker = at.selectbox(key=APPLICATION)
    assert picker.value == application_id(with_sample, "Adventure Works")  # open, the latest activity
    assert [label.split(" – ")[0] for label in picker.options[:3]] == ["Adventure Works", "Proseware", "Litware"]
    assert all(label.endswith(("(rejected)", "(ghosted)", "(withdrawn)")) for label in picker.options[3:])


def test_picking_an_application_shows_its_interviewers_and_questions(with_sample):
    at = open_prepare()
    at.selectbox(key=APPLICATION).set_value(application_id(with_sample, "Northwind Traders")).run()
    assert not at.exception
    people = [m.value for m in at.markdown if m.value.startswith(":material/person:")]
    assert [line.split("**")[1] for line in people] == ["Isaiah Langer", "Johanna Lorenz", "Grady Archie",
                                                        "Lynne Robbins", "Miriam Graham"]
    johanna = next(line for line in people if "Johanna" in line)
    assert "BI Team Lead" in johanna and johanna.count("Round") == 2  # one line, both rounds
    text = texts(at)
    assert "What attracted you to Northwind Traders?" in text
    assert "Why do you want to work at Contoso?" not in text  # another application's question
    assert at.query_params["application"] == str(application_id(with_sample, "Northwind Traders"))  # a link to share


def test_the_application_in_the_address_is_preselected(with_sample):
    contoso = application_id(with_sample, "Contoso")
    at = open_prepare(application=str(contoso))
    assert at.selectbox(key=APPLICATION).value == contoso
    assert "**Megan Bowen** · Talent Acquisition Partner" in texts(at)


@pytest.mark.parametrize("address", ["abc", "999"])
def test_an_unknown_application_in_the_address_opens_on_the_top_choice(with_sample, address):
    at = open_prepare(application=address)
    assert at.selectbox(key=APPLICATION).value == application_id(with_sample, "Adventure Works")


def test_a_first_round_says_what_to_practise(with_sample):
    at = open_prepare(application=str(application_id(with_sample, "Proseware")))
    assert "First round at Proseware: nothing asked there yet. Here's what to practise" in at.info[0].value
    assert "What salary are you expecting?" in texts(at)  # the weakest recurring question


def test_the_prep_sheet_downloads_as_markdown(with_sample):
    at = open_prepare(application=str(application_id(with_sample, "Adventure Works")))
    assert at.download_button(key=DOWNLOAD).label == "Download prep sheet (.md)"


def test_an_interview_booked_ahead_puts_its_application_first_and_shows_when_and_with_whom(with_sample):
    today = settings.today(with_sample)
    save_debrief(with_sample, Debrief(company="Litware", role=sample.ROLES["Litware"], time_zone="Europe/London",
                                      starts_at=dt.datetime.combine(today + dt.timedelta(days=6), dt.time(11)),
                                      round=1, stage="Recruiter call",
                                      interviewers=[Interviewer("Adele Vance", "Talent Partner")]),
                 today=today)
    at = open_prepare()
    assert at.selectbox(key=APPLICATION).value == application_id(with_sample, "Litware")
    box = at.info[0].value
    assert "**Next interview:" in box and "(in 6 days) · Round 1 · Recruiter call" in box
    assert "With Adele Vance (Talent Partner)" in box  # user text goes through inert(); () need no escape


def test_an_interview_coming_up_on_the_home_page_links_to_its_prep_sheet(db):
    today = settings.today(db)
    save_debrief(db, Debrief(company="Litware", role=sample.ROLES["Litware"], time_zone="Europe/London",
                             starts_at=dt.datetime.combine(today + dt.timedelta(days=3), dt.time(11))), today=today)
    home = AppTest.from_file("../app.py", default_timeout=60)
    home.run()
    links = [el.proto for el in home.get("page_link") if el.proto.label == "Prepare"]
    assert [(link.page, link.query_string) for link in links] == [
        ("Prepare", f"application={application_id(db, 'Litware')}")]


def test_a_note_to_self_is_ticked_off_from_the_prep_sheet(with_sample):
    at = open_prepare()
    box = at.checkbox[0]
    assert box.value is False
    box.check().run()
    assert not at.exception
    ticked = with_sample.cursor().execute("SELECT DISTINCT note_key FROM improvements_worked_on").fetchall()
    assert len(ticked) == 1  # one note, stored for each interview that noted it
