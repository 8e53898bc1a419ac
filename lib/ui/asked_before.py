"""'Asked before?' on the Debrief page, and the queue of possible repeats: Streamlit glue only.

The decisions and the ranking are in lib/questions/suggestions.py; this draws them.
"""
from __future__ import annotations

import zlib

import streamlit as st

from ..db import Database
from ..questions import index, suggestions
from ..questions.embedding import EmbeddingUnavailable
from ..questions.store import GroupingError
from . import cached, flash, inert

ANSWER_PREVIEW = 220          # characters of the earlier answer shown before "…"
# Above this many stored wordings the queue is worked out on a click, not on every dashboard view
# after a save (measured: ~0.6 s at 4,000 wordings, ~2 s at 10,000; docs/asked-before.md).
QUEUE_ON_CLICK_ABOVE = 3_000
LOOK_FOR_REPEATS = "repeats.look"


def same_key(row: int, group_id: int) -> str:
    return f"debrief.q.{row}.asked_before.{group_id}.same"


def different_key(row: int, group_id: int) -> str:
    return f"debrief.q.{row}.asked_before.{group_id}.different"


def queue_key(item: suggestions.PossibleRepeat, answer: str) -> str:
    if item.is_stray:
        return f"repeats.{item.group_id}.stray.{zlib.crc32(item.wording_key.encode())}.{answer}"
    return f"repeats.{item.group_id}.{item.other_group_id}.{answer}"


def _similar(db: Database, text: str, exclude_interview: int | None) -> list:
    return suggestions.similar(db, [text], exclude_interview=exclude_interview)[text]


def _decide(db: Database, text: str, group_id: int, same: bool) -> None:
    try:
        suggestions.decide(db, text, group_id, same=same)
    except GroupingError as problem:
        st.session_state["debrief.asked_before.error"] = str(problem)
        return
    flash("Marked as the same question: it will count with the earlier ones." if same
          else "Marked as a different question: it won't be suggested again.")


def asked_before(db: Database, row: int, text: str, exclude_interview: int | None) -> None:
    """Under a question box: up to three earlier questions like it, their score and answer, Same / Different.

    A weaker match (below suggestions.LIKELY) says "Perhaps asked before", so that a loose one is not
    presented as a sure one.
    """
    if not (text or "").strip():
        return
    try:
        found = cached(db, _similar, text.strip(), exclude_interview)
    except EmbeddingUnavailable as problem:
        st.caption(f"“Asked before?” is not available: {problem}")
        return
    problem = st.session_state.pop("debrief.asked_before.error", None)
    if problem:
        st.error(problem)
    for suggestion in found:
        when = f"{suggestion.last_asked_on:%d %b %Y}".lstrip("0")
        said = "Asked before:" if suggestion.likely else "Perhaps asked before:"
        line = (f"**{said}** *{inert(suggestion.last_wording)}*, {inert(suggestion.last_company)}, {when}, "
                f"**{suggestion.last_score}/10**")
        if suggestion.times_asked > 1:
            line += f" (asked {suggestion.times_asked} times, average {suggestion.avg_score:.1f})"
        with st.container(border=True):
            st.markdown(line)
            answer = suggestion.last_answer.strip()
            if answer:
                shown = answer if len(answer) <= ANSWER_PREVIEW else answer[:ANSWER_PREVIEW].rstrip() + "…"
                st.markdown(f"You said: {inert(shown)}")
            else:
                st.caption("You noted no answer that time.")
            if suggestion.confirmed:
                st.caption(":material/check: You said this is the same question: it counts with these.")
                continue
            same, different = st.columns(2)
            same.button("Same question", key=same_key(row, suggestion.group_id), icon=":material/link:",
                        on_click=_decide, args=(db, text.strip(), suggestion.group_id, True), width="stretch")
            different.button("Different", key=different_key(row, suggestion.group_id), icon=":material/link_off:",
                             on_click=_decide, args=(db, text.strip(), suggestion.group_id, False), width="stretch")


def _answer(db: Database, item: suggestions.PossibleRepeat, same: bool) -> None:
    try:
        suggestions.answer(db, item, same=same)
    except GroupingError as problem:
        flash(str(problem), icon=":material/error:")


def prepare_queue(db: Database) -> None:
    """Work out the queue the dashboard shows without a click (lib.ui.dashboard.prepare).

    New wordings are indexed first: that is a write, and the sections prepared after it are then
    those of the state the page will find."""
    if int(db.scalar("asked_before_wording_count") or 0) <= QUEUE_ON_CLICK_ABOVE:
        try:
            index.ensure_index(db)
            cached(db, suggestions.possible_repeats)
        except Exception:  # noqa: BLE001 — the page says what is wrong when it is opened; the sections go on
            pass


def repeats_queue(db: Database, *, shown: int = 5) -> None:
    """'Possible repeats to confirm': the first few pairs, yes/no in one click, and how many are left."""
    stored = int(db.scalar("asked_before_wording_count") or 0)
    if stored > QUEUE_ON_CLICK_ABOVE and not st.session_state.get(LOOK_FOR_REPEATS):
        st.button(f"Look for possible repeats among your {stored:,} wordings", key=LOOK_FOR_REPEATS + ".button",
                  icon=":material/search:", on_click=st.session_state.__setitem__, args=(LOOK_FOR_REPEATS, True))
        return
    try:
        queue = cached(db, suggestions.possible_repeats)
    except EmbeddingUnavailable as problem:
        st.caption(f"Possible repeats are not available: {problem}")
        return
    if not queue:
        st.caption("No possible repeats to confirm: every pair of questions that look alike has an answer.")
        return
    st.markdown(f"**{len(queue)} left to confirm.** Is each pair the same question, asked in other words? "
                "Your answer changes how your recurring questions are counted.")
    for pair in queue[:shown]:
        with st.container(border=True):
            st.markdown(f"1. {inert(pair.wording)}\n2. {inert(pair.other_wording)}")
            if pair.is_stray:
                st.caption("Counted as one question now. Different takes the first out on its own.")
            elif pair.impact == 2:
                st.caption("If these are one question, it becomes a weak recurring question.")
            yes, no = st.columns(2)
            yes.button("Same question", key=queue_key(pair, "same"), icon=":material/link:",
                       on_click=_answer, args=(db, pair, True), width="stretch")
            no.button("Different", key=queue_key(pair, "different"), icon=":material/link_off:",
                      on_click=_answer, args=(db, pair, False), width="stretch")


def start_index(db: Database) -> None:
    """After an import: build the vectors of the new wordings in the background."""
    if index.missing_count(db):
        index.start_in_background(db)


@st.fragment(run_every=2)
def index_progress(db: Database) -> None:
    """While the index is being built: a progress bar that refreshes itself; nothing once it is complete."""
    missing = index.missing_count(db)
    if not missing:
        return
    failure = index.last_failure(db)
    if failure and not index.is_building(db):
        st.warning(f"“Asked before?” could not prepare the imported questions: {failure}", icon=":material/warning:")
        return
    if not index.is_building(db):
        index.start_in_background(db)
    stored = int(db.scalar("asked_before_vector_count") or 0)
    st.progress(stored / (stored + missing),
                text=f"Preparing “Asked before?” for the imported questions: {missing:,} wordings to go. "
                     "Everything else works meanwhile.")
