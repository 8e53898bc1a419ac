"""The dashboard's "Do your self-scores predict the next round?" section through AppTest."""
import datetime as dt

from streamlit.testing.v1 import AppTest

from conftest import open_app
from lib import sample
from lib.applications import Application, get_application, update_application
from lib.debriefs import Debrief, Question, save_debrief
from lib.ui.dashboard import DATES
from lib.ui import DASHBOARD_PAGE

DASHBOARD = DASHBOARD_PAGE
SECTION = "Do your self-scores predict the next round?"


def open_dashboard() -> AppTest:
    return open_app(DASHBOARD)


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption])


def one_interview_application(db, company, day, score, status):
    """An application with one scored interview on `day`, then closed with `status`."""
    save_debrief(db, Debrief(company=company, role="Analyst", time_zone="Europe/London",
                             starts_at=dt.datetime.combine(day, dt.time(10)),
                             questions=[Question("Why us?", "", score)]))
    app_id = int(db.scalar("find_application", company=company, role="Analyst"))
    app = get_application(db, app_id)
    update_application(db, app_id, Application(company=company, role="Analyst", applied_on=app.applied_on,
                                               status=status, closed_on=day + dt.timedelta(days=7)))


def test_with_the_sample_data_the_section_says_too_few_to_tell(db):
    sample.load_sample(db)
    at = open_dashboard()
    headers = [h.value for h in at.subheader]
    assert headers.index(SECTION) == headers.index("Possible repeats to confirm") + 1
    text = texts(at)
    assert ("Too few to tell yet: 7 interviews advanced and 3 didn't (1 still waiting for an answer, 1 you "
            "withdrew from). A fair comparison needs at least 5 on each side: 2 more that didn't.") in text
    assert "**7** advanced · **3** didn't advance · **1** waiting for an answer · **1** withdrawn" in text
    assert "follows the date range only" in text


def test_an_empty_database_shows_the_page_empty_state_naming_this_comparison(db):
    at = open_dashboard()
    assert "whether your self-scores line up with moving on" in texts(at)
    assert SECTION not in [h.value for h in at.subheader]


def test_interviews_without_scores_show_the_section_empty_state(db):
    save_debrief(db, Debrief(company="Contoso", role="Analyst", time_zone="Europe/London",
                             starts_at=dt.datetime(2026, 3, 2, 10)))
    at = open_dashboard()
    assert SECTION in [h.value for h in at.subheader]
    assert "No scored interview in these dates yet." in texts(at)


def test_enough_on_each_side_gives_the_averages_the_chart_and_the_score_bands(db):
    for n, (high, low) in enumerate(((8, 5), (8, 5), (7, 4), (9, 6), (8, 5))):
        one_interview_application(db, f"Advanced {n}", dt.date(2026, 3, 2 + n), high, "accepted")
        one_interview_application(db, f"Stopped {n}", dt.date(2026, 4, 6 + n), low, "rejected")
    at = open_dashboard()
    assert "Interviews that advanced averaged 8.0, those that didn't 5.0 (+3.0; 95% interval +" in texts(at)
    assert "so far, higher self-scores have gone with moving on (5 interviews advanced, 5 didn't)." in texts(at)
    bands = next(frame.value for frame in at.dataframe if "Average self-score" in frame.value.columns)
    assert bands["Advanced"].tolist() == [0, 0, 4, 1]
    assert bands["Didn't advance"].tolist() == [1, 4, 0, 0]
    assert bands["Advanced, of those answered"].tolist() == ["0%", "0%", "100%", "100%"]


def test_the_section_follows_the_date_range(db):
    for n in range(5):
        one_interview_application(db, f"Advanced {n}", dt.date(2026, 3, 2 + n), 8, "accepted")
        one_interview_application(db, f"Stopped {n}", dt.date(2026, 4, 6 + n), 5, "rejected")
    at = open_dashboard()
    at.date_input(key=DATES).set_value((dt.date(2026, 3, 1), dt.date(2026, 3, 31))).run()
    assert not at.exception
    assert "Too few to tell yet: 5 interviews advanced and 0 didn't." in texts(at)
    assert "The chart appears once at least one interview has advanced and one hasn't" in texts(at)
