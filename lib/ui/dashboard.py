"""Widgets of the dashboard page: the filters, the settings form and the question-group detail.

Keys are constants here so that tests drive the page by the same names.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import calibration, charts, dashboard, rules, settings
from ..db import Database
from ..questions import GroupingError, groups_frame, merge_groups, split_question
from . import flash, inert
from .tables import days, score_column, shown
from ..words import hours, plural

DATES, APPLICATIONS, STAGES = "dashboard.dates", "dashboard.applications", "dashboard.stages"
SCORE_VIEW, ONLY_WEAK, GROUP = "dashboard.score_view", "dashboard.only_weak", "dashboard.group"
MERGE_WITH, MERGE, SPLIT_PICK, SPLIT = "dashboard.merge_with", "dashboard.merge", "dashboard.split_pick", "dashboard.split"
SETTINGS = "dashboard.settings"
SETTING_KEYS = ("target_low", "target_high", "stale_after_days", "min_times", "weak_below")
MAX_GROUP_CHOICES = 500


def scores_figure(db: Database, chosen: dashboard.Filters):
    """Interview means, each answer faint behind them, and the 30-day trend once there is enough for one."""
    scores = dashboard.interview_scores(db, chosen)
    enough = not scores.empty and dashboard.enough_for_trend(len(scores), scores["day"].min(), scores["day"].max())
    return charts.scores_over_time(dashboard.score_points(scores), dashboard.question_score_cloud(db, chosen),
                                   dashboard.rolling_trend(scores if enough else scores.iloc[:0]))


def category_figure(db: Database, chosen: dashboard.Filters):
    return charts.category_scores(dashboard.category_scores(db, chosen))


def active_figure(db: Database, start: dt.date | None, day: dt.date, band: tuple[int, int]):
    per_day = dashboard.active_per_day(db, start, day)
    return None if per_day.empty else charts.active_applications(per_day, band)


def notes_figures(db: Database, chosen: dashboard.Filters) -> dict:
    """{kind: heatmap or None} for went_well and to_improve."""
    items = dashboard.reflections_over_time(db, chosen)
    titles = {"went_well": "What went well, most noted", "to_improve": "What to improve, most noted"}
    return {kind: None if items[items["kind"] == kind].empty else charts.reflections(items[items["kind"] == kind], title)
            for kind, title in titles.items()}


def thank_you_view(db: Database, minute: dt.datetime) -> tuple[str | None, object]:
    """(a sentence on thank-yous sent in time, figure) at `minute`; (None, None) before any interview.

    Cached per minute (lib.ui.cached): an interview's window closes by the clock, not by a write."""
    timeline = dashboard.thank_you_timeline(db, minute)
    if timeline.empty:
        return None, None
    return thank_you_words(timeline), charts.thank_you_timeline(timeline)


def thank_you_words(timeline: pd.DataFrame) -> str:
    """'80% of your interviews had a thank-you within 24 hours; 1 is not due yet.'"""
    within = hours(rules.THANK_YOU_WITHIN)
    waiting = int((timeline["status"] == "not_due").sum())
    rate = dashboard.thank_you_rate(timeline)
    if rate is None:
        return (f"No thank-you is due yet: {plural(waiting, 'interview')} started less than {within} ago. "
                "Send a thank-you before the time runs out.")
    words = f"{rate:.0%} of your interviews had a thank-you within {within}"
    return words + (f"; {plural(waiting, 'interview')} started less than {within} ago, not counted yet."
                    if waiting else ".")


def calibration_view(db: Database, since: dt.date | None, as_of: dt.date):
    """(Calibration, figure or None, score-band table): the chart once an interview is on each side.

    Counting needs no names; the dots' hover text does, so they are fetched only when every
    interview gets a dot of its own (few enough), which keeps 100k interviews to one lean query."""
    outcomes = calibration.interview_outcomes(db, as_of, since=since, labels=False)
    summary = calibration.summarize(outcomes)
    if not (summary.advanced and summary.stopped):
        return summary, None, None
    if summary.advanced + summary.stopped <= calibration.MAX_CHART_POINTS:
        outcomes = calibration.interview_outcomes(db, as_of, since=since)
    bands = pd.DataFrame({"Average self-score": [band.label for band in summary.bands],
                          "Advanced": [band.advanced for band in summary.bands],
                          "Didn't advance": [band.stopped for band in summary.bands],
                          "Advanced, of those answered": ["–" if band.rate is None else f"{band.rate:.0%}"
                                                          for band in summary.bands]})
    return summary, charts.calibration(calibration.chart_points(outcomes), summary), bands


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
    with st.expander("Settings: target, ghosting, recurring and weak questions", icon=":material/tune:"):
        with st.form(SETTINGS, border=False):
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
