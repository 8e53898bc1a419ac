"""Debrief an interview: the five good-practice steps, in order, on one page."""
import datetime as dt

import streamlit as st

from lib import rules, settings
from lib.ui import debriefs as form
from lib.ui.asked_before import asked_before
from lib.applications import ValidationError, active_applications_on, application_choices, pipeline_message
from lib.clock import default_expected_response
from lib.debriefs import (CATEGORIES, FORMATS, THANK_YOU_CHANNELS, TO_IMPROVE_SUGGESTIONS, WENT_WELL_SUGGESTIONS,
                          discard_draft, next_round, save_debrief)
from lib.ui import APPLICATIONS_PAGE, INTERVIEWS_PAGE, THANK_YOU_LABELS, flash, get_db, inert, page_header, show_flash
from lib.words import hours

SAVED = "debrief_saved"  # the interview just saved; outside the debrief. prefix, so resetting the form keeps it

page_header("Debrief an interview", "Five minutes now, while it is fresh. Work down the five steps; only the "
            "company and the date are required.")
db = get_db()
show_flash()
time_zone = settings.time_zone(db)
s = st.session_state


def requested_interview() -> int | None:
    """?interview=ID (from the Interviews page) opens that debrief for editing."""
    wanted = st.query_params.get("interview")
    return int(wanted) if wanted and wanted.isdigit() else None


def save() -> None:
    """Save button: the whole debrief in one transaction, or messages beside the bad fields."""
    rows = (s[form.PEOPLE_ROWS], s[form.QUESTION_ROWS])
    editing = s.get(form.EDITING)
    if form.unchanged_since_save(time_zone):
        return  # the second click of a double click: "Saved" is still showing
    if editing is None and form.is_blank(time_zone):
        flash("Nothing to save yet: the form is empty.", icon=":material/info:")
        return
    try:
        s[SAVED] = save_debrief(db, form.collect(time_zone), interview_id=editing)
    except ValidationError as problem:
        s[form.ERRORS] = form.field_errors(problem.errors, *rows)
        return
    discard_draft(db, editing)
    st.query_params.clear()
    open_new()  # a clean new debrief (or the new one kept while this was edited)
    form.mark_saved(time_zone)
    flash("Debrief updated." if editing is not None else "Debrief saved.")


def open_new() -> None:
    problem = form.open_slot(db, time_zone, None)
    if problem:
        flash(problem, icon=":material/warning:")


def start_new() -> None:
    form.keep(db, time_zone)  # a change that came with this click is kept before the form changes
    st.query_params.clear()
    open_new()


def save_as_new() -> None:
    """The interview being edited was deleted meanwhile: keep what was typed as a new debrief."""
    discard_draft(db, s.get(form.EDITING))
    s[form.EDITING], s[form.ERRORS] = None, {}
    st.query_params.clear()


def saved_message() -> None:
    """'Saved: …' stays while the form is as the save left it (a double click still shows it)."""
    saved = s.get(SAVED)
    if saved is None:
        return
    if not form.unchanged_since_save(time_zone):
        del s[SAVED]
        return
    st.success(f"Saved: {inert(form.saved_line(db, saved))}. Next: send your thank-you within "
               f"{hours(rules.THANK_YOU_WITHIN)}, and "
               "see it with your other rounds.")
    st.page_link(INTERVIEWS_PAGE, label="See it in Interviews", icon=":material/forum:")


def kept_draft_bar() -> None:
    """'Draft kept, 14:02', and Discard, which asks first."""
    line = form.kept_line(time_zone)
    if line is None:
        return
    if s.get(form.CONFIRM_DISCARD):
        st.warning("Discard this draft? Everything typed since the last save goes, and cannot be brought back.")
        yes, no = st.columns(2)
        yes.button("Yes, discard it", key="debrief.discard_yes", on_click=form.discard, args=(db, time_zone))
        no.button("Keep it", key="debrief.discard_no", on_click=s.pop, args=(form.CONFIRM_DISCARD, None))
        return
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.caption(f"{line}. It stays here, counted nowhere, until you save or discard it.")
    button.button("Discard draft", key="debrief.discard", type="tertiary", icon=":material/delete:",
                  on_click=s.__setitem__, args=(form.CONFIRM_DISCARD, True))


