"""The action centre driven through AppTest: the Today list on the home page and the follow-ups page.

These run on the real clock, so interviews are placed relative to now.
"""
import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from lib import clock, settings
from lib.applications import get_application
from lib.db import Database
from lib.debriefs import Debrief, Interviewer, Question, save_debrief
from lib.ui import FOLLOW_UPS_PAGE

FOLLOW_UPS = FOLLOW_UPS_PAGE
LONDON = "Europe/London"


@pytest.fixture
def app(db_path, monkeypatch):
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    monkeypatch.setenv("DEBRIEF_TZ", LONDON)
    return AppTest.from_file("../app.py", default_timeout=30)


def database(db_path) -> Database:
    return Database(db_path)  # the same DuckDB instance as the app's, within this process


def interview_hours_ago(db, hours: float, *, company="Contoso", expected: dt.date | None = None, **fields) -> int:
    local = clock.to_local(clock.now() - dt.timedelta(hours=hours), LONDON).replace(second=0, microsecond=0)
    fields.setdefault("interviewers", [Interviewer("Ann Lee", "Head of Data")])
    return save_debrief(db, Debrief(company=company, role="Data Analyst", starts_at=local, time_zone=LONDON,
                                    expected_response_by=expected, **fields))


def thank_you_id(db, interview_id: int) -> int:
    return int(db.query("interview_thank_yous", id=interview_id).id.iloc[0])


def ann_id(db, interview_id: int) -> int:
    return int(db.query("interview_interviewers", id=interview_id).id.iloc[0])


def run(at: AppTest, page: str | None = None) -> AppTest:
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_the_home_page_counts_down_to_a_thank_you_deadline(app, db_path):
    interview_hours_ago(database(db_path), 2)
    shown = texts(run(app))
    assert "Thank-you to **Ann Lee**" in shown
    assert "21 h" in shown and "left" in shown  # 24 h minus the 2 h since the start, give or take a minute


def test_a_thank_you_past_its_deadline_is_marked_overdue(app, db_path):
    interview_hours_ago(database(db_path), 30)
    assert "**overdue** by 6 h" in texts(run(app))


def test_a_thank_you_is_marked_sent_from_the_home_page_in_one_click(app, db_path):
    db = database(db_path)
    interview_id = interview_hours_ago(db, 2)
    ty = thank_you_id(db, interview_id)
    at = run(app)
    at.selectbox(key=f"home.thank_you.{ty}.channel").set_value("handwritten")
    at.button(key=f"home.thank_you.{ty}.sent").click()
    run(at)
    row = db.query("interview_thank_yous", id=interview_id).iloc[0]
    assert row.channel == "handwritten" and row.sent_on.date() == clock.today_in(LONDON)
    assert f"home.thank_you.{ty}.sent" not in [b.key for b in at.button]  # done: gone from the list


def test_a_follow_up_is_logged_from_the_home_page_in_one_click(app, db_path):
    db = database(db_path)
    interview_hours_ago(db, 24 * 20, expected=clock.today_in(LONDON) - dt.timedelta(days=10))
    at = run(app)
    assert "Follow up with **Contoso**" in texts(at)
    at.selectbox(key="home.follow_up.1.channel").set_value("phone")
    at.button(key="home.follow_up.1.log").click()
    run(at)
    diary = db.query("follow_up_diary", application_id=1)
    assert diary[["channel"]].values.tolist() == [["phone"]]
    assert diary.followed_up_on.iloc[0].date() == clock.today_in(LONDON)


def test_an_answer_is_recorded_from_the_home_page(app, db_path):
    db = database(db_path)
    interview_hours_ago(db, 24 * 20, expected=clock.today_in(LONDON) - dt.timedelta(days=10))
    at = run(app)
    at.selectbox(key="home.follow_up.1.outcome").set_value("rejected")
    at.button(key="home.follow_up.1.record").click()
    run(at)
    assert get_application(db, 1).status == "rejected"
    assert "home.follow_up.1.record" not in [b.key for b in at.button]


def test_after_two_unanswered_follow_ups_the_application_can_be_marked_ghosted(app, db_path):
    from lib import follow_ups
    db = database(db_path)
    today = clock.today_in(LONDON)
    interview_hours_ago(db, 24 * 40, expected=today - dt.timedelta(days=30))
    for days_ago in (25, 15):
        follow_ups.log_follow_up(db, 1, None, today - dt.timedelta(days=days_ago), "email")
    at = run(app)
    assert "time to move on" in texts(at)
    at.button(key="home.follow_up.1.ghosted").click()
    run(at)
    assert get_application(db, 1).status == "ghosted"


