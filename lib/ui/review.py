"""Widgets of the review page: practising a weak question, ticking off notes, finishing the review.

Writes happen in callbacks; keys are constants (or built by the functions here) so that tests
drive the page by the same names.
"""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from .. import charts, review, summary
from ..applications import ValidationError
from ..db import Database
from . import cached, flash, inert, on_request, opened
from .tables import score_column, shown

P = "review"
FOCUS, FINISH, FINISHED = f"{P}.focus", f"{P}.finish", f"{P}.finished"
DOWNLOAD_MD, DOWNLOAD_HTML = f"{P}.download_md", f"{P}.download_html"
ANSWERS_SIDE_BY_SIDE = 4
ANSWERS_LISTED = 200   # the table and the chart show the latest 200 answers of a question, at most
NOTES_SHOWN = 20


def answer_key(group_id: int) -> str:
    return f"{P}.answer.{group_id}"


def score_key(group_id: int) -> str:
    return f"{P}.score.{group_id}"


def chart_key(group_id: int) -> str:
    return f"{P}.chart_on.{group_id}"


def save_key(group_id: int) -> str:
    return f"{P}.save.{group_id}"


def note_widget_key(note_key: str, page: str = P) -> str:
    """The checkbox key of one improvement note on `page` (the review's by default)."""
    return f"{page}.note.{hashlib.sha1(note_key.encode()).hexdigest()[:12]}"


def _errors_key(group_id: int) -> str:
    return f"{P}.errors.{group_id}"


# -- practising one weak question --------------------------------------------------------------------

def practise_card(db: Database, number: int, group) -> None:
    """Past answers side by side, the practice chart on request, and the form for a better answer."""
    st.markdown(f"#### {number}. {inert(group.canonical)}")
    st.caption(f"Asked in {group.times_asked} interviews · average {group.avg_score:.1f} · last {group.last_score}")
    answers = cached(db, review.past_answers, int(group.group_id))
    attempts = cached(db, review.practice_attempts, (int(group.group_id),)).head(ANSWERS_LISTED)
    total, answers = len(answers), answers.head(ANSWERS_LISTED)
    recent = answers.head(ANSWERS_SIDE_BY_SIDE)
    for column, answer in zip(st.columns(ANSWERS_SIDE_BY_SIDE), recent.itertuples()):
        with column.container(border=True):
            st.markdown(f"**{answer.score}/10** · {answer.day:%d %b %Y}")
            st.caption(inert(answer.company))
            st.text(answer.answer_note if isinstance(answer.answer_note, str) and answer.answer_note else "(no note)")
    if len(answers) > len(recent):
        label = f"All {total} answers" if total == len(answers) else f"The latest {len(answers)} of your {total:,} answers"
        if box := opened(label, f"{P}.answers_open.{group.group_id}"):
            box.dataframe(shown(answers, dates=["day"], texts=["company", "wording", "answer_note"])
                          [["score", "day", "company", "wording", "answer_note"]], hide_index=True,
                          column_config={"day": "Day", "company": "Company", "wording": "Asked as",
                                         "score": score_column(), "answer_note": "Your answer"})
    # On request: the scores are above in words and side by side; the chart alone would load Plotly (docs/performance.md).
    if on_request("Chart your interview and practice scores", chart_key(group.group_id)):
        st.plotly_chart(charts.practice_vs_interview(answers, attempts, "Your scores: interviews and practice, kept apart"),
                        width="stretch", config={"displaylogo": False}, key=f"{P}.chart.{group.group_id}")
    if (best := review.best_practice(attempts)) is not None:
        st.caption(f"Your best practice so far ({best.score}/10, {best.practiced_on:%d %b}):")
        st.text(best.answer)
    with st.form(f"{P}.form.{group.group_id}", border=False):
        st.text_area("A better answer", key=answer_key(group.group_id), max_chars=review.MAX_ANSWER,
                     placeholder="Write the answer you wish you had given: situation, what you did, the result.")
        st.segmented_control("Practice self-score", list(range(1, 11)), key=score_key(group.group_id),
                             help="How good is this answer, 1 to 10? Stored as practice, apart from interview scores.")
        st.form_submit_button("Save practice attempt", key=save_key(group.group_id), on_click=save_practice,
                              args=(db, int(group.group_id), group.canonical), icon=":material/fitness_center:")
    for message in st.session_state.pop(_errors_key(group.group_id), {}).values():
        st.error(message)


def save_practice(db: Database, group_id: int, wording: str) -> None:
    state = st.session_state
    try:
        review.save_practice(db, group_id, wording, state.get(answer_key(group_id), ""), state.get(score_key(group_id)))
    except ValidationError as problem:
        state[_errors_key(group_id)] = problem.errors  # the text stays in the box
        return
    state[answer_key(group_id)] = ""
    state[score_key(group_id)] = None
    flash("Practice attempt saved. It is charted as practice, never mixed with your interview scores.")


# -- improvement notes -------------------------------------------------------------------------------

def note_checkboxes(db: Database, notes: pd.DataFrame) -> None:
    """One checkbox per folded note; ticking stores it at once."""
    for note in notes.head(NOTES_SHOWN).itertuples():
        st.checkbox(f"{inert(note.note)}  \n:gray[{review.noted(note.times, note.last_day)} · {inert(note.companies)}]",
                    value=bool(note.worked_on), key=note_widget_key(note.note_key), on_change=tick,
                    args=(db, list(note.interview_ids), note.note_key, note_widget_key(note.note_key)))
    if len(notes) > NOTES_SHOWN:
        st.caption(f"And {len(notes) - NOTES_SHOWN} more, older or noted less often.")


def tick(db: Database, interview_ids: list[int], note_key: str, widget_key: str) -> None:
    """A note's checkbox (`widget_key`) was ticked or cleared: store it at once."""
    done = bool(st.session_state[widget_key])
    review.set_worked_on(db, interview_ids, note_key, done)
    flash("Ticked off: worked on." if done else "Back on your list.")


# -- finishing -----------------------------------------------------------------------------------------

def finish_form(db: Database) -> None:
    with st.form(FINISH, border=False):
        st.text_area("What will you work on before the next review?", key=FOCUS, max_chars=review.MAX_FOCUS,
                     placeholder="One or two things, e.g. 'Name my salary number first'.")
        st.form_submit_button("Finish review", type="primary", on_click=finish, args=(db,), icon=":material/flag:")
    if message := st.session_state.pop(f"{FINISH}.error", None):
        st.error(message)


def finish(db: Database) -> None:
    try:
        review_id = review.finish_review(db, st.session_state.get(FOCUS, ""))
    except ValidationError as problem:
        st.session_state[f"{FINISH}.error"] = "; ".join(problem.errors.values())
        return
    st.session_state[FINISHED] = review_id
    flash("Review saved. Your next review starts from here.")


def summary_downloads(db: Database, review_id: int | None) -> None:
    """Markdown and print-ready HTML, built when clicked."""
    stem = "debrief-review"
    left, right = st.columns(2)
    left.download_button("Summary (Markdown)", lambda: summary.as_markdown(summary.build_summary(db, review_id=review_id)),
                         file_name=f"{stem}.md", mime="text/markdown", key=DOWNLOAD_MD, on_click="ignore",
                         icon=":material/description:")
    right.download_button("Summary (print-ready HTML)",
                          lambda: summary.as_html(summary.build_summary(db, review_id=review_id)),
                          file_name=f"{stem}.html", mime="text/html", key=DOWNLOAD_HTML, on_click="ignore",
                          icon=":material/print:")