def suggest_round() -> None:
    """Picking an application suggests the next round there (one more than the interviews logged)."""
    picked = s[form.APPLICATION]
    s[form.ROUND] = next_round(db, None if picked == form.NEW_APPLICATION else picked)


def how_it_went(errors: dict) -> None:
    st.header("1 · How did it go?")
    st.caption("Aim for five or six things that went well, and one or two to improve. Tap a suggestion or write your own.")
    st.pills("What went well", WENT_WELL_SUGGESTIONS, selection_mode="multi", key=form.WENT_WELL_PICKS)
    st.text_area("More that went well (one per line)", key=form.WENT_WELL_MORE, height=80, max_chars=3000)
    form.show_error(errors, "went_well")
    st.pills("What to improve", TO_IMPROVE_SUGGESTIONS, selection_mode="multi", key=form.TO_IMPROVE_PICKS)
    st.text_area("More to improve (one per line)", key=form.TO_IMPROVE_MORE, height=68, max_chars=3000)
    form.show_error(errors, "to_improve")


def salient_notes(errors: dict) -> None:
    st.header("2 · Salient notes")
    choices = application_choices(db, include_id=s.get(form.APPLICATION))
    labels = {form.NEW_APPLICATION: "A new application…"}
    labels.update({row.id: f"{row.company} – {row.role or 'no role'} ({row.status})" for row in choices.itertuples()})
    if s.get(form.APPLICATION) not in labels:
        s[form.APPLICATION] = form.NEW_APPLICATION
    application = st.selectbox("Application", list(labels), format_func=labels.get, key=form.APPLICATION,
                               on_change=suggest_round)
    if application == form.NEW_APPLICATION:
        company, role = st.columns(2)
        company.text_input("Company *", key=form.COMPANY, max_chars=200)
        role.text_input("Role", key=form.ROLE, max_chars=200)
        form.show_error(errors, "company", "role")
    day, time, round_ = st.columns(3)
    day.date_input("Date *", key=form.DATE, min_value=dt.date(2000, 1, 1), format="YYYY-MM-DD")
    time.time_input("Start time", key=form.TIME, step=300)
    round_.number_input("Round", min_value=1, max_value=50, step=1, key=form.ROUND)
    st.caption(f"Times are in {time_zone}.")
    form.show_error(errors, "starts_at", "round")
    stage, format_ = st.columns(2)
    stage.text_input("Stage", key=form.STAGE, placeholder="Phone screen, panel, final…", max_chars=200)
    format_.radio("Format", FORMATS, index=None, horizontal=True, key=form.FORMAT, format_func=str.capitalize)
    people(errors)
    st.text_area("Key topics", key=form.KEY_TOPICS, height=68, max_chars=10_000,
                 placeholder="What the conversation kept coming back to")
    questions(errors)


def people(errors: dict) -> None:
    st.subheader("Who you met")
    for row in s[form.PEOPLE_ROWS]:
        name, position, email, remove = st.columns([4, 4, 4, 2], vertical_alignment="bottom")
        name.text_input("Name", key=form.person_key(row, "name"), max_chars=200)
        position.text_input("Their position", key=form.person_key(row, "position"), max_chars=200)
        email.text_input("E-mail (optional)", key=form.person_key(row, "email"), max_chars=254,
                         help="Only to address your thank-you e-mail; it stays on this computer.")
        remove.button("Remove", icon=":material/close:", type="tertiary", key=form.person_key(row, "remove"),
                      help="Remove this person", on_click=form.remove_row, args=(form.PEOPLE_ROWS, row))
        form.show_error(errors, form.person_key(row, "name"), form.person_key(row, "email"))
    st.button("Add another interviewer", key="debrief.person.add", on_click=form.add_row, args=(form.PEOPLE_ROWS,))


