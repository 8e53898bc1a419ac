"""Dashboard: am I getting better, which questions keep hurting me, am I running two or three applications?"""
import streamlit as st

from lib import clock, dashboard, rules, settings
from lib.applications import active_applications_on, pipeline_message
from lib.calibration import calibration_sentence
from lib.ui.asked_before import repeats_queue
from lib.ui import DEBRIEF_PAGE, IMPORT_PAGE, cached, get_db, page_header, show_flash
from lib.ui.dashboard import (GROUP, ONLY_WEAK, SCORE_VIEW, active_figure, calibration_view, category_figure,
                              filters, group_detail, notes_figures, scores_figure, settings_form, thank_you_view)
from lib.ui.tables import shown as as_shown
from lib.words import hours

page_header("Dashboard", "The pattern across your interviews: for a review session with yourself or your coach.",
            layout="wide")
db = get_db()
show_flash()


def draw(figure) -> None:
    st.plotly_chart(figure, width="stretch", config={"displaylogo": False})


def scores_section(chosen: dashboard.Filters) -> None:
    st.subheader("Self-scores over time")
    trend = cached(db, dashboard.score_trend, chosen)
    st.markdown(dashboard.trend_sentence(trend))
    if trend.interviews == 0:
        st.info("No scored interview matches these filters. The chart shows the average self-score of each "
                "interview, each answer faint behind it, and a 30-day trend.", icon=":material/show_chart:")
        return
    view = st.segmented_control("View", ["Overall", "By kind of question"], key=SCORE_VIEW, default="Overall")
    draw(cached(db, category_figure, chosen) if view == "By kind of question" else cached(db, scores_figure, chosen))


def questions_section(chosen: dashboard.Filters) -> None:
    st.subheader("Questions that keep coming back")
    min_times, weak_below = settings.min_times(db), settings.weak_below(db)
    st.caption(f"The same question in different words counts once. Recurring: asked in {min_times} interviews or "
               f"more. Weak: an average below {weak_below:g}.")
    groups = cached(db, dashboard.question_groups, chosen)
    if groups.empty:
        st.info(f"No question has come up in {min_times} different interviews yet. When one does, it appears here "
                "with its average, last score and trend. Note every question you are asked.", icon=":material/quiz:")
        return
    shown = groups[groups["weak"]] if st.toggle("Only weak questions", value=True, key=ONLY_WEAK) else groups
    if shown.empty:
        st.success(f"None of your {len(groups)} recurring questions is weak: every average is {weak_below:g} or more.",
                   icon=":material/thumb_up:")
        shown = groups
    st.dataframe(
        as_shown(shown, texts=["category"])
        .assign(trend=shown["recent_scores"].map(lambda scores: list(reversed(scores))).to_numpy(),
                wordings=shown["variants"].map(len).to_numpy())
        [["canonical", "times_asked", "avg_score", "last_score", "trend", "wordings", "category"]],
        hide_index=True, width="stretch",
        column_config={"canonical": "Question", "times_asked": "Asked", "category": "Kind",
                       "avg_score": st.column_config.NumberColumn("Average", format="%.1f"),
                       "last_score": "Last", "wordings": "Wordings",
                       "trend": st.column_config.LineChartColumn("Trend (last 20)", y_min=1, y_max=10)})
    labels = dict(zip(shown["group_id"], shown["canonical"]))
    picked = st.selectbox("See every answer you gave to…", list(labels), key=GROUP, index=None,
                          format_func=lambda g: labels[g], placeholder="Pick a question")
    if picked is not None:
        group_detail(db, groups, picked, chosen)


def repeats_section() -> None:
    st.subheader("Possible repeats to confirm")
    st.caption("Questions that came in without you typing them (an import, older entries) and look alike. "
               "Say whether each pair is one question; the answers that would change your weak questions come first.")
    repeats_queue(db)


