"""Interviews: every debrief, grouped by application so that a series of rounds reads as one story."""
import pandas as pd
import streamlit as st

from lib import settings
from lib.clock import to_local
from lib.debriefs import delete_interview, list_interviews, load_debrief
from lib.ui import DEBRIEF_PAGE, flash, format_when, get_db, inert, page_header, show_flash
from lib.ui.tables import score_column, shown
from lib.words import plural

MAX_APPLICATIONS = 30
SEARCH, OPEN, CONFIRM_DELETE = "interviews.search", "interviews.open", "interviews.confirm_delete"

page_header("Interviews", "Newest first, grouped by application. Open one to read it, edit it or delete it.")
db = get_db()
show_flash()
time_zone = settings.time_zone(db)
s = st.session_state


def delete(interview_id: int) -> None:
    delete_interview(db, interview_id)
    s.pop(CONFIRM_DELETE, None)
    flash("Interview deleted.", icon=":material/delete:")


def show_details(interview_id: int) -> None:
    debrief = load_debrief(db, interview_id)
    if debrief is None:
        st.warning("This interview no longer exists.")
        return
    if debrief.questions:
        questions = pd.DataFrame([{"Score": q.score, "Question": q.wording, "Your answer": q.answer_note,
                                   "Kind": q.category} for q in debrief.questions])
        st.dataframe(shown(questions, texts=["Question", "Your answer", "Kind"]), hide_index=True, width="stretch",
                     column_config={"Score": score_column(), "Question": st.column_config.TextColumn(width="medium"),
                                    "Your answer": st.column_config.TextColumn(width="large"),
                                    "Kind": st.column_config.TextColumn(width="small")})
    for label, items in (("Went well", debrief.went_well), ("To improve", debrief.to_improve)):
        if items:
            st.markdown(f"**{label}:** " + "; ".join(inert(i) for i in items))
    for label, text in (("Key topics", debrief.key_topics), ("Next steps", debrief.next_steps),
                        ("Timeline given", debrief.timeline_given)):
        if text:
            st.markdown(f"**{label}:** {inert(text)}")


def show_interview(row) -> None:
    when = format_when(to_local(row.starts_at.to_pydatetime(), row.time_zone))
    title = " · ".join(str(p) for p in (f"Round {row.round}" if pd.notna(row.round) else None, row.stage,
                                          row.format) if p is not None and not pd.isna(p) and p != "")
    score = f"average {row.mean_score:.1f}/10 over {plural(row.questions, 'question')}" if row.questions else "no questions noted"
    with st.container(border=True):
        st.markdown(f"**{inert(when)}** — {inert(title) or 'interview'}" + (" · _sample_" if row.is_sample else ""))
        st.caption(f"{score}" + (f" · with {inert(row.interviewers)}" if row.interviewers else ""))
        opened = s.get(OPEN) == row.interview_id
        buttons = st.columns([1, 1, 1, 3])
        buttons[0].button("Close" if opened else "Open", key=f"interviews.{row.interview_id}.open",
                          on_click=lambda: s.update({OPEN: None if opened else row.interview_id}))
        if buttons[1].button("Edit", key=f"interviews.{row.interview_id}.edit"):
            st.switch_page(DEBRIEF_PAGE, query_params={"interview": str(row.interview_id)})
        buttons[2].button("Delete", key=f"interviews.{row.interview_id}.delete",
                          on_click=lambda: s.update({CONFIRM_DELETE: row.interview_id}))
        if s.get(CONFIRM_DELETE) == row.interview_id:
            st.warning(f"Delete this interview and its {plural(row.questions, 'question')}? This cannot be undone.")
            yes, no = st.columns(2)
            yes.button("Yes, delete it", type="primary", key=f"interviews.{row.interview_id}.confirm",
                       on_click=delete, args=(row.interview_id,))
            no.button("Keep it", key=f"interviews.{row.interview_id}.cancel", on_click=lambda: s.pop(CONFIRM_DELETE))
        if opened:
            show_details(row.interview_id)


search = st.text_input("Find a company or role", key=SEARCH, max_chars=200)
interviews = list_interviews(db, search=search, max_applications=MAX_APPLICATIONS)
if interviews.empty:
    st.info("No interviews match." if search else "No debriefs yet. Right after your next interview, "
            "take five minutes to write one; or load the sample data from the home page to look around.")
    st.page_link(DEBRIEF_PAGE, label="Debrief an interview", icon=":material/edit_note:")
for _, rounds in interviews.groupby("application_id", sort=False):
    first = rounds.iloc[0]
    st.subheader(f"{inert(first.company)} – {inert(first.role) or 'no role'}")
    st.caption(f"Status: {first.status} · {plural(len(rounds), 'interview')}")
    for row in rounds.itertuples():
        show_interview(row)
if interviews.application_id.nunique() == MAX_APPLICATIONS:
    st.caption(f"Showing the {MAX_APPLICATIONS} applications with the most recent interviews; search to find older ones.")
