"""The dashboard page's sections, in the order the page draws them, with the filters, the settings form
and the question-group detail they use.

Keys are constants here so that tests drive the page by the same names.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import calibration, charts, clock, dashboard, rules, settings
from ..applications import active_applications_on, pipeline_message
from ..calibration import calibration_sentence
from ..db import Database
from ..questions import GroupingError, groups_frame, merge_groups, split_question
from . import DEBRIEF_PAGE, IMPORT_PAGE, cached, flash, inert, on_request, opened
from .asked_before import prepare_queue, repeats_queue
from .tables import days, score_column, shown
from ..words import hours, plural

DATES, APPLICATIONS, STAGES = "dashboard.dates", "dashboard.applications", "dashboard.stages"
SCORE_VIEW, ONLY_WEAK, GROUP = "dashboard.score_view", "dashboard.only_weak", "dashboard.group"
MERGE_WITH, MERGE, SPLIT_PICK, SPLIT = "dashboard.merge_with", "dashboard.merge", "dashboard.split_pick", "dashboard.split"
SETTINGS, CHARTS = "dashboard.settings", "dashboard.charts"
SETTINGS_OPEN = "dashboard.settings_open"  # the settings expander, open or closed
SETTING_KEYS = ("target_low", "target_high", "stale_after_days", "min_times", "weak_below")
MAX_GROUP_CHOICES = 500


def scores_figure(db: Database, chosen: dashboard.Filters):
    """Interview means, each answer faint behind them, and the 30-day trend once there is enough for one."""
    return charts.scores_over_time(*dashboard.score_chart(db, chosen))


def category_figure(db: Database, chosen: dashboard.Filters):
    return charts.category_scores(dashboard.category_scores(db, chosen))


def active_figure(db: Database, start: dt.date | None, day: dt.date, band: tuple[int, int]):
    per_day = dashboard.active_per_day(db, start, day)
    return None if per_day.empty else charts.active_applications(per_day, band)


def notes_figures(db: Database, chosen: dashboard.Filters) -> dict:
    """{kind: heatmap or None} for went_well and to_improve: only while the charts are shown (the
    monthly counts are the dashboard's costliest read); otherwise `dashboard.reflection_kinds` says
    which kinds have notes."""
    items = dashboard.reflections_over_time(db, chosen)
    titles = {"went_well": "What went well, most noted", "to_improve": "What to improve, most noted"}
    return {kind: None if items[items["kind"] == kind].empty else charts.reflections(items[items["kind"] == kind], title)
            for kind, title in titles.items()}


def thank_you_view(db: Database, minute: dt.datetime, with_chart: bool = True) -> tuple[str | None, object]:
    """(a sentence on thank-yous sent in time, figure or None) at `minute`; (None, None) before any
    interview. The figure is built only `with_chart` (the charts shown).

    Cached per minute (lib.ui.cached): an interview's window closes by the clock, not by a write."""
    timeline = dashboard.thank_you_months(db, minute)
    if timeline.empty:
        return None, None
    return thank_you_words(timeline), charts.thank_you_timeline(timeline) if with_chart else None


def thank_you_words(timeline: pd.DataFrame) -> str:
    """'80% of your interviews had a thank-you within 24 hours; 1 is not due yet.'"""
    within = hours(rules.THANK_YOU_WITHIN)
    waiting = dashboard.thank_yous_waiting(timeline)
    rate = dashboard.thank_you_rate(timeline)
    if rate is None:
        return (f"No thank-you is due yet: {plural(waiting, 'interview')} started less than {within} ago. "
                "Send a thank-you before the time runs out.")
    words = f"{rate:.0%} of your interviews had a thank-you within {within}"
    return words + (f"; {plural(waiting, 'interview')} started less than {within} ago, not counted yet."
                    if waiting else ".")


def calibration_view(db: Database, since: dt.date | None, as_of: dt.date, with_chart: bool = True):
    """(Calibration, figure or None, score-band table or None): the table once an interview is on
    each side, and then the chart too if `with_chart` (the charts shown).

    Counting needs no names; the dots' hover text does, so they are fetched only when every
    interview gets a dot of its own (few enough), which keeps 100k interviews to one lean query."""
    outcomes = calibration.outcome_scores(db, as_of, since=since)
    summary = calibration.summarize(outcomes)
    if not (summary.advanced and summary.stopped):
        return summary, None, None
    if with_chart and summary.advanced + summary.stopped <= calibration.MAX_CHART_POINTS:
        outcomes = calibration.interview_outcomes(db, as_of, since=since)
    bands = pd.DataFrame({"Average self-score": [band.label for band in summary.bands],
                          "Advanced": [band.advanced for band in summary.bands],
                          "Didn't advance": [band.stopped for band in summary.bands],
                          "Advanced, of those answered": ["–" if band.rate is None else f"{band.rate:.0%}"
                                                          for band in summary.bands]})
    return summary, charts.calibration(calibration.chart_points(outcomes), summary) if with_chart else None, bands


def filters(choices: dashboard.FilterChoices) -> dashboard.Filters:
    """Date range, company/role and stage pickers; what they select."""
    apps = choices.applications.set_index("application_id")
    left, middle, right = st.columns([2, 3, 2])
    picked = left.date_input("Interviews between", value=(choices.first_day, choices.last_day), key=DATES,
                             format="YYYY-MM-DD", min_value=dt.date(2000, 1, 1))
    ids = middle.multiselect("Company and role", apps.index.tolist(), key=APPLICATIONS, placeholder="All applications",
                             format_func=lambda i: f"{apps.at[i, 'company']} – {apps.at[i, 'role'] or 'no role'}",
                             help=f"The {dashboard.MAX_FILTER_CHOICES} most recently interviewed applications at most")
    chosen_stages = right.multiselect("Stage", list(choices.stages), key=STAGES, placeholder="All stages")
    start, end = (tuple(picked) + (None, None))[:2] if isinstance(picked, (tuple, list)) else (picked, picked)
    return dashboard.Filters(start=start, end=end or start, application_ids=tuple(int(i) for i in ids),
                             stages=tuple(chosen_stages), interview_days=(choices.first_day, choices.last_day))


def settings_form(db: Database) -> None:
    """The numbers behind the dashboard: target band, stale rule, recurring and weak thresholds."""
    if box := opened("Settings: target, ghosting, recurring and weak questions", SETTINGS_OPEN, icon=":material/tune:"):
        with box, st.form(SETTINGS, border=False):
            columns = st.columns(5)
            for column, key in zip(columns, SETTING_KEYS):
                low, high, whole, label = settings.LIMITS[key]
                current = settings.get(db, key)
                kind = int if whole else float
                column.number_input(label, min_value=kind(low), max_value=kind(high), step=kind(1 if whole else 0.5),
                                    value=kind(float(current)), key=f"{SETTINGS}.{key}")
            st.form_submit_button("Save settings", on_click=_save_settings, args=(db,))
    for message in st.session_state.get(f"{SETTINGS}.errors", {}).values():
        st.error(message, icon=":material/error:")


def _save_settings(db: Database) -> None:
    errors = settings.update(db, {key: st.session_state[f"{SETTINGS}.{key}"] for key in SETTING_KEYS})
    st.session_state[f"{SETTINGS}.errors"] = errors
    if not errors:
        flash("Settings saved.")


def group_detail(db: Database, groups: pd.DataFrame, group_id: int, chosen: dashboard.Filters) -> None:
    """Every past answer in one group, newest first; merge it with another group or split a question out."""
    group = groups.set_index("group_id").loc[group_id]
    st.markdown(f"**{inert(group.canonical)}** · asked in {int(group.times_asked)} interviews · "
                f"average {group.avg_score:.1f} · last {int(group.last_score)}")
    if len(group.variants) > 1:
        st.caption("Also asked as: " + " · ".join(inert(v) for v in group.variants if v != group.canonical))
    answers = dashboard.group_answers(db, group_id, chosen)
    # The score first (and pinned), the long text last: on a narrow screen the score is never off to the right.
    table = shown(answers, dates=["day"], texts=["company", "role", "stage", "wording", "answer_note"])
    st.dataframe(table[["score", "day", "wording", "answer_note", "company", "role", "stage"]],
                 hide_index=True, width="stretch",
                 column_config={"score": score_column(), "day": st.column_config.TextColumn("Date", width="small"),
                                "wording": st.column_config.TextColumn("Asked as", width="medium"),
                                "answer_note": st.column_config.TextColumn("Your answer", width="large"),
                                "company": "Company", "role": "Role", "stage": "Stage"})
    left, right = st.columns(2)
    with left.popover("Same question as another group…", icon=":material/merge:"):
        others = groups_frame(db)
        others = others[others["group_id"] != group_id].head(MAX_GROUP_CHOICES)
        labels = dict(zip(others["group_id"], others["canonical"]))
        st.selectbox("Merge into this group", list(labels), key=MERGE_WITH, index=None,
                     format_func=lambda g: labels[g], placeholder="Pick the group that asks the same thing")
        st.button("Merge", key=MERGE, on_click=_merge, args=(db, group_id), type="primary")
    with right.popover("A question here is different…", icon=":material/call_split:"):
        wordings = dict(zip(answers["question_id"], days(answers["day"]).to_numpy() + " · " + answers["wording"]))
        st.selectbox("Take this question out of the group", list(wordings), key=SPLIT_PICK, index=None,
                     format_func=lambda q: wordings[q], placeholder="Pick the answer to split out")
        st.button("Split out", key=SPLIT, on_click=_split, args=(db,))


def _merge(db: Database, group_id: int) -> None:
    other = st.session_state.get(MERGE_WITH)
    if other is None:
        flash("Pick the group to merge first.", icon=":material/info:")
        return
    try:
        merge_groups(db, group_id, int(other))
    except GroupingError as problem:  # e.g. the group was changed in another tab meanwhile
        flash(str(problem), icon=":material/error:")
        return
    flash("Merged: both wordings now count as one question, from now on.", icon=":material/merge:")


def _split(db: Database) -> None:
    question_id = st.session_state.get(SPLIT_PICK)
    if question_id is None:
        flash("Pick the question to split out first.", icon=":material/info:")
        return
    try:
        split_question(db, int(question_id))
    except GroupingError as problem:
        flash(str(problem), icon=":material/error:")
        return
    st.session_state.pop(GROUP, None)
    flash("Split out: that question now counts on its own, from now on.", icon=":material/call_split:")


# -- the page's sections, in order -------------------------------------------------------------

def charts_toggle(db: Database) -> bool:
    """'Show the charts': the page opens on its sentences, figures and tables, and Plotly (4.7 MB of
    JavaScript, most of a full load's time, docs/performance.md) is loaded once asked for. The choice
    is stored (setting `dashboard_charts`), so a user who wants the charts has them on every visit."""
    stored = settings.get(db, "dashboard_charts") == "1"
    shown = on_request("Show the charts", CHARTS, default=stored,
                       help="Scores over time, calibration, applications running at once, your notes month by month "
                            "and thank-yous. Remembered: the dashboard opens as you leave it.")
    if shown != stored:
        settings.put(db, "dashboard_charts", "1" if shown else "0")
    return shown


def charts_shown() -> bool:
    return bool(st.session_state.get(f"{CHARTS}.wanted"))


def draw(figure) -> None:
    """A section's chart, when the charts are shown."""
    if charts_shown():
        st.plotly_chart(figure, width="stretch", config={"displaylogo": False})


def scores_section(db: Database, chosen: dashboard.Filters) -> None:
    st.subheader("Self-scores over time")
    trend = cached(db, dashboard.score_trend, chosen)
    st.markdown(dashboard.trend_sentence(trend))
    if trend.interviews == 0:
        st.info("No scored interview matches these filters. The chart shows the average self-score of each "
                "interview, each answer faint behind it, and a 30-day trend.", icon=":material/show_chart:")
        return
    if not charts_shown():
        return
    view = st.segmented_control("View", ["Overall", "By kind of question"], key=SCORE_VIEW, default="Overall")
    draw(cached(db, category_figure, chosen) if view == "By kind of question" else cached(db, scores_figure, chosen))


def questions_section(db: Database, chosen: dashboard.Filters) -> None:
    st.subheader("Questions that keep coming back")
    min_times, weak_below = settings.min_times(db), settings.weak_below(db)
    st.caption(f"The same question in different words counts once. Recurring: asked in {min_times} interviews or "
               f"more. Weak: an average below {weak_below:g}.")
    groups = cached(db, dashboard.question_groups, chosen)
    if groups.empty:
        st.info(f"No question has come up in {min_times} different interviews yet. When one does, it appears here "
                "with its average, last score and trend. Note every question you are asked.", icon=":material/quiz:")
        return
    listed = groups[groups["weak"]] if st.toggle("Only weak questions", value=True, key=ONLY_WEAK) else groups
    if listed.empty:
        st.success(f"None of your {len(groups)} recurring questions is weak: every average is {weak_below:g} or more.",
                   icon=":material/thumb_up:")
        listed = groups
    st.dataframe(
        shown(listed, texts=["category"])
        .assign(trend=listed["recent_scores"].map(lambda scores: list(reversed(scores))).to_numpy(),
                wordings=listed["variants"].map(len).to_numpy())
        [["canonical", "times_asked", "avg_score", "last_score", "trend", "wordings", "category"]],
        hide_index=True, width="stretch",
        column_config={"canonical": "Question", "times_asked": "Asked", "category": "Kind",
                       "avg_score": st.column_config.NumberColumn("Average", format="%.1f"),
                       "last_score": "Last", "wordings": "Wordings",
                       "trend": st.column_config.LineChartColumn("Trend (last 20)", y_min=1, y_max=10)})
    labels = dict(zip(listed["group_id"], listed["canonical"]))
    picked = st.selectbox("See every answer you gave to…", list(labels), key=GROUP, index=None,
                          format_func=lambda g: labels[g], placeholder="Pick a question")
    if picked is not None:
        group_detail(db, groups, picked, chosen)


def repeats_section(db: Database) -> None:
    st.subheader("Possible repeats to confirm")
    st.caption("Questions that came in without you typing them (an import, older entries) and look alike. "
               "Say whether each pair is one question; the answers that would change your weak questions come first.")
    repeats_queue(db)


def calibration_section(db: Database, chosen: dashboard.Filters) -> None:
    st.subheader("Do your self-scores predict the next round?")
    today = settings.today(db)
    summary, figure, bands = cached(db, calibration_view, chosen.start, min(chosen.end or today, today), charts_shown())
    if summary.interviews == 0:
        st.info("No scored interview in these dates yet. Here you will see whether the interviews you scored higher "
                "are the ones that moved on: the average self-score of those that advanced beside those that didn't. "
                "Score each answer when you debrief, and record their answers (next round, offer, a no) on "
                "Thank-yous & follow-ups.", icon=":material/balance:")
        return
    st.markdown(calibration_sentence(summary))
    st.markdown(f"**{summary.advanced}** advanced · **{summary.stopped}** didn't advance · **{summary.waiting}** "
                f"waiting for an answer · **{summary.withdrawn}** withdrawn")
    if bands is None:
        st.info("The chart appears once at least one interview has advanced and one hasn't: each interview's "
                "average self-score as a dot, the two groups side by side.", icon=":material/balance:")
    else:
        draw(figure)
        st.dataframe(bands, hide_index=True, width="content")
    st.caption("Advanced: a later interview, a next round or an offer. Didn't: a no, or silence (ghosted) "
               "after the last interview. Waiting and withdrawn are counted but not compared. This section follows "
               "the date range only: within one company or stage there are too few interviews to tell. A pattern "
               "in your own history, not proof that a score causes anything.")


def pipeline_section(db: Database, chosen: dashboard.Filters) -> None:
    st.subheader("Applications running at once")
    band, day = settings.target_band(db), settings.today(db)
    active = cached(db, active_applications_on, day)
    left, right = st.columns([1, 3])
    left.metric("Active today", active, help=f"Your target is {band[0]}–{band[1]} at once")
    right.markdown(pipeline_message(active, band))
    # The chart's days are worked out only while the charts are shown; without them, only whether
    # there is any activity to chart (the same empty state either way).
    figure = cached(db, active_figure, chosen.start, day, band) if charts_shown() else None
    if figure is None and (charts_shown() or not cached(db, dashboard.any_activity)):
        st.info("Add an application to see how many you have running each day.", icon=":material/work:")
        return
    draw(figure)
    st.caption(f"Active: applied for, not closed, and some activity in the last {settings.stale_after_days(db)} days. "
               "This chart follows the date range only: it is about your whole pipeline.")


def notes_section(db: Database, chosen: dashboard.Filters) -> None:
    st.subheader("What went well, what to improve")
    figures = cached(db, notes_figures, chosen) if charts_shown() else None
    noted = cached(db, dashboard.reflection_kinds, chosen) if figures is None else {
        kind for kind, figure in figures.items() if figure is not None}
    for kind in ("went_well", "to_improve"):
        if kind not in noted:
            what = "What went well" if kind == "went_well" else "What to improve"
            st.info(f"{what}: the items you note after each interview will show here, month by month.",
                    icon=":material/checklist:")
        elif figures is not None:
            draw(figures[kind])
    if figures is None and noted:
        st.caption("The items you note most often, month by month: turn on **Show the charts** above.")


def thank_you_section(db: Database) -> None:
    st.subheader(f"Thank-you notes within {hours(rules.THANK_YOU_WITHIN)}")
    words, figure = cached(db, thank_you_view, clock.now().replace(second=0, microsecond=0), charts_shown())
    if words is None:
        st.info(f"Each interview's thank-you (sent within {hours(rules.THANK_YOU_WITHIN)}, late, or not at all) "
                "will show here by month.", icon=":material/mail:")
        return
    st.markdown(words)
    if figure is not None:
        draw(figure)


def prepare(db: Database) -> None:
    """Work out what the page's first view reads through `cached`, with its default filters and
    the charts as last left (setting `dashboard_charts`): lib.ui.prepare_in_background runs this
    after a write, so the view that follows finds each section ready. It must ask exactly what the
    sections ask (tests/test_pages_dashboard.py checks the page then computes nothing new)."""
    prepare_queue(db)  # first: it may index new wordings, a write
    choices = cached(db, dashboard.filter_choices)
    today, band = settings.today(db), settings.target_band(db)
    cached(db, active_applications_on, today)
    if choices.interviews == 0:  # nothing_yet: the running-at-once section, without its toggle
        cached(db, dashboard.any_activity)
        return
    chosen, charts_on = default_filters(choices), settings.get(db, "dashboard_charts") == "1"
    trend = cached(db, dashboard.score_trend, chosen)
    cached(db, dashboard.question_groups, chosen)
    cached(db, calibration_view, chosen.start, min(chosen.end or today, today), charts_on)
    cached(db, thank_you_view, clock.now().replace(second=0, microsecond=0), charts_on)
    if charts_on:
        if trend.interviews:
            cached(db, scores_figure, chosen)
        cached(db, active_figure, chosen.start, today, band)
        cached(db, notes_figures, chosen)
    else:
        cached(db, dashboard.any_activity)
        cached(db, dashboard.reflection_kinds, chosen)


def default_filters(choices: dashboard.FilterChoices) -> dashboard.Filters:
    """What `filters` gives before any widget is touched: every interview, all applications and stages."""
    return dashboard.Filters(start=choices.first_day, end=choices.last_day,
                             interview_days=(choices.first_day, choices.last_day))


def nothing_yet(db: Database) -> None:
    """Before any interview: what the page will show, the ways in, and the applications running at once."""
    st.info("Nothing to chart yet. Once you have debriefed a few interviews, this page shows your self-scores over "
            "time, the questions that keep coming back and how you answer them, whether your self-scores line up "
            "with moving on, how many applications you have running at once, and what you keep noting as going "
            "well or to improve.", icon=":material/insights:")
    st.page_link(DEBRIEF_PAGE, label="Debrief an interview", icon=":material/edit_note:")
    st.page_link(IMPORT_PAGE, label="Import a spreadsheet", icon=":material/upload_file:")
    st.page_link("app.py", label="Or load sample data from the home page", icon=":material/science:")
    pipeline_section(db, dashboard.Filters())
