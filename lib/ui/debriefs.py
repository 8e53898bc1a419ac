"""The Debrief page: its form state (widget keys, session state <-> Debrief) and its sections.

Widgets are plain (not an st.form) so that rows can be added and removed; every widget has a
`debrief.`-prefixed key, and rows of interviewers and questions carry stable row ids so that
removing one row does not shift the values of the others.

Decisions: docs/decisions.md, 'The Debrief page's kept draft'.
"""
from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import replace

import duckdb
import streamlit as st

from .. import rules, settings
from ..applications import (ValidationError, active_applications_on, application_choices, get_application,
                            pipeline_message)
from ..clock import default_expected_response, now, thank_you_due_at, to_instant, to_local
from ..db import Database
from ..debriefs import (CATEGORIES, FORMATS, THANK_YOU_CHANNELS, Debrief, Interviewer, Question, WENT_WELL_SUGGESTIONS,
                        TO_IMPROVE_SUGGESTIONS, discard_draft, draft_json, keep_draft, kept_draft, load_debrief,
                        next_round, save_debrief)
from . import APPLICATIONS_PAGE, INTERVIEWS_PAGE, THANK_YOU_LABELS, flash, format_duration, format_when, inert
from .asked_before import asked_before
from ..validation import Invalid, parse_score
from ..words import hours

NEW_APPLICATION = -1
APPLICATION = "debrief.application"
COMPANY, ROLE = "debrief.company", "debrief.role"
DATE, TIME = "debrief.date", "debrief.time"
ROUND, STAGE, FORMAT = "debrief.round", "debrief.stage", "debrief.format"
WENT_WELL_PICKS, WENT_WELL_MORE = "debrief.went_well_picks", "debrief.went_well_more"
TO_IMPROVE_PICKS, TO_IMPROVE_MORE = "debrief.to_improve_picks", "debrief.to_improve_more"
KEY_TOPICS = "debrief.key_topics"
THANK_YOU_CHANNEL = "debrief.thank_you_channel"
NEXT_STEPS, TIMELINE = "debrief.next_steps", "debrief.timeline"
MAY_FOLLOW_UP, EXPECTED_BY = "debrief.may_follow_up", "debrief.expected_by"
SAVE, ERRORS, EDITING = "debrief.save", "debrief.errors", "debrief.editing"
PEOPLE_ROWS, QUESTION_ROWS, NEXT_ROW = "debrief.people_rows", "debrief.question_rows", "debrief.next_row"
# The kept draft: the JSON last written (or loaded) and when; what the form held when opened.
KEPT, KEPT_AT, OPENED_AS = "debrief.kept", "debrief.kept_at", "debrief.opened_as"
# The form as the last save left it: while it is unchanged, "Saved" shows and Save does nothing
# (the second click of a double click), whatever the save opened next.
AFTER_SAVE = "debrief.after_save"
CONFIRM_DISCARD = "debrief.confirm_discard"
FOLLOW_UP_CHOICES = {"Yes": True, "No": False, "Not discussed": None}


def likely_start(time_zone: str) -> dt.datetime:
    """An hour ago, on the quarter hour: a debrief is written in the hour after the interview."""
    local = to_local(now(), time_zone) - dt.timedelta(hours=1)
    return local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)


def thank_you_line(starts_at: dt.datetime, time_zone: str) -> str:
    """'Send it within 24 hours: by Thu 26 Nov 2026, 14:30 (5 h 20 min left)…' for a local start time."""
    due = thank_you_due_at(to_instant(starts_at, time_zone))
    remaining = due - now()
    timing = (f"{format_duration(remaining)} left" if remaining.total_seconds() > 0
              else f"passed {format_duration(remaining)} ago; send it anyway")
    return (f"Send it within {hours(rules.THANK_YOU_WITHIN)}: **by {format_when(to_local(due, time_zone))}** ({timing}). "
            "An e-mail at least; a handwritten card stands out.")


def person_key(row: int, field: str) -> str:
    return f"debrief.person.{row}.{field}"


def question_key(row: int, field: str) -> str:
    return f"debrief.q.{row}.{field}"


