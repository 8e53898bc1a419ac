"""One real-browser test: `streamlit run` on a temporary database, driven by headless Chromium.

Modelled on datasette's test suite: a fixture starts the real server as a subprocess, waits
until it answers, and stops it at the end. Chromium comes from Debian's `chromium` package
(.ci/run installs it); without it the test is skipped with a reason, except under CI.
"""
import os
from pathlib import Path

import pytest

from server import CHROMIUM, CHROMIUM_FLAGS, Server

from lib.ui import APPLICATIONS_PAGE, DASHBOARD_PAGE, DEBRIEF_PAGE, FOLLOW_UPS_PAGE, url_path

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser test: install Debian's chromium package (see .ci/run)")
    pytest.skip("Chromium is not installed (apt-get install chromium); skipping the browser test", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402  (only once we know we can run)


@pytest.fixture
def artifacts(tmp_path) -> Path:
    folder = Path(os.environ.get("DEBRIEF_TEST_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def sample_db_path(tmp_path) -> Path:
    """A database file holding the sample data, closed so that the server can open it."""
    from lib.db import Database
    from lib.sample import load_sample
    path = tmp_path / "sample.duckdb"
    db = Database(path)
    load_sample(db)
    db.close()
    return path


def database_with(path: Path, debrief) -> int:
    """A database file holding one debrief (saved as of its own day), closed so the server can open it."""
    from lib.db import Database
    from lib.debriefs import save_debrief
    db = Database(path)
    interview_id = save_debrief(db, debrief, today=debrief.starts_at.date())
    db.close()
    return interview_id


def open_debrief_page(browser, server: Server):
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    page.goto(f"{server.url}/{url_path(DEBRIEF_PAGE)}")
    expect(page.get_by_role("heading", name="2 · Salient notes")).to_be_visible(timeout=30_000)
    return page


def type_into(page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True).first
    field.fill(text)
    field.press("Tab")  # Streamlit commits a text field when it loses focus


def test_a_debrief_saved_in_the_browser_is_listed_and_survives_a_restart(browser, tmp_path, artifacts):
    server = Server(tmp_path / "browser.duckdb", artifacts).start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{server.url}/{url_path(DEBRIEF_PAGE)}")
        expect(page.get_by_role("heading", name="1 · How did it go?")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="On time").click()
        type_into(page, "Company *", "Contoso")
        type_into(page, "Role", "Data Analyst")
        type_into(page, "Name", "Ann Lee")
        type_into(page, "Their position", "Head of Data")
        type_into(page, "Question 1", "Tell me about yourself")
        type_into(page, "Self-score (1–10)", "7")
        page.get_by_role("button", name="Save debrief").click()
        expect(page.get_by_text("Next: send your thank-you within 24 hours")).to_be_visible(timeout=20_000)
        page.screenshot(path=str(artifacts / "debrief-saved.png"), full_page=True)
        # The whole form is empty again, and pressing Save once more stores nothing.
        expect(page.get_by_label("Company *", exact=True)).to_have_value("")
        # The saved rows' boxes stay on screen, greyed, until the run after the save ends: new rows
        # replace them (new keys), so wait until only the new "Question 1" is left.
        expect(page.get_by_label("Question 1", exact=True)).to_have_count(1, timeout=20_000)
        expect(page.get_by_label("Question 1", exact=True)).to_have_value("")
        expect(page.get_by_label("Self-score (1–10)", exact=True).first).to_have_value("")
        expect(page.get_by_role("button", name="On time")).to_have_attribute("aria-pressed", "false")
        # Pressing Save again on the untouched form stores nothing and the confirmation stays.
        page.get_by_role("button", name="Save debrief").click()
        page.wait_for_timeout(1_000)
        expect(page.get_by_text("Saved: Contoso – Data Analyst")).to_be_visible(timeout=20_000)

        page.goto(f"{server.url}/Interviews")
        expect(page.get_by_role("heading", name="Contoso – Data Analyst")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("average 7.0/10 over 1 question")).to_be_visible()
        expect(page.get_by_text("average 7.0/10 over 1 question")).to_have_count(1)   # saved once, not twice
    finally:
        server.stop()

    restarted = Server(tmp_path / "browser.duckdb", artifacts).start()
    try:
        page = browser.new_page()
        page.goto(f"{restarted.url}/Interviews")
        expect(page.get_by_role("heading", name="Contoso – Data Analyst")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("with Ann Lee (Head of Data)")).to_be_visible()
        page.screenshot(path=str(artifacts / "interviews-after-restart.png"), full_page=True)
    finally:
        restarted.stop()


def test_a_thank_you_marked_sent_in_the_browser_shows_as_sent_in_the_downloaded_calendar(browser, tmp_path, artifacts):
    import datetime as dt

    from icalendar import Calendar

    from lib import clock
    from lib.db import Database
    from lib.debriefs import Debrief, Interviewer, save_debrief

    db_path = tmp_path / "actions.duckdb"
    db = Database(db_path)
    two_hours_ago = clock.to_local(clock.now() - dt.timedelta(hours=2), "Europe/London").replace(second=0, microsecond=0)
    interview_id = save_debrief(db, Debrief(company="Contoso", role="Data Analyst", starts_at=two_hours_ago,
                                            time_zone="Europe/London", interviewers=[Interviewer("Ann Lee")]))
    db.close()  # the server must be the only process with the file open
    server = Server(db_path, artifacts).start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.goto(server.url)
        expect(page.get_by_text("Thank-yous to send")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Mark sent").click()
        expect(page.get_by_text("Thank-you to Ann Lee marked sent.")).to_be_visible(timeout=20_000)
        expect(page.get_by_role("button", name="Mark sent")).to_have_count(0)
        page.screenshot(path=str(artifacts / "home-thank-you-sent.png"), full_page=True)

        page.goto(f"{server.url}/{url_path(FOLLOW_UPS_PAGE)}")
        button = page.get_by_role("button", name="Download calendar (.ics)")
        expect(button).to_be_visible(timeout=30_000)
        with page.expect_download() as download:
            button.click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
    finally:
        server.stop()
    assert saved.name == "debrief.ics"
    events = {str(e["uid"]): e for e in Calendar.from_ical(saved.read_bytes()).walk("VEVENT")}
    thank_you = events[f"thank-you-{interview_id}@debrief.local"]
    assert str(thank_you["status"]) == "CANCELLED" and "Ann Lee" in str(thank_you["summary"])
    assert f"expected-response-{interview_id}@debrief.local" in events


def test_the_dashboard_renders_the_sample_data_with_charts_and_no_exception(browser, sample_db_path, artifacts):
    server = Server(sample_db_path, artifacts).start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 4000})  # tall: every section in view
        page.goto(f"{server.url}/{url_path(DASHBOARD_PAGE)}")
        expect(page.get_by_role("heading", name="Self-scores over time")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Your average rose from")).to_be_visible(timeout=20_000)
        # The charts are drawn on request (issue 15: Plotly's JavaScript is most of a first load).
        expect(page.get_by_text("The items you note most often, month by month")).to_be_visible(timeout=20_000)
        assert page.locator(".js-plotly-plot").count() == 0
        page.locator("label").filter(has_text="Show the charts").click()
        # Plotly draws each chart as an SVG; six charts: scores, calibration, running at once, two notes heatmaps,
        # thank-yous.
        expect(page.locator(".js-plotly-plot")).to_have_count(6, timeout=30_000)
        # The table of weak questions is a canvas grid; its cells exist for screen readers.
        expect(page.get_by_text("What salary are you expecting?")).to_be_attached()
        page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0
        # The settings form is drawn when its expander is opened, not mounted closed (issue 15).
        assert page.locator("[data-testid='stNumberInput']").count() == 0
        page.get_by_text("Settings: target, ghosting, recurring and weak questions").click()
        expect(page.locator("[data-testid='stNumberInput']")).to_have_count(5, timeout=30_000)
    finally:
        server.stop()


def test_the_applications_page_lists_them_as_a_table_and_adds_one_from_the_form_opened_on_a_click(
        browser, sample_db_path, artifacts):
    server = Server(sample_db_path, artifacts).start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 2000})
        page.goto(f"{server.url}/{url_path(APPLICATIONS_PAGE)}")
        expect(page.get_by_role("cell", name="Adventure Works", exact=True)).to_be_visible(timeout=30_000)
        # A plain table (issue 15: the grid's code is 1.3 MB), and the add form drawn only once opened.
        assert page.locator("[data-testid='stDataFrame']").count() == 0
        assert page.get_by_label("Company *", exact=True).count() == 0
        page.get_by_text("Add an application", exact=True).click()
        type_into(page, "Company *", "Wingtip Toys")
        page.get_by_role("button", name="Add application").click()
        expect(page.get_by_role("cell", name="Wingtip Toys", exact=True)).to_be_visible(timeout=20_000)
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        server.stop()


def test_the_review_page_renders_the_sample_data_and_saves_a_practice_attempt(browser, sample_db_path, artifacts):
    from lib import review
    from lib.db import Database
    server = Server(sample_db_path, artifacts).start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 5000})  # tall: every step in view
        page.goto(f"{server.url}/Review")
        expect(page.get_by_role("heading", name="2 · Practise your weakest questions")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("12 interviews held so far, averaging 6.5.")).to_be_visible(timeout=20_000)
        expect(page.get_by_role("heading", name="1. What salary are you expecting?")).to_be_visible()
        expect(page.get_by_text("Chart your interview and practice scores")).to_have_count(2, timeout=30_000)  # one per weak question
        assert page.locator(".js-plotly-plot").count() == 0  # drawn on request (issue 15)
        page.locator("label").filter(has_text="Chart your interview and practice scores").first.click()
        expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=30_000)
        expect(page.get_by_text("Shorter, more structured answers")).to_be_visible()
        page.screenshot(path=str(artifacts / "review.png"))
        assert page.locator("[data-testid='stException']").count() == 0
        # Every answer, as a table, when "All 7 answers" is opened: not mounted while closed (issue 15).
        assert page.locator("[data-testid='stDataFrame']").count() == 0
        page.get_by_text("All 7 answers").click()
        expect(page.locator("[data-testid='stDataFrame']")).to_have_count(1, timeout=30_000)

        page.get_by_label("A better answer").first.fill("85k, from market data for the role.")
        page.get_by_role("radio", name="8", exact=True).first.click()
        page.get_by_role("button", name="Save practice attempt").first.click()
        expect(page.get_by_text("Your best practice so far (8/10")).to_be_visible(timeout=20_000)
        page.screenshot(path=str(artifacts / "review-practised.png"))
    finally:
        server.stop()
    db = Database(sample_db_path)
    attempts = review.practice_attempts(db)
    db.close()
    assert attempts[["answer", "score"]].values.tolist() == [["85k, from market data for the role.", 8]]


