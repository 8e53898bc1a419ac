"""Review session: about fifteen minutes to look back, practise the weakest questions and plan."""
import streamlit as st

from lib import review, settings
from lib.ui import DEBRIEF_PAGE, FOLLOW_UPS_PAGE, PREPARE_PAGE, cached, get_db, inert, opened, page_header, show_flash
from lib.ui.tables import shown
from lib.ui.review import FINISHED, finish_form, note_checkboxes, practise_card, summary_downloads

page_header("Review session", "About fifteen minutes, once a week or between interviews: look back, practise, "
            "plan. Work down the five steps.")
db = get_db()
show_flash()
today = settings.today(db)


def since_step() -> None:
    st.header("1 · Since your last review", anchor="since")
    st.caption("About 2 minutes")
    since = review.since_last_review(db)
    if since.last and since.last.focus:
        st.info(f"Last time you planned to work on: {inert(since.last.focus)}", icon=":material/flag:")
    for sentence in review.since_sentences(since, today):
        st.markdown(sentence)
    trend = since.trend
    left, middle, right = st.columns(3)
    left.metric("Interviews held", since.held)
    middle.metric("Average self-score", "–" if trend.mean_score is None else f"{trend.mean_score:.1f}",
                  delta=None if trend.mean_score is None or since.mean_before is None
                  else round(trend.mean_score - since.mean_before, 1))
    right.metric("Practice attempts", since.practised)


def practise_step() -> None:
    st.header("2 · Practise your weakest questions", anchor="practise")
    st.caption("About 8 minutes: read your past answers side by side, then write a better one and score it.")
    weakest = cached(db, review.weakest_questions)
    if weakest.empty:
        if cached(db, review.recurring_count) == 0:
            st.info(f"No question has come up in {settings.min_times(db)} interviews yet. When one does and your "
                    "answers score low, it comes here to practise.", icon=":material/quiz:")
        else:
            st.success(f"No question you have been asked {settings.min_times(db)} times or more averages below "
                       f"{settings.weak_below(db):g}. Nothing to practise urgently: well done.",
                       icon=":material/thumb_up:")
        st.page_link(DEBRIEF_PAGE, label="Keep noting every question you are asked", icon=":material/edit_note:")
        return
    if len(weakest) < review.WEAKEST_SHOWN:
        st.caption(f"Only {len(weakest)} of your recurring questions average{'s' if len(weakest) == 1 else ''} "
                   f"below {settings.weak_below(db):g}: practise {'it' if len(weakest) == 1 else 'those'}.")
    for number, group in enumerate(weakest.itertuples(), 1):
        with st.container(border=True):
            practise_card(db, number, group)


def notes_step() -> None:
    st.header("3 · Your improvement notes", anchor="notes")
    st.caption(f"About 3 minutes. From the last {review.RECENT_DAYS} days; tick each one you have worked on.")
    notes = cached(db, review.improvement_notes, today)
    if notes.empty:
        st.info("No 'to improve' notes from recent interviews. After each interview, note one or two things to "
                "improve on the Debrief page: they come back here.", icon=":material/checklist:")
        return
    note_checkboxes(db, notes)


def pipeline_step() -> None:
    st.header("4 · Your pipeline", anchor="pipeline")
    st.caption("About 1 minute")
    pipe = cached(db, review.pipeline, today)
    left, right = st.columns([1, 3])
    left.metric("Active applications", pipe.active, help=f"Your target is {pipe.band[0]}–{pipe.band[1]} at once")
    right.markdown(pipe.message)
    if not pipe.follow_ups:
        st.markdown("No follow-up is due.")
    for item in pipe.follow_ups:
        if item.suggest_moving_on:
            st.markdown(f"- **{inert(item.company)}**: two follow-ups unanswered. Time to move on.")
        else:
            st.markdown(f"- **{inert(item.company)}**: follow up, due {item.due:%a %d %b}.")
    st.page_link(FOLLOW_UPS_PAGE, label="Thank-yous & follow-ups", icon=":material/schedule_send:")
    st.page_link(PREPARE_PAGE, label="Prepare for your next interview", icon=":material/school:")


def finish_step() -> None:
    st.header("5 · Finish and take the summary with you", anchor="finish")
    st.caption("About 1 minute. Finishing stores today's date: your next review starts from here.")
    finished = st.session_state.get(FINISHED)
    if finished is not None and (done := review.get_review(db, finished)) is not None:
        st.success(f"Review saved on {done.held_on:%a %d %b %Y}. Download its one-page summary:",
                   icon=":material/flag:")
        summary_downloads(db, finished)
        return
    finish_form(db)
    st.caption("Or download a summary of the review so far, without finishing it:")
    summary_downloads(db, None)


since_step()
practise_step()
notes_step()
pipeline_step()
finish_step()
past = review.list_reviews(db)
if not past.empty:
    if box := opened(f"Your reviews ({len(past)})", "review.past_open"):
        box.dataframe(shown(past, dates=["held_on"], texts=["focus"])[["held_on", "focus"]], hide_index=True,
                      column_config={"held_on": "Held on", "focus": "To work on next"})