def blank_values(time_zone: str) -> dict:
    """What every field of a new debrief holds before anything is typed."""
    start_ = likely_start(time_zone)
    return {APPLICATION: NEW_APPLICATION, COMPANY: "", ROLE: "", DATE: start_.date(), TIME: start_.time(), ROUND: 1,
            STAGE: "", FORMAT: None, WENT_WELL_PICKS: [], WENT_WELL_MORE: "", TO_IMPROVE_PICKS: [], TO_IMPROVE_MORE: "",
            KEY_TOPICS: "", THANK_YOU_CHANNEL: "email", NEXT_STEPS: "", TIMELINE: "", MAY_FOLLOW_UP: None,
            EXPECTED_BY: None}


def start(time_zone: str, *, questions: int = 3, people: int = 1) -> None:
    """Make sure every field has a value and the row lists exist (one interviewer and three question rows).

    Defaults live in session state, not in the widgets' `value=`: a value set here is what the
    browser shows, so a reset really empties the form (a widget that keeps its key keeps what the
    browser last sent it otherwise).
    """
    s = st.session_state
    for key, value in blank_values(time_zone).items():
        if key not in s:
            s[key] = value
    if PEOPLE_ROWS not in s:
        s[PEOPLE_ROWS] = [new_row(PEOPLE_ROWS) for _ in range(people)]
        s[QUESTION_ROWS] = [new_row(QUESTION_ROWS) for _ in range(questions)]


def new_row(rows_key: str) -> int:
    """A row id never used before in this list (ids count from 0 per list)."""
    counters = st.session_state.setdefault(NEXT_ROW, {})
    counters[rows_key] = counters.get(rows_key, -1) + 1
    return counters[rows_key]


def add_row(rows_key: str) -> None:
    st.session_state[rows_key] = st.session_state[rows_key] + [new_row(rows_key)]


def remove_row(rows_key: str, row: int) -> None:
    st.session_state[rows_key] = [r for r in st.session_state[rows_key] if r != row]


def reset(time_zone: str | None = None) -> None:
    """Forget everything typed: the next run shows an empty form (with `time_zone`, every field set blank).

    Row ids keep counting, so the next rows are new widgets with nothing in them, and the fields
    are set to their blank values rather than only forgotten: the browser shows what is set.
    """
    s = st.session_state
    counters = dict(s.get(NEXT_ROW, {}))
    for key in [k for k in s if str(k).startswith("debrief.")]:
        del s[key]
    s[NEXT_ROW] = counters
    if time_zone is not None:
        for key, value in blank_values(time_zone).items():
            s[key] = value


def is_blank(time_zone: str) -> bool:
    """Nothing typed or picked yet (e.g. the second click of a double click on Save, after the first saved)."""
    s = st.session_state
    blank = blank_values(time_zone)
    typed = [key for key in blank if key not in (DATE, TIME, ROUND, THANK_YOU_CHANNEL) and s.get(key) != blank[key]]
    rows = [k for k in s if str(k).startswith(("debrief.q.", "debrief.person.")) and str(k).endswith(
        (".wording", ".answer", ".score", ".category", ".name", ".position", ".email")) and s.get(k) not in (None, "")]
    return not typed and not rows


def _split(picks, more: str | None) -> list[str]:
    return list(picks or []) + [line for line in (more or "").splitlines() if line.strip()]


def collect(time_zone: str) -> Debrief:
    """The Debrief the widgets currently describe (not yet validated)."""
    s = st.session_state
    application = s.get(APPLICATION, NEW_APPLICATION)
    day, time = s.get(DATE), s.get(TIME)
    people_rows = s[PEOPLE_ROWS]
    return Debrief(
        application_id=None if application in (None, NEW_APPLICATION) else int(application),
        company=s.get(COMPANY, ""), role=s.get(ROLE, ""),
        starts_at=dt.datetime.combine(day, time) if day and time else None,
        time_zone=time_zone, round=s.get(ROUND), stage=s.get(STAGE, ""), format=s.get(FORMAT),
        interviewers=[Interviewer(s.get(person_key(r, "name"), ""), s.get(person_key(r, "position"), ""),
                                  s.get(person_key(r, "channel")) or "email", s.get(person_key(r, "email"), ""))
                      for r in people_rows],
        key_topics=s.get(KEY_TOPICS, ""),
        went_well=_split(s.get(WENT_WELL_PICKS), s.get(WENT_WELL_MORE)),
        to_improve=_split(s.get(TO_IMPROVE_PICKS), s.get(TO_IMPROVE_MORE)),
        questions=[Question(s.get(question_key(r, "wording"), ""), s.get(question_key(r, "answer"), ""),
                            s.get(question_key(r, "score")), s.get(question_key(r, "category")))
                   for r in s[QUESTION_ROWS]],
        thank_you_channel=s.get(THANK_YOU_CHANNEL) or "email",
        next_steps=s.get(NEXT_STEPS, ""), timeline_given=s.get(TIMELINE, ""),
        may_follow_up=FOLLOW_UP_CHOICES.get(s.get(MAY_FOLLOW_UP)),
        expected_response_by=s.get(EXPECTED_BY),
    )