def test_asked_before_shows_the_earlier_question_while_typing_and_one_click_makes_them_one(browser, tmp_path, artifacts):
    import datetime as dt

    from lib.db import Database
    from lib.debriefs import Debrief, Question
    from lib.questions import groups_frame, normalise

    db_path = tmp_path / "asked-before.duckdb"
    database_with(db_path, Debrief(company="Contoso", starts_at=dt.datetime(2026, 10, 12, 10), time_zone="Europe/London",
                                   questions=[Question("Tell me about yourself", "Rambled through my whole CV", 4)]))
    server = Server(db_path, artifacts).start()
    try:
        page = open_debrief_page(browser, server)
        type_into(page, "Company *", "Fabrikam")
        type_into(page, "Question 1", "Walk me through your background")
        expect(page.get_by_text("Asked before:")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("You said: Rambled through my whole CV")).to_be_visible()
        page.get_by_text("Asked before:").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "asked-before.png"))
        page.get_by_role("button", name="Same question").click()
        expect(page.get_by_text("You said this is the same question")).to_be_visible(timeout=20_000)
        type_into(page, "Self-score (1–10)", "6")
        page.get_by_role("button", name="Save debrief").click()
        expect(page.get_by_text("Next: send your thank-you within 24 hours")).to_be_visible(timeout=20_000)

        page.goto(f"{server.url}/{url_path(DASHBOARD_PAGE)}")
        expect(page.get_by_role("heading", name="Questions that keep coming back")).to_be_visible(timeout=30_000)
        # 4 and 6 average 5: a weak recurring question, in the table shown by default.
        expect(page.get_by_role("switch", name="Only weak questions")).to_be_visible(timeout=20_000)
        # The table is a canvas grid; its cells exist for screen readers.
        expect(page.get_by_text("Tell me about yourself", exact=True)).to_be_attached(timeout=20_000)
        page.screenshot(path=str(artifacts / "asked-before-dashboard.png"), full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        server.stop()
    db = Database(db_path)
    groups = groups_frame(db)
    decided = db.query("asked_before_decisions_for_wording", key=normalise("Walk me through your background"))
    db.close()
    assert groups.n_questions.tolist() == [2]           # one question, asked twice
    assert decided.same.tolist() == [True]


def test_an_unsaved_debrief_survives_another_page_a_reload_and_is_saved_once(browser, tmp_path, artifacts):
    import datetime as dt

    from lib.db import Database
    from lib.debriefs import Debrief

    db_path = tmp_path / "drafts.duckdb"
    stored = database_with(db_path, Debrief(company="Fabrikam", role="Analyst", starts_at=dt.datetime(2026, 10, 12, 10),
                                            time_zone="Europe/London"))
    server = Server(db_path, artifacts).start()
    try:
        page = open_debrief_page(browser, server)
        type_into(page, "Company *", "Contoso")
        type_into(page, "Question 1", "Tell me about the Returns case study")
        type_into(page, "Self-score (1–10)", "5")
        expect(page.get_by_text("Draft kept,")).to_be_visible(timeout=20_000)
        # Step 5's link to another page, and back by the sidebar: nothing is lost.
        page.get_by_role("link", name="Add another application").click()
        expect(page.get_by_role("heading", name="Applications", exact=True)).to_be_visible(timeout=30_000)
        page.get_by_role("link", name="Debrief").first.click()
        expect(page.get_by_label("Company *", exact=True)).to_have_value("Contoso", timeout=30_000)
        expect(page.get_by_label("Question 1", exact=True)).to_have_count(1, timeout=20_000)
        expect(page.get_by_label("Question 1", exact=True)).to_have_value("Tell me about the Returns case study",
                                                                           timeout=20_000)
        # A reload: a new session, the draft comes back from the database.
        page.reload()
        expect(page.get_by_label("Company *", exact=True)).to_have_value("Contoso", timeout=30_000)
        expect(page.get_by_text("Draft kept,")).to_be_visible()
        page.screenshot(path=str(artifacts / "debrief-draft-kept.png"))
        # A double click on Save stores one interview, and the form is empty after it.
        page.get_by_role("button", name="Save debrief").dblclick()
        expect(page.get_by_text("Saved: Contoso, round 1")).to_be_visible(timeout=20_000)
        expect(page.get_by_label("Company *", exact=True)).to_have_value("")
        expect(page.get_by_text("Draft kept,")).to_have_count(0)
        # Edit the stored interview, then Save changes: a clean new debrief.
        page.goto(f"{server.url}/{url_path(DEBRIEF_PAGE)}?interview={stored}")
        expect(page.get_by_text("You are editing a saved debrief.")).to_be_visible(timeout=30_000)
        type_into(page, "Stage", "Final")
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_text("Saved: Fabrikam – Analyst")).to_be_visible(timeout=20_000)
        expect(page.get_by_role("button", name="Save debrief")).to_be_visible()
        expect(page.get_by_label("Stage", exact=True)).to_have_value("")
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        server.stop()
    db = Database(db_path)
    rows = db.cursor().execute("SELECT a.company, i.stage FROM interviews i JOIN applications a ON a.id = i.application_id"
                               " ORDER BY a.company").fetchall()
    drafts_left = db.cursor().execute("SELECT count(*) FROM debrief_drafts").fetchone()[0]
    db.close()
    assert rows == [("Contoso", None), ("Fabrikam", "Final")]
    assert drafts_left == 0