def questions(errors: dict) -> None:
    st.subheader("Questions and your answers")
    st.caption("Each question roughly as asked, a line on what you said, and an honest score: 1 poor, 10 could not be better.")
    for number, row in enumerate(s[form.QUESTION_ROWS], start=1):
        with st.container(border=True):
            st.text_input(f"Question {number}", key=form.question_key(row, "wording"), max_chars=1000)
            with st.container():  # always there, so the boxes below keep their place (and what is typed in them)
                asked_before(db, row, s.get(form.question_key(row, "wording")), s.get(form.EDITING))
            st.text_area("Your answer, briefly", key=form.question_key(row, "answer"), height=68, max_chars=10_000)
            score, category, remove = st.columns([5, 5, 2], vertical_alignment="bottom")
            # No min/max on the box: the browser would blank an 11 without a word; the rule says why instead.
            score.number_input("Self-score (1–10)", step=1, value=None, key=form.question_key(row, "score"),
                               placeholder="1–10")
            category.selectbox("Kind of question", CATEGORIES, index=None, key=form.question_key(row, "category"),
                               placeholder="optional")
            remove.button("Remove", icon=":material/close:", type="tertiary", key=form.question_key(row, "remove"),
                          help="Remove this question", on_click=form.remove_row, args=(form.QUESTION_ROWS, row))
            form.show_error(errors, *(form.question_key(row, f) for f in ("wording", "answer", "score", "category")))
            form.score_out_of_range(row, errors)
    st.button("Add another question", key="debrief.q.add", on_click=form.add_row, args=(form.QUESTION_ROWS,))


def thank_you() -> None:
    st.header("3 · Thank-you")
    if s.get(form.DATE) and s.get(form.TIME):
        st.markdown(form.thank_you_line(dt.datetime.combine(s[form.DATE], s[form.TIME]), time_zone))
    named = [row for row in s[form.PEOPLE_ROWS] if (s.get(form.person_key(row, "name")) or "").strip()]
    for row in named:
        st.selectbox(f"Thank-you to {inert(s[form.person_key(row, 'name')].strip())}", THANK_YOU_CHANNELS,
                     format_func=THANK_YOU_LABELS.get, key=form.person_key(row, "channel"))
    if not named:
        st.selectbox("Thank-you by", THANK_YOU_CHANNELS, format_func=THANK_YOU_LABELS.get, key=form.THANK_YOU_CHANNEL)


def follow_up(errors: dict) -> None:
    st.header("4 · Follow-up")
    st.text_area("Next steps they described", key=form.NEXT_STEPS, height=68, max_chars=10_000)
    timeline, permission = st.columns(2)
    timeline.text_input("Timeline they gave", key=form.TIMELINE, placeholder="e.g. “by the end of next week”",
                        max_chars=500)
    permission.radio("May you follow up?", list(form.FOLLOW_UP_CHOICES), index=None, horizontal=True,
                     key=form.MAY_FOLLOW_UP)
    interview_day = s.get(form.DATE) or settings.today(db)
    st.date_input("You should have heard by", key=form.EXPECTED_BY, min_value=interview_day,
                  format="YYYY-MM-DD")
    st.caption(f"Left blank, Debrief uses the default: {default_expected_response(interview_day):%a %d %b %Y}, five "
               "business days after the interview. If that day passes in silence, call or e-mail.")
    form.show_error(errors, "expected_response_by", "next_steps", "timeline_given")


def keep_two_or_three_going() -> None:
    st.header("5 · Keep two or three going")
    active = active_applications_on(db, settings.today(db))
    st.markdown(pipeline_message(active, settings.target_band(db)))
    st.page_link(APPLICATIONS_PAGE, label="Add another application", icon=":material/add:")


opening_problem = form.open_form(db, time_zone, requested_interview())
form.start(time_zone)  # what is typed is kept by page_header (form.keep_if_live), first thing every run
# The messages above the form live in one container that is always drawn: a message appearing
# ("Draft kept") must not move the boxes below while someone is typing in them.
with st.container():
    if opening_problem:
        st.warning(opening_problem)
    errors = s.get(form.ERRORS, {})
    saved_message()
    if s.get(form.EDITING) is not None:
        st.info("You are editing a saved debrief.")
        st.button("Start a new debrief instead", on_click=start_new, key="debrief.new")
    kept_draft_bar()
    if errors:
        st.error("Some fields need attention (see the messages beside them). Nothing was saved yet.")
        form.show_error(errors, "application_id")
    if "interview" in errors:  # deleted in another tab while this edit was open
        st.error(errors["interview"], icon=":material/error:")
        st.button("Keep what you typed as a new debrief", key="debrief.save_as_new", on_click=save_as_new)
how_it_went(errors)
salient_notes(errors)
thank_you()
follow_up(errors)
keep_two_or_three_going()
st.divider()
st.button("Save changes" if s.get(form.EDITING) is not None else "Save debrief", type="primary",
          key=form.SAVE, on_click=save, width="stretch")
if errors:
    st.error("Not saved: fix the fields marked above.")