def fill(debrief: Debrief, interview_id: int | None, time_zone: str) -> None:
    """Put a debrief into the widgets: a stored one for editing, or a kept draft."""
    reset(time_zone)
    s = st.session_state
    s[EDITING] = interview_id
    s[APPLICATION] = NEW_APPLICATION if debrief.application_id is None else debrief.application_id
    s[COMPANY], s[ROLE] = debrief.company or "", debrief.role or ""
    if debrief.starts_at is not None:
        s[DATE], s[TIME] = debrief.starts_at.date(), debrief.starts_at.time()
    s[ROUND], s[STAGE], s[FORMAT] = debrief.round, debrief.stage, debrief.format
    s[WENT_WELL_PICKS] = [i for i in debrief.went_well if i in WENT_WELL_SUGGESTIONS]
    s[WENT_WELL_MORE] = "\n".join(i for i in debrief.went_well if i not in WENT_WELL_SUGGESTIONS)
    s[TO_IMPROVE_PICKS] = [i for i in debrief.to_improve if i in TO_IMPROVE_SUGGESTIONS]
    s[TO_IMPROVE_MORE] = "\n".join(i for i in debrief.to_improve if i not in TO_IMPROVE_SUGGESTIONS)
    s[KEY_TOPICS], s[THANK_YOU_CHANNEL] = debrief.key_topics, debrief.thank_you_channel
    s[NEXT_STEPS], s[TIMELINE] = debrief.next_steps, debrief.timeline_given
    s[MAY_FOLLOW_UP] = {v: k for k, v in FOLLOW_UP_CHOICES.items()}[debrief.may_follow_up]
    s[EXPECTED_BY] = debrief.expected_response_by
    s[PEOPLE_ROWS] = []
    for person in debrief.interviewers or [Interviewer("")]:
        row = new_row(PEOPLE_ROWS)
        s[PEOPLE_ROWS].append(row)
        s[person_key(row, "name")], s[person_key(row, "position")] = person.name, person.position
        s[person_key(row, "channel")], s[person_key(row, "email")] = person.thank_you_channel, person.email
    s[QUESTION_ROWS] = []
    for question in debrief.questions or [Question("")]:
        row = new_row(QUESTION_ROWS)
        s[QUESTION_ROWS].append(row)
        s[question_key(row, "wording")], s[question_key(row, "answer")] = question.wording, question.answer_note
        s[question_key(row, "score")], s[question_key(row, "category")] = question.score, question.category


def field_errors(errors: dict[str, str], people_rows: list[int], question_rows: list[int]) -> dict[str, str]:
    """Map validation keys (`questions.2.score`) to widget keys (`debrief.q.<row>.score`)."""
    mapped = {}
    for key, message in errors.items():
        parts = key.split(".")
        if parts[0] == "interviewers" and len(parts) == 3:
            mapped[person_key(people_rows[int(parts[1])], parts[2])] = message
        elif parts[0] == "questions" and len(parts) == 3:
            field = {"answer_note": "answer"}.get(parts[2], parts[2])
            mapped[question_key(question_rows[int(parts[1])], field)] = message
        else:
            mapped[key] = message
    return mapped


def score_out_of_range(row: int, errors: dict[str, str]) -> None:
    """As soon as a self-score outside 1–10 is typed, say so beside it (unless the save already did)."""
    key = question_key(row, "score")
    value = st.session_state.get(key)
    if value is None or key in errors:
        return
    try:
        parse_score(value)
    except Invalid as problem:
        st.error(str(problem), icon=":material/error:")


