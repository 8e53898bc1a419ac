"""Widgets of the prepare page: the application picker (with `?application=ID`) and the cards.

Keys are constants so that tests drive the page by the same names.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import prepare, review
from ..db import Database
from . import format_when, inert
from .review import note_widget_key, tick

P = "prepare"
APPLICATION, DOWNLOAD = f"{P}.application", f"{P}.download"
QUERY_PARAM = "application"


# Cached per state of the database and per minute (lib.ui.cached): "now" decides which rounds are
# earlier and which is next, and a minute's grace on that is worth a page that reruns at once.
def choices_at(db: Database, minute: dt.datetime, include_id: int | None) -> pd.DataFrame:
    return prepare.choices(db, now=minute, include_id=include_id)


def sheet_at(db: Database, application_id: int, today: dt.date, minute: dt.datetime) -> prepare.PrepSheet | None:
    return prepare.prep_sheet(db, application_id, today, now=minute)


def pick_application(choices: pd.DataFrame) -> int | None:
    """The picker; `?application=ID` in the address preselects one, and the address follows the pick.

    Without a valid one, the top choice (an open application with the soonest interview) is picked."""
    ids = [int(i) for i in choices["id"]]
    labels = dict(zip(ids, choices["label"]))
    state = st.session_state
    wanted = query_id()
    if APPLICATION not in state or state[APPLICATION] not in ids:
        state[APPLICATION] = wanted if wanted in ids else ids[0]
    picked = st.selectbox("Application", ids, format_func=labels.get, key=APPLICATION,
                          help="Open applications first, those with an interview coming up at the top; "
                          "closed ones last.")
    if picked is not None and query_id() != picked:
        st.query_params[QUERY_PARAM] = str(picked)  # a link to this page opens on the same application
    return picked


def query_id() -> int | None:
    """The application id in the address (`?application=ID`), if it is a number."""
    value = st.query_params.get(QUERY_PARAM)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def next_interview(sheet: prepare.PrepSheet) -> None:
    nxt = sheet.next_interview
    days = (nxt.starts_local.date() - sheet.today).days
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    what = prepare.round_label(nxt.round, nxt.stage, None) + (f" · {nxt.format}" if nxt.format else "")
    lines = [f"**Next interview: {inert(format_when(nxt.starts_local))}** ({when}) · {inert(what)}"]
    if nxt.interviewers:
        lines.append(f"With {inert(nxt.interviewers)}")
    if nxt.key_topics:
        lines.append(f"Topics: {inert(nxt.key_topics)}")
    st.info("  \n".join(lines), icon=":material/event:")


def round_card(sheet: prepare.PrepSheet, row, *, expanded: bool) -> None:
    """One earlier round: its questions, your answer notes and scores."""
    asked = sheet.questions[sheet.questions["interview_id"] == row.interview_id]
    average = f" · average {row.mean_score:.1f}/10" if not pd.isna(row.mean_score) else ""
    count = f" · {len(asked)} question{'s' if len(asked) != 1 else ''}"
    with st.expander(f"**{inert(row.label)}**{count}{average}", expanded=expanded):
        if row.key_topics:
            st.caption(f"Topics: {inert(row.key_topics)}")
        if asked.empty:
            st.caption("No questions noted for this round.")
        for question in asked.itertuples():
            note = inert(question.answer_note) if question.answer_note else ":gray[(no note)]"
            st.markdown(f"**{question.score}/10** · {inert(question.wording)}  \n:gray[Your answer:] {note}")


def weak_card(number: int, group) -> None:
    """A weak recurring question with your best interview answer and best practice answer."""
    with st.container(border=True):
        here = "  :orange-badge[asked here before]" if group.asked_here else ""
        st.markdown(f"**{number}. {inert(group.canonical)}**{here}")
        st.caption(f"Asked in {group.times_asked} interviews · average {group.avg_score:.1f} · "
                   f"last {group.last_score}")
        left, right = st.columns(2)
        with left:
            if _known(group.best_score):
                st.markdown(f"Best in an interview: **{int(group.best_score)}/10**  \n"
                            f":gray[{_day(group.best_day)} · {inert(group.best_company)}]")
                st.text(group.best_answer or "(no note)")
        with right:
            if _known(group.practice_score):
                st.markdown(f"Best practice: **{int(group.practice_score)}/10**  \n:gray[{_day(group.practice_on)}]")
                st.text(group.practice_answer)
            else:
                st.caption("No practice answer yet: write a better one in a review session.")


def note_line(db: Database, note) -> None:
    """A note to self, with a checkbox that ticks it off as worked on (the same store as the review's)."""
    where = " · from this application" if note.from_here else ""
    key = note_widget_key(note.note_key, "prepare")
    st.checkbox(f"{inert(note.note)}  \n:gray[{review.noted(note.times, note.last_day)} · "
                f"{inert(note.companies)}{where}]", value=bool(note.worked_on), key=key, on_change=tick,
                args=(db, list(note.interview_ids), note.note_key, key))


def _known(value) -> bool:
    return value is not None and not pd.isna(value)


def _day(value: dt.date | None) -> str:
    return f"{value:%d %b %Y}" if value else ""
