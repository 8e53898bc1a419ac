"""The dashboard page through AppTest: empty state, filters, settings, merging and splitting questions."""
import datetime as dt
from collections import Counter

import time_machine
from streamlit.testing.v1 import AppTest

from conftest import open_app, open_page
from lib import charts, clock, dashboard, sample, settings
from lib import ui
from lib.debriefs import Debrief, Question, save_debrief
from lib.ui.dashboard import APPLICATIONS, CHARTS, DATES, GROUP, MERGE, MERGE_WITH, ONLY_WEAK, SETTINGS, SETTINGS_OPEN, SPLIT, SPLIT_PICK, STAGES
from lib.ui import DASHBOARD_PAGE

DASHBOARD = DASHBOARD_PAGE


def open_dashboard() -> AppTest:
    return open_app(DASHBOARD)


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info] + [s.value for s in at.success])


def interview(db, company, day, questions, stage=""):
    save_debrief(db, Debrief(company=company, role="Analyst", stage=stage, time_zone="Europe/London",
                             starts_at=dt.datetime.combine(day, dt.time(10)),
                             questions=[Question(w, f"my answer to {w}", s) for w, s in questions]))


def test_an_empty_dashboard_says_what_it_will_show_and_where_to_start(db):
    at = open_dashboard()
    assert "Nothing to chart yet" in texts(at)
    assert "Add an application to see how many you have running each day." in texts(at)


def test_one_interview_gives_a_chart_and_says_a_trend_needs_another(db):
    interview(db, "Contoso", dt.date(2026, 3, 2), [("Tell me about yourself", 6)])
    text = texts(open_dashboard())
    assert "One interview so far, with an average of 6.0. Debrief the next one to start a trend." in text
    assert "No question has come up in 2 different interviews yet" in text


def test_the_sample_dashboard_renders_every_section(db):
    sample.load_sample(db)
    at = open_dashboard()
    text = texts(at)
    assert "Your average rose from" in text
    assert [h.value for h in at.subheader] == ["Self-scores over time", "Questions that keep coming back",
                                               "Possible repeats to confirm",
                                               "Do your self-scores predict the next round?",
                                               "Applications running at once", "What went well, what to improve",
                                               "Thank-you notes within 24 hours"]
    assert at.metric[0].label == "Active today"


def test_the_charts_open_as_the_user_left_them_on_the_next_visit(db):
    sample.load_sample(db)
    at = open_dashboard()
    assert at.toggle(key=CHARTS).value is False and not at.get("plotly_chart")      # a first visit: no Plotly
    at.toggle(key=CHARTS).set_value(True).run()
    assert not at.exception and at.get("plotly_chart")
    again = open_dashboard()                                                         # a new session
    assert again.toggle(key=CHARTS).value is True and again.get("plotly_chart")
    again.toggle(key=CHARTS).set_value(False).run()
    assert open_dashboard().toggle(key=CHARTS).value is False


def test_hidden_charts_are_not_worked_out_but_the_page_says_the_same(db, monkeypatch):
    """Charts hidden (the default), the page computes nothing for them, and its sentences, empty
    states and tables are those it shows with the charts on."""
    def hidden_dashboard() -> AppTest:
        with monkeypatch.context() as patched:
            for module, name in [(dashboard, "reflections_over_time"), (dashboard, "active_per_day"),
                                 (dashboard, "daily_scores"), (charts, "calibration"), (charts, "thank_you_timeline")]:
                patched.setattr(module, name, lambda *args, **kwargs: 1 / 0)  # a chart's data: not while hidden
            return open_dashboard()

    def shown_dashboard() -> AppTest:
        at = open_dashboard()
        at.toggle(key=CHARTS).set_value(True).run()
        assert at.get("plotly_chart")
        at.toggle(key=CHARTS).set_value(False).run()  # stored: the next visit opens hidden again
        return at

    interview(db, "Contoso", dt.date(2026, 3, 2), [("Tell me about yourself", 6)])  # no notes, no outcome
    hidden, shown = hidden_dashboard(), shown_dashboard()
    assert not hidden.get("plotly_chart")
    assert [i.value for i in hidden.info] == [i.value for i in shown.info]
    assert "What went well: the items you note after each interview will show here, month by month." in texts(hidden)
    sample.load_sample(db)
    hidden, shown = hidden_dashboard(), shown_dashboard()
    assert [i.value for i in hidden.info] == [i.value for i in shown.info]
    assert [m.value for m in hidden.markdown] == [m.value for m in shown.markdown]
    assert len(hidden.dataframe) == len(shown.dataframe) == 2  # the questions and the calibration's score bands
    assert any("turn on **Show the charts**" in c.value for c in hidden.caption)


def test_after_a_write_the_dashboard_is_prepared_in_the_background(db, monkeypatch):
    """A write, then any page run: a thread works out the dashboard's first view, so opening the
    dashboard computes nothing new, and shows what working it out then would show."""
    monkeypatch.setenv("DEBRIEF_PREPARE", "1")
    monkeypatch.setattr(ui, "PREPARE_AFTER_S", 0)
    with time_machine.travel(clock.now(), tick=False):  # the thank-yous are worked out per minute
        settings.put(db, "dashboard_charts", "1")  # no interview yet: the page's "nothing yet"
        at = open_app()
        assert ui.wait_until_prepared(db)
        computed = Counter(ui._cached.computed)
        assert "Nothing to chart yet" in texts(open_page(at, DASHBOARD))
        assert not ui._cached.computed - computed
        sample.load_sample(db)
        for charts_on in ("0", "1"):
            settings.put(db, "dashboard_charts", charts_on)
            interview(db, "Contoso", dt.date(2026, 3, 2), [("Tell me about yourself", 6)])
            at = open_app()  # the home page: the first run after the write
            assert ui.wait_until_prepared(db)
            computed = Counter(ui._cached.computed)
            prepared = open_page(at, DASHBOARD)
            assert not ui._cached.computed - computed  # every section was ready
            ui._cached.clear()
            assert texts(prepared) == texts(open_dashboard())
            assert bool(prepared.get("plotly_chart")) == (charts_on == "1")