def show_error(errors: dict[str, str], *keys: str) -> None:
    """The message for any of these fields, right beside the widget."""
    for key in keys:
        if key in errors:
            st.error(errors[key], icon=":material/error:")


def open_form(db: Database, time_zone: str, requested: int | None) -> str | None:
    """Decide what the form holds at the start of a run; returns a warning to show, if any.

    `requested` is the interview asked for in the address (?interview=ID). A form whose widgets
    are still live is left alone; otherwise the slot's kept draft comes back, else the stored
    interview, else an empty form.
    """
    s = st.session_state
    if requested is not None and requested != s.get(EDITING):
        return open_slot(db, time_zone, requested)
    if DATE not in s:  # the Date widget is always drawn: without its value the form is not live
        return open_slot(db, time_zone, s.get(EDITING))
    return None


def open_slot(db: Database, time_zone: str, interview_id: int | None) -> str | None:
    stored = None if interview_id is None else load_debrief(db, interview_id)
    if interview_id is not None and stored is None:
        discard_draft(db, interview_id)
        reset(time_zone)
        start(time_zone)
        return "That interview no longer exists."
    kept, warning = kept_draft(db, interview_id), None
    if kept is not None and kept[0].application_id is not None and get_application(db, kept[0].application_id) is None:
        warning = ("The application this draft was for no longer exists (sample data removed?): pick one, "
                   "or choose “A new application…” and type the company.")
        kept = (replace(kept[0], application_id=None), kept[1])
    if kept is not None or stored is not None:
        fill(kept[0] if kept is not None else stored, interview_id, time_zone)
    else:
        reset(time_zone)
        start(time_zone)
    s, opened = st.session_state, snapshot(time_zone)
    s[OPENED_AS] = opened if stored is not None and kept is None else None
    s[KEPT], s[KEPT_AT] = (opened, kept[1]) if kept is not None else (None, None)
    return warning


def keep(db: Database, time_zone: str) -> None:
    """Keep the form as a draft if it changed since last kept; forget the draft once it is back to
    where it started (empty for a new debrief, the stored version for an edit)."""
    s = st.session_state
    editing, debrief = s.get(EDITING), collect(time_zone)
    current = draft_json(debrief)  # snapshot(), keeping the Debrief for keep_draft
    if current == s.get(KEPT):
        return
    untouched = current == s.get(OPENED_AS) if editing is not None else is_blank(time_zone)
    try:
        with getattr(db, "errors_raised", nullcontext)():
            if untouched:
                if s.get(KEPT) is not None:
                    discard_draft(db, editing)
                s[KEPT], s[KEPT_AT] = None, None
            else:
                s[KEPT], s[KEPT_AT] = current, keep_draft(db, debrief, editing)
    except duckdb.Error as problem:
        st.warning(f"Debrief could not keep a draft of this form ({problem}). What you typed stays in this "
                   "tab; save it when you can.", icon=":material/warning:")


def snapshot(time_zone: str) -> str:
    """The form as it stands, as the JSON a kept draft stores: what the comparisons here compare."""
    return draft_json(collect(time_zone))


def mark_saved(time_zone: str) -> None:
    """Remember the form as a save left it (see AFTER_SAVE)."""
    st.session_state[AFTER_SAVE] = snapshot(time_zone)


def unchanged_since_save(time_zone: str) -> bool:
    after = st.session_state.get(AFTER_SAVE)
    return after is not None and after == snapshot(time_zone)


def keep_if_live() -> None:
    """Every page calls this first: the last change typed on the Debrief page can arrive with the
    click that leaves it (a page link), and then no Debrief run sees it; this run does, before
    Streamlit forgets the form's values at its end."""
    s = st.session_state
    if DATE in s and PEOPLE_ROWS in s:
        from .. import settings
        from . import get_db
        db = get_db()
        keep(db, settings.time_zone(db))


def discard(db: Database, time_zone: str) -> None:
    """Discard the kept draft (after the user confirmed): back to the stored interview, or an empty form."""
    editing = st.session_state.get(EDITING)
    discard_draft(db, editing)
    open_slot(db, time_zone, editing)