def calibration_section(chosen: dashboard.Filters) -> None:
    st.subheader("Do your self-scores predict the next round?")
    today = settings.today(db)
    summary, figure, bands = cached(db, calibration_view, chosen.start, min(chosen.end or today, today))
    if summary.interviews == 0:
        st.info("No scored interview in these dates yet. Here you will see whether the interviews you scored higher "
                "are the ones that moved on: the average self-score of those that advanced beside those that didn't. "
                "Score each answer when you debrief, and record their answers (next round, offer, a no) on "
                "Thank-yous & follow-ups.", icon=":material/balance:")
        return
    st.markdown(calibration_sentence(summary))
    st.markdown(f"**{summary.advanced}** advanced · **{summary.stopped}** didn't advance · **{summary.waiting}** "
                f"waiting for an answer · **{summary.withdrawn}** withdrawn")
    if figure is None:
        st.info("The chart appears once at least one interview has advanced and one hasn't: each interview's "
                "average self-score as a dot, the two groups side by side.", icon=":material/balance:")
    else:
        draw(figure)
        st.dataframe(bands, hide_index=True, width="content")
    st.caption("Advanced: a later interview, a next round or an offer. Didn't: a no, or silence (ghosted) "
               "after the last interview. Waiting and withdrawn are counted but not compared. This section follows "
               "the date range only: within one company or stage there are too few interviews to tell. A pattern "
               "in your own history, not proof that a score causes anything.")


def pipeline_section(chosen: dashboard.Filters) -> None:
    st.subheader("Applications running at once")
    band, day = settings.target_band(db), settings.today(db)
    active = active_applications_on(db, day)
    left, right = st.columns([1, 3])
    left.metric("Active today", active, help=f"Your target is {band[0]}–{band[1]} at once")
    right.markdown(pipeline_message(active, band))
    figure = cached(db, active_figure, chosen.start, day, band)
    if figure is None:
        st.info("Add an application to see how many you have running each day.", icon=":material/work:")
        return
    draw(figure)
    st.caption(f"Active: applied for, not closed, and some activity in the last {settings.stale_after_days(db)} days. "
               "This chart follows the date range only: it is about your whole pipeline.")


def notes_section(chosen: dashboard.Filters) -> None:
    st.subheader("What went well, what to improve")
    for kind, figure in cached(db, notes_figures, chosen).items():
        if figure is None:
            what = "What went well" if kind == "went_well" else "What to improve"
            st.info(f"{what}: the items you note after each interview will show here, month by month.",
                    icon=":material/checklist:")
        else:
            draw(figure)


def thank_you_section() -> None:
    st.subheader(f"Thank-you notes within {hours(rules.THANK_YOU_WITHIN)}")
    words, figure = cached(db, thank_you_view, clock.now().replace(second=0, microsecond=0))
    if figure is None:
        st.info(f"Each interview's thank-you (sent within {hours(rules.THANK_YOU_WITHIN)}, late, or not at all) "
                "will show here by month.", icon=":material/mail:")
        return
    st.markdown(words)
    draw(figure)


choices = cached(db, dashboard.filter_choices)
if choices.interviews == 0:
    st.info("Nothing to chart yet. Once you have debriefed a few interviews, this page shows your self-scores over "
            "time, the questions that keep coming back and how you answer them, whether your self-scores line up "
            "with moving on, how many applications you have running at once, and what you keep noting as going "
            "well or to improve.", icon=":material/insights:")
    st.page_link(DEBRIEF_PAGE, label="Debrief an interview", icon=":material/edit_note:")
    st.page_link(IMPORT_PAGE, label="Import a spreadsheet", icon=":material/upload_file:")
    st.page_link("app.py", label="Or load sample data from the home page", icon=":material/science:")
    pipeline_section(dashboard.Filters())
else:
    chosen = filters(choices)
    scores_section(chosen)
    questions_section(chosen)
    repeats_section()
    calibration_section(chosen)
    pipeline_section(chosen)
    notes_section(chosen)
    thank_you_section()
settings_form(db)