def test_filters_by_company_stage_and_dates_narrow_the_scores(db):
    interview(db, "Contoso", dt.date(2026, 3, 2), [("Why us?", 4)], stage="Phone screen")
    interview(db, "Fabrikam", dt.date(2026, 3, 9), [("Why us?", 8)], stage="Final")
    interview(db, "Contoso", dt.date(2026, 3, 16), [("Why us?", 6)], stage="Final")
    at = open_dashboard()
    contoso = int(db.scalar("find_application", company="Contoso", role="Analyst"))
    at.multiselect(key=APPLICATIONS).set_value([contoso]).run()
    assert "Two interviews two weeks apart, averaging 5.0: too few to tell a trend yet." in texts(at)
    at.multiselect(key=STAGES).set_value(["Final"]).run()
    assert "One interview so far, with an average of 6.0" in texts(at)
    at.multiselect(key=APPLICATIONS).set_value([]).run()
    at.multiselect(key=STAGES).set_value([]).run()
    at.date_input(key=DATES).set_value((dt.date(2026, 3, 5), dt.date(2026, 3, 20))).run()
    assert "Two interviews 7 days apart, averaging 7.0: too few to tell a trend yet." in texts(at)


def test_settings_saved_on_the_page_change_what_counts_as_weak(db):
    for day, score in ((2, 7), (9, 7)):
        interview(db, "Contoso", dt.date(2026, 3, day), [("Why should we hire you?", score)])
    at = open_dashboard()
    assert "None of your 1 recurring questions is weak" in texts(at)
    assert f"{SETTINGS}.weak_below" not in [field.key for field in at.number_input]   # closed: not drawn
    at.session_state[SETTINGS_OPEN] = True   # the settings expander opened
    at.run()
    at.number_input(key=f"{SETTINGS}.weak_below").set_value(8.0)
    at.button(key=f"FormSubmitter:{SETTINGS}-Save settings").click().run()
    assert not at.exception
    assert "Weak: an average below 8." in "\n".join(c.value for c in at.caption)
    assert "None of your" not in texts(at)


def test_merging_two_groups_is_stored_and_splitting_a_question_out_undoes_it_for_that_question(db):
    for day in (2, 9):
        interview(db, "Contoso", dt.date(2026, 3, day), [("Why should we hire you?", 4), ("What is your favourite colour?", 5)])
    groups = dashboard.question_groups(db)
    assert len(groups) == 2
    hire = int(groups[groups["canonical"] == "Why should we hire you?"]["group_id"].iloc[0])
    colour = int(groups[groups["canonical"] == "What is your favourite colour?"]["group_id"].iloc[0])
    at = open_dashboard()
    at.toggle(key=ONLY_WEAK).set_value(False).run()
    at.selectbox(key=GROUP).set_value(hire).run()
    at.selectbox(key=MERGE_WITH).set_value(colour).run()
    at.button(key=MERGE).click().run()
    assert not at.exception
    merged = dashboard.question_groups(db)
    assert len(merged) == 1 and merged.iloc[0].times_asked == 2 and merged.iloc[0].answers == 4

    newest_colour = int(dashboard.group_answers(db, int(merged.iloc[0].group_id))
                        .query("wording == 'What is your favourite colour?'")["question_id"].iloc[0])
    at.selectbox(key=GROUP).set_value(int(merged.iloc[0].group_id)).run()
    at.selectbox(key=SPLIT_PICK).set_value(newest_colour).run()
    at.button(key=SPLIT).click().run()
    assert not at.exception
    after = dashboard.question_groups(db, min_times=1)
    assert sorted(after["answers"].tolist()) == [1, 3]


def test_two_interviews_a_day_apart_say_there_is_not_enough_for_a_trend(db):
    interview(db, "Contoso", dt.date(2026, 3, 2), [("Why us?", 4)])
    interview(db, "Fabrikam", dt.date(2026, 3, 3), [("Why us?", 6)])
    text = texts(open_dashboard())
    assert "Two interviews a day apart, averaging 5.0: too few to tell a trend yet." in text
    assert "a month" not in text


def test_an_interview_this_morning_is_not_due_yet_and_leaves_the_rate_alone(db):
    import time_machine
    with time_machine.travel(dt.datetime(2026, 3, 3, 15, tzinfo=dt.timezone.utc), tick=False):
        interview(db, "Contoso", dt.date(2026, 3, 2), [("Why us?", 4)])    # 29 hours ago, nothing sent
        interview(db, "Fabrikam", dt.date(2026, 3, 3), [("Why us?", 6)])   # 5 hours ago
        text = texts(open_dashboard())
    assert "0% of your interviews had a thank-you within 24 hours; 1 interview started less than 24 hours ago, " \
           "not counted yet." in text