def kept_line(time_zone: str) -> str | None:
    """'Draft kept, 14:02' (with the day when it was not today), or None when nothing is kept."""
    kept_at = st.session_state.get(KEPT_AT)
    if kept_at is None:
        return None
    local, today = to_local(kept_at, time_zone), to_local(now(), time_zone).date()
    return f"Draft kept, {local:%H:%M}" if local.date() == today else f"Draft kept, {format_when(local)}"


def saved_line(db: Database, interview_id: int) -> str:
    """'Contoso – Data Analyst, round 2, Thu 12 Mar 2026': what a save just stored."""
    debrief = load_debrief(db, interview_id)
    if debrief is None:
        return "the debrief"
    role = f" – {debrief.role}" if debrief.role else ""
    return f"{debrief.company}{role}, round {debrief.round or 1}, {debrief.starts_at:%a %d %b %Y}"


# -- the page's sections, in the order pages/1_Debrief.py draws them ------------------------------

SAVED = "debrief_saved"  # the interview just saved; outside the debrief. prefix, so resetting the form keeps it
state = st.session_state


def requested_interview() -> int | None:
    """?interview=ID (from the Interviews page) opens that debrief for editing."""
    wanted = st.query_params.get("interview")
    return int(wanted) if wanted and wanted.isdigit() else None


def save(db: Database, time_zone: str) -> None:
    """Save button: the whole debrief in one transaction, or messages beside the bad fields."""
    rows = (state[PEOPLE_ROWS], state[QUESTION_ROWS])
    editing = state.get(EDITING)
    if unchanged_since_save(time_zone):
        return  # the second click of a double click: "Saved" is still showing
    if editing is None and is_blank(time_zone):
        flash("Nothing to save yet: the form is empty.", icon=":material/info:")
        return
    try:
        state[SAVED] = save_debrief(db, collect(time_zone), interview_id=editing)
    except ValidationError as problem:
        state[ERRORS] = field_errors(problem.errors, *rows)
        return
    discard_draft(db, editing)
    st.query_params.clear()
    open_new(db, time_zone)  # a clean new debrief (or the new one kept while this was edited)
    mark_saved(time_zone)
    flash("Debrief updated." if editing is not None else "Debrief saved.")


def open_new(db: Database, time_zone: str) -> None:
    problem = open_slot(db, time_zone, None)
    if problem:
        flash(problem, icon=":material/warning:")


def start_new(db: Database, time_zone: str) -> None:
    keep(db, time_zone)  # a change that came with this click is kept before the form changes
    st.query_params.clear()
    open_new(db, time_zone)


def save_as_new(db: Database) -> None:
    """The interview being edited was deleted meanwhile: keep what was typed as a new debrief."""
    discard_draft(db, state.get(EDITING))
    state[EDITING], state[ERRORS] = None, {}
    st.query_params.clear()


def saved_message(db: Database, time_zone: str) -> None:
    """'Saved: …' stays while the form is as the save left it (a double click still shows it)."""
    saved = state.get(SAVED)
    if saved is None:
        return
    if not unchanged_since_save(time_zone):
        del state[SAVED]
        return
    st.success(f"Saved: {inert(saved_line(db, saved))}. Next: send your thank-you within "
               f"{hours(rules.THANK_YOU_WITHIN)}, and "
               "see it with your other rounds.")
    st.page_link(INTERVIEWS_PAGE, label="See it in Interviews", icon=":material/forum:")


def kept_draft_bar(db: Database, time_zone: str) -> None:
    """'Draft kept, 14:02', and Discard, which asks first."""
    line = kept_line(time_zone)
    if line is None:
        return
    if state.get(CONFIRM_DISCARD):
        st.warning("Discard this draft? Everything typed since the last save goes, and cannot be brought back.")
        yes, no = st.columns(2)
        yes.button("Yes, discard it", key="debrief.discard_yes", on_click=discard, args=(db, time_zone))
        no.button("Keep it", key="debrief.discard_no", on_click=state.pop, args=(CONFIRM_DISCARD, None))
        return
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.caption(f"{line}. It stays here, counted nowhere, until you save or discard it.")
    button.button("Discard draft", key="debrief.discard", type="tertiary", icon=":material/delete:",
                  on_click=state.__setitem__, args=(CONFIRM_DISCARD, True))


def suggest_round(db: Database) -> None:
    """Picking an application suggests the next round there (one more than the interviews logged)."""
    picked = state[APPLICATION]
    state[ROUND] = next_round(db, None if picked == NEW_APPLICATION else picked)