def test_a_thank_you_is_marked_sent_from_the_follow_ups_page(app, db_path):
    db = database(db_path)
    interview_id = interview_hours_ago(db, 3)
    at = run(run(app), FOLLOW_UPS)
    at.button(key=f"followups.thank_you.{thank_you_id(db, interview_id)}.sent").click()
    run(at)
    assert db.query("interview_thank_yous", id=interview_id).sent_at.notna().all()


def test_a_follow_up_is_logged_with_a_note_from_the_diary(app, db_path):
    db = database(db_path)
    interview_hours_ago(db, 24 * 3)
    at = run(run(app), FOLLOW_UPS)
    at.selectbox(key="followups.log.channel").set_value("email")
    at.text_area(key="followups.log.note").input("Asked Ann about the timeline")
    at.button(key="FormSubmitter:followups.log-Log follow-up").click()
    run(at)
    diary = db.query("follow_up_diary", application_id=1)
    assert diary[["channel", "note"]].values.tolist() == [["email", "Asked Ann about the timeline"]]
    assert at.dataframe[0].value["Note"].tolist() == ["Asked Ann about the timeline"]


def test_the_draft_is_addressed_to_the_interviewer_and_suggests_the_weakest_answer(app, db_path):
    db = database(db_path)
    interview_id = interview_hours_ago(db, 2, key_topics="Pricing dashboards",
                                       questions=[Question("Why us?", "", 7), Question("Salary?", "Hesitated", 3)])
    at = run(run(app), FOLLOW_UPS)
    body = at.text_area(key=f"followups.draft.{interview_id}.{ann_id(db, interview_id)}.body").value
    assert body.startswith("Dear Ann Lee,") and "Pricing dashboards" in body
    assert "your question “Salary?”" in body


def test_an_article_link_that_is_not_http_is_refused_with_a_message(app, db_path):
    db = database(db_path)
    interview_id = interview_hours_ago(db, 2)
    at = run(run(app), FOLLOW_UPS)
    at.text_input(key=f"followups.draft.{interview_id}.url").input("javascript:alert(1)")
    run(at)
    assert any("must start with http:// or https://" in e.value for e in at.error)
    assert "javascript" not in at.text_area(key=f"followups.draft.{interview_id}.{ann_id(db, interview_id)}.body").value


def test_the_time_zone_is_chosen_on_the_follow_ups_page(app, db_path):
    at = run(run(app), FOLLOW_UPS)
    at.selectbox(key="followups.time_zone").set_value("America/New_York")
    run(at)
    assert settings.time_zone(database(db_path)) == "America/New_York"
    assert "in America/New_York" in texts(at)


def test_the_follow_ups_page_teaches_what_to_do_on_an_empty_database(app):
    at = run(run(app), FOLLOW_UPS)
    assert "No interviews yet" in "\n".join(i.value for i in at.info)
    assert "Nothing due" in texts(at)


def test_a_thank_you_sent_earlier_is_recorded_with_its_day_and_time(app, db_path):
    db = database(db_path)
    interview_id = interview_hours_ago(db, 26)
    at = run(run(app), FOLLOW_UPS)
    base = f"followups.sent_at.{thank_you_id(db, interview_id)}"
    started = clock.to_local(db.query("get_interview", id=interview_id).starts_at.iloc[0].to_pydatetime(), LONDON)
    sent = started + dt.timedelta(hours=3)
    at.date_input(key=f"{base}.day").set_value(sent.date())
    at.time_input(key=f"{base}.time").set_value(sent.time())
    at.selectbox(key=f"{base}.channel").set_value("both")
    at.button(key=f"FormSubmitter:{base}-Record as sent").click()
    run(at)
    row = db.query("interview_thank_yous", id=interview_id).iloc[0]
    assert row.channel == "both"
    assert clock.to_local(row.sent_at.to_pydatetime(), LONDON) == sent
    assert any("Sent to Ann Lee on" in s.value for s in at.success)


def test_a_thank_you_recorded_before_the_interview_is_refused_beside_the_form(app, db_path):
    db = database(db_path)
    interview_id = interview_hours_ago(db, 26)
    at = run(run(app), FOLLOW_UPS)
    base = f"followups.sent_at.{thank_you_id(db, interview_id)}"
    at.date_input(key=f"{base}.day").set_value(clock.today_in(LONDON) - dt.timedelta(days=5))
    at.button(key=f"FormSubmitter:{base}-Record as sent").click()
    run(at)
    assert any("before the interview started" in e.value for e in at.error)
    assert db.query("interview_thank_yous", id=interview_id).sent_on.isna().all()
