"""Prepare for an interview: what they asked before, your weak spots and best answers, who you met."""
import streamlit as st

from lib import clock, prepare, settings
from lib.ui import APPLICATIONS_PAGE, DEBRIEF_PAGE, REVIEW_PAGE, cached, get_db, inert, page_header, show_flash
from lib.ui.prepare import (DOWNLOAD, choices_at, next_interview, note_line, pick_application, query_id, round_card,
                            sheet_at, weak_card)

page_header("Prepare for an interview", "Before you go back: reread what they asked, your weakest questions with "
            "your best answers so far, your notes to self, and who you will be talking to.")
db = get_db()
show_flash()
now = clock.now()
today = clock.local_day(now, settings.time_zone(db))
minute = now.replace(second=0, microsecond=0)

choices = cached(db, choices_at, minute, query_id())
if choices.empty:
    st.info("Pick an application here and this page gathers everything to reread before its next interview: the "
            "questions asked in earlier rounds, your weak spots with your best answers, and the people you met. "
            "You have no applications yet.", icon=":material/school:")
    st.page_link(APPLICATIONS_PAGE, label="Add an application", icon=":material/work:")
    st.page_link("app.py", label="Or load the sample data on the home page", icon=":material/science:")
    st.stop()

picked = pick_application(choices)
sheet = cached(db, sheet_at, picked, today, minute)
if sheet is None:  # deleted in another tab since the picker was drawn
    st.warning("That application no longer exists. Pick another.", icon=":material/warning:")
    st.stop()


def coming_up() -> None:
    if sheet.next_interview is not None:
        next_interview(sheet)
    elif sheet.is_open:
        st.caption("No interview booked here yet. Once one is, record it on the Debrief page with its date and "
                   "time: it shows at the top of this page and on the home page.")
    else:
        st.caption(f"This application is {sheet.status}. Its notes are still worth a look before a similar role.")


def earlier_rounds() -> None:
    st.header("Asked in earlier rounds", anchor="asked")
    if sheet.rounds.empty:
        st.info(f"First round at {inert(sheet.company)}: nothing asked there yet. Here's what to practise: your weak "
                "questions below, and your openers (tell me about yourself, why this company, why this role).",
                icon=":material/flag:")
        return
    latest = sheet.rounds["interview_id"].iloc[-1]
    for row in sheet.rounds.iloc[::-1].itertuples():  # the latest round is the most telling: open
        round_card(sheet, row, expanded=row.interview_id == latest)


def people() -> None:
    st.header("Who you have met there", anchor="people")
    if sheet.interviewers.empty:
        ahead = sheet.next_interview is not None and sheet.next_interview.interviewers
        st.caption("Nobody yet" + (": the next interview above says who you will meet." if ahead else
                                   ". Note who you meet in each debrief: their names and positions come back here."))
        return
    for person in sheet.interviewers.itertuples():
        position = f" · {inert(person.position)}" if person.position else ""
        st.markdown(f":material/person: **{inert(person.name)}**{position}  \n:gray[{inert(person.met)}]")


def weak_spots() -> None:
    st.header("Your weak recurring questions", anchor="weak")
    if sheet.weak.empty:
        st.success(f"No question you have been asked {settings.min_times(db)} times or more averages below "
                   f"{settings.weak_below(db):g}. Reread your best answers above instead.", icon=":material/thumb_up:")
        return
    st.caption("Across your whole job search, weakest first, with the best answer you have given so far.")
    for number, group in enumerate(sheet.weak.itertuples(), 1):
        weak_card(number, group)
    st.page_link(REVIEW_PAGE, label="Practise them in a review session", icon=":material/self_improvement:")


def notes() -> None:
    st.header("Your notes to self", anchor="notes")
    if sheet.notes.empty:
        st.caption("No open improvement notes. After each interview, note one or two things to improve on the "
                   "Debrief page: they come back here before the next one.")
        st.page_link(DEBRIEF_PAGE, label="Debrief an interview", icon=":material/edit_note:")
        return
    st.caption("Open ones from recent interviews, and every one from this application's rounds.")
    for note in sheet.notes.itertuples():
        note_line(db, note)


coming_up()
people()
earlier_rounds()
weak_spots()
notes()
st.divider()
st.download_button("Download prep sheet (.md)", lambda: prepare.prep_markdown(sheet), key=DOWNLOAD,
                   file_name=f"prep-{sheet.application_id}.md", mime="text/markdown", on_click="ignore",
                   icon=":material/download:", type="primary")