def how_it_went(errors: dict) -> None:
    st.header("1 · How did it go?")
    st.caption("Aim for five or six things that went well, and one or two to improve. Tap a suggestion or write your own.")
    st.pills("What went well", WENT_WELL_SUGGESTIONS, selection_mode="multi", key=WENT_WELL_PICKS)
    st.text_area("More that went well (one per line)", key=WENT_WELL_MORE, height=80, max_chars=3000)
    show_error(errors, "went_well")
    st.pills("What to improve", TO_IMPROVE_SUGGESTIONS, selection_mode="multi", key=TO_IMPROVE_PICKS)
    st.text_area("More to improve (one per line)", key=TO_IMPROVE_MORE, height=68, max_chars=3000)
    show_error(errors, "to_improve")


def salient_notes(db: Database, time_zone: str, errors: dict) -> None:
    st.header("2 · Salient notes")
    choices = application_choices(db, include_id=state.get(APPLICATION))
    labels = {NEW_APPLICATION: "A new application…"}
    labels.update({row.id: f"{row.company} – {row.role or 'no role'} ({row.status})" for row in choices.itertuples()})
    if state.get(APPLICATION) not in labels:
        state[APPLICATION] = NEW_APPLICATION
    application = st.selectbox("Application", list(labels), format_func=labels.get, key=APPLICATION,
                               on_change=suggest_round, args=(db,))
    if application == NEW_APPLICATION:
        company, role = st.columns(2)
        company.text_input("Company *", key=COMPANY, max_chars=200)
        role.text_input("Role", key=ROLE, max_chars=200)
        show_error(errors, "company", "role")
    day, time, round_ = st.columns(3)
    day.date_input("Date *", key=DATE, min_value=dt.date(2000, 1, 1), format="YYYY-MM-DD")
    time.time_input("Start time", key=TIME, step=300)
    round_.number_input("Round", min_value=rules.ROUND_MIN, max_value=rules.ROUND_MAX, step=1, key=ROUND)
    st.caption(f"Times are in {time_zone}.")
    show_error(errors, "starts_at", "round")
    stage, format_ = st.columns(2)
    stage.text_input("Stage", key=STAGE, placeholder="Phone screen, panel, final…", max_chars=200)
    format_.radio("Format", FORMATS, index=None, horizontal=True, key=FORMAT, format_func=str.capitalize)
    _who_you_met(errors)
    st.text_area("Key topics", key=KEY_TOPICS, height=68, max_chars=10_000,
                 placeholder="What the conversation kept coming back to")
    _questions_asked(db, errors)


def _who_you_met(errors: dict) -> None:
    st.subheader("Who you met")
    for row in state[PEOPLE_ROWS]:
        name, position, email, remove = st.columns([4, 4, 4, 2], vertical_alignment="bottom")
        name.text_input("Name", key=person_key(row, "name"), max_chars=200)
        position.text_input("Their position", key=person_key(row, "position"), max_chars=200)
        email.text_input("E-mail (optional)", key=person_key(row, "email"), max_chars=254,
                         help="Only to address your thank-you e-mail; it stays on this computer.")
        remove.button("Remove", icon=":material/close:", type="tertiary", key=person_key(row, "remove"),
                      help="Remove this person", on_click=remove_row, args=(PEOPLE_ROWS, row))
        show_error(errors, person_key(row, "name"), person_key(row, "email"))
    st.button("Add another interviewer", key="debrief.person.add", on_click=add_row, args=(PEOPLE_ROWS,))


def _questions_asked(db: Database, errors: dict) -> None:
    st.subheader("Questions and your answers")
    st.caption("Each question roughly as asked, a line on what you said, and an honest score: 1 poor, 10 could not be better.")
    for number, row in enumerate(state[QUESTION_ROWS], start=1):
        with st.container(border=True):
            st.text_input(f"Question {number}", key=question_key(row, "wording"), max_chars=1000)
            with st.container():  # always there, so the boxes below keep their place (and what is typed in them)
                asked_before(db, row, state.get(question_key(row, "wording")), state.get(EDITING))
            st.text_area("Your answer, briefly", key=question_key(row, "answer"), height=68, max_chars=10_000)
            score, category, remove = st.columns([5, 5, 2], vertical_alignment="bottom")
            # No min/max on the box: the browser would blank an 11 without a word; the rule says why instead.
            score.number_input("Self-score (1–10)", step=1, value=None, key=question_key(row, "score"),
                               placeholder="1–10")
            category.selectbox("Kind of question", CATEGORIES, index=None, key=question_key(row, "category"),
                               placeholder="optional")
            remove.button("Remove", icon=":material/close:", type="tertiary", key=question_key(row, "remove"),
                          help="Remove this question", on_click=remove_row, args=(QUESTION_ROWS, row))
            show_error(errors, *(question_key(row, f) for f in ("wording", "answer", "score", "category")))
            score_out_of_range(row, errors)
    st.button("Add another question", key="debrief.q.add", on_click=add_row, args=(QUESTION_ROWS,))


def thank_you_step(time_zone: str) -> None:
    st.header("3 · Thank-you")
    if state.get(DATE) and state.get(TIME):
        st.markdown(thank_you_line(dt.datetime.combine(state[DATE], state[TIME]), time_zone))
    named = [row for row in state[PEOPLE_ROWS] if (state.get(person_key(row, "name")) or "").strip()]
    for row in named:
        st.selectbox(f"Thank-you to {inert(state[person_key(row, 'name')].strip())}", THANK_YOU_CHANNELS,
                     format_func=THANK_YOU_LABELS.get, key=person_key(row, "channel"))
    if not named:
        st.selectbox("Thank-you by", THANK_YOU_CHANNELS, format_func=THANK_YOU_LABELS.get, key=THANK_YOU_CHANNEL)


def follow_up_step(db: Database, errors: dict) -> None:
    st.header("4 · Follow-up")
    st.text_area("Next steps they described", key=NEXT_STEPS, height=68, max_chars=10_000)
    timeline, permission = st.columns(2)
    timeline.text_input("Timeline they gave", key=TIMELINE, placeholder="e.g. “by the end of next week”",
                        max_chars=500)
    permission.radio("May you follow up?", list(FOLLOW_UP_CHOICES), index=None, horizontal=True,
                     key=MAY_FOLLOW_UP)
    interview_day = state.get(DATE) or settings.today(db)
    st.date_input("You should have heard by", key=EXPECTED_BY, min_value=interview_day,
                  format="YYYY-MM-DD")
    st.caption(f"Left blank, Debrief uses the default: {default_expected_response(interview_day):%a %d %b %Y}, five "
               "business days after the interview. If that day passes in silence, call or e-mail.")
    show_error(errors, "expected_response_by", "next_steps", "timeline_given")


def keep_two_or_three_going(db: Database) -> None:
    st.header("5 · Keep two or three going")
    active = active_applications_on(db, settings.today(db))
    st.markdown(pipeline_message(active, settings.target_band(db)))
    st.page_link(APPLICATIONS_PAGE, label="Add another application", icon=":material/add:")


def messages(db: Database, time_zone: str, opening_problem: str | None) -> dict:
    """What sits above the form, and the field errors of the last save (returned).

    One container, always drawn: a message appearing ("Draft kept") must not move the boxes below
    while someone is typing in them."""
    with st.container():
        if opening_problem:
            st.warning(opening_problem)
        errors = state.get(ERRORS, {})
        saved_message(db, time_zone)
        if state.get(EDITING) is not None:
            st.info("You are editing a saved debrief.")
            st.button("Start a new debrief instead", on_click=start_new, args=(db, time_zone), key="debrief.new")
        kept_draft_bar(db, time_zone)
        if errors:
            st.error("Some fields need attention (see the messages beside them). Nothing was saved yet.")
            show_error(errors, "application_id")
        if "interview" in errors:  # deleted in another tab while this edit was open
            st.error(errors["interview"], icon=":material/error:")
            st.button("Keep what you typed as a new debrief", key="debrief.save_as_new", on_click=save_as_new, args=(db,))
    return errors


def save_button(db: Database, time_zone: str, errors: dict) -> None:
    st.divider()
    st.button("Save changes" if state.get(EDITING) is not None else "Save debrief", type="primary",
              key=SAVE, on_click=save, args=(db, time_zone), width="stretch")
    if errors:
        st.error("Not saved: fix the fields marked above.")
