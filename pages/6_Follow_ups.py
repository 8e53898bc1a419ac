"""Thank-yous & follow-ups: what is due, thank-you drafts, the follow-up diary, the calendar file, your time zone."""
import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from lib import clock, drafts, follow_ups, rules, settings
from lib.applications import application_choices
from lib.calendar_ics import calendar_bytes
from lib.db import cell_int
from lib.debriefs import interviewers
from lib.ui import DEBRIEF_PAGE, flash, format_when, get_db, inert, page_header, show_flash
from lib.ui.tables import days, text
from lib.ui.follow_ups import FOLLOW_UP_LABELS, OUTCOME_LABELS, show_today, thank_you_sent_form
from lib.validation import Invalid
from lib.words import hours

P = "followups"
DRAFT_INTERVIEW, SENDER = f"{P}.draft.interview", f"{P}.draft.sender"
DIARY_APPLICATION, TIME_ZONE = f"{P}.diary.application", f"{P}.time_zone"
LOG_FORM, ERROR = f"{P}.log", f"{P}.error"

page_header("Thank-yous & follow-ups", f"A thank-you within {hours(rules.THANK_YOU_WITHIN)}; a follow-up the business "
            "day after the date "
            "you should have heard by. Drafts, the diary and a calendar file to keep you on time.")
db = get_db()
show_flash()
zone = settings.time_zone(db)
today = clock.today_in(zone)
s = st.session_state


def thank_you_draft() -> None:
    st.header("Thank-you drafts")
    recent = follow_ups.recent_interviews(db, clock.now())
    if recent.empty:
        st.info("No interviews yet: debrief one, and its thank-you draft appears here.")
        st.page_link(DEBRIEF_PAGE, label="Debrief an interview", icon=":material/edit_note:")
        return
    labels = {row.interview_id: f"{row.company} – {row.role or 'no role'} · "
              f"{format_when(clock.to_local(row.starts_at.to_pydatetime(), zone))}" for row in recent.itertuples()}
    interview_id = st.selectbox("Interview", list(labels), format_func=labels.get, key=DRAFT_INTERVIEW)
    people = interviewers(db, interview_id)
    recipients = {None: "The whole panel"} | dict(zip(people.id.tolist(), people.name.tolist()))
    key = f"{P}.draft.{interview_id}"
    to = st.selectbox("To", list(recipients), format_func=recipients.get, key=f"{key}.to",
                      index=1 if len(recipients) > 1 else 0)
    context = drafts.draft_context(db, interview_id, to)
    left, right = st.columns(2)
    topic = left.text_input("A topic you discussed", value=context.topics[0] if context.topics else "",
                            key=f"{key}.topic", max_chars=200)
    url_text = right.text_input("Link to an article on that topic (optional)", key=f"{key}.url", max_chars=2000,
                                placeholder="https://…")
    questions = {q.id: q for q in context.questions}
    weakest = drafts.lowest_scored(context.questions)
    options = [None, *questions]
    amplify = st.selectbox("Add to one of your answers (optional)", options,
                           index=options.index(weakest.id) if weakest else 0, key=f"{key}.amplify",
                           format_func=lambda q: "No" if q is None else f"{questions[q].wording} ({questions[q].score}/10)")
    improved = st.text_area("What you would add or correct", key=f"{key}.improved", height=68, max_chars=2000) \
        if amplify is not None else ""
    sender = st.text_input("Your name", key=SENDER, max_chars=200)
    try:
        url = drafts.check_article_url(url_text)
    except Invalid as problem:
        st.error(str(problem), icon=":material/link_off:")
        url = ""
    draft = drafts.compose(context, topic=topic, article_url=url, amplify=questions.get(amplify),
                           improved_answer=improved, sender=sender)
    show_draft(f"{key}.{to}", draft)
    thank_you_sent_form(db, P, interview_id, to, recipients[to] if to is not None else f"the {context.company} panel")


def show_draft(key: str, draft: drafts.Draft) -> None:
    # A new draft (other choices above) replaces the text; edits to the same draft are kept.
    if s.get(f"{key}.generated") != draft.body:
        s[f"{key}.generated"] = s[f"{key}.body"] = draft.body
    st.markdown(f"**Subject:** {inert(draft.subject)}")
    body = st.text_area("E-mail (edit freely)", key=f"{key}.body", height=320, max_chars=10_000)
    st.link_button("Open in your e-mail app", drafts.mailto_link(draft.subject, body, draft.to), icon=":material/send:")
    if not draft.to:
        st.caption("No e-mail address in this debrief: your e-mail app will ask who to send it to. "
                   "Add the interviewer's address on the Debrief page to have it filled in.")
    with st.expander("Copy the e-mail", icon=":material/content_copy:"):
        st.caption("The copy button is at the top right of the box.")
        st.code(body, language=None, wrap_lines=True)
    st.markdown(f"**Handwritten card** ({drafts.word_count(draft.card)} words)")
    st.code(draft.card, language=None, wrap_lines=True)


def log_follow_up(application_id: int, interview_id) -> None:
    try:
        follow_ups.log_follow_up(db, application_id, interview_id, s[f"{LOG_FORM}.on"], s[f"{LOG_FORM}.channel"],
                              s[f"{LOG_FORM}.note"], outcome=s[f"{LOG_FORM}.outcome"], today=today)
    except Invalid as problem:
        s[ERROR] = str(problem)
        return
    s.pop(ERROR, None)
    flash("Follow-up logged.")


def follow_up_diary() -> None:
    st.header("Follow-up diary")
    choices = application_choices(db)
    if choices.empty:
        st.info("No applications yet. Each interview you debrief gets a date by which you should have heard.")
        return
    labels = dict(zip(choices.id, (f"{r.company} – {r.role or 'no role'} ({r.status})" for r in choices.itertuples())))
    application_id = st.selectbox("Application", list(labels), format_func=labels.get, key=DIARY_APPLICATION)
    state = follow_ups.follow_up_state(db, today, closed_since=dt.date.min)
    mine = state[state.application_id == application_id]
    interview_id = None
    if not mine.empty:
        row = mine.iloc[0]
        interview_id = cell_int(row.interview_id)
        due = follow_ups.next_follow_up(row, closed=not row.is_open)
        expected = f"answer expected by **{row.expected_by:%a %d %b %Y}**" if row.expected_by else "no answer date noted"
        st.markdown(f"Latest interview {row.starts_on:%a %d %b %Y}; {expected}"
                    + (f"; next follow-up due **{due:%a %d %b %Y}**." if due else "."))
        if row.is_open and row.replies == 0 and row.unanswered >= rules.MOVE_ON_AFTER_UNANSWERED:
            st.warning("Two follow-ups without an answer: time to move on. Mark it ghosted from the Today list above.",
                       icon=":material/visibility_off:")
    diary = follow_ups.follow_up_diary(db, application_id)
    if diary.empty:
        st.caption("No follow-ups logged for this application yet.")
    else:
        st.dataframe(pd.DataFrame({"Day": days(diary.followed_up_on).to_numpy(),
                                   "By": text(diary.channel.map(FOLLOW_UP_LABELS)).to_numpy(),
                                   "Note": text(diary.note).to_numpy(),
                                   "Answer": diary.outcome.map(OUTCOME_LABELS).fillna("No answer yet")}),
                     hide_index=True, width="stretch")
    if error := s.pop(ERROR, None):  # shown once
        st.error(error, icon=":material/error:")
    with st.form(LOG_FORM, clear_on_submit=True):
        day, channel, outcome = st.columns(3)
        day.date_input("Followed up on", value=today, max_value=today, key=f"{LOG_FORM}.on", format="YYYY-MM-DD")
        channel.selectbox("By", list(FOLLOW_UP_LABELS), format_func=FOLLOW_UP_LABELS.get, key=f"{LOG_FORM}.channel")
        outcome.selectbox("Their answer", [None, *OUTCOME_LABELS], key=f"{LOG_FORM}.outcome",
                          format_func=lambda o: "No answer yet" if o is None else OUTCOME_LABELS[o])
        st.text_area("Note", key=f"{LOG_FORM}.note", height=68, max_chars=10_000,
                     placeholder="Who you contacted, what you said")
        st.form_submit_button("Log follow-up", on_click=log_follow_up, args=(application_id, interview_id))


def save_time_zone() -> None:
    try:
        follow_ups.set_time_zone(db, s[TIME_ZONE])
    except Invalid as problem:
        s[f"{TIME_ZONE}.error"] = str(problem)
        return
    flash(f"Times are now shown in {inert(s[TIME_ZONE])}.")


st.header("Today")
show_today(db, P)
thank_you_draft()
follow_up_diary()
st.header("Calendar")
st.caption("Thank-you deadlines, expected answers and follow-up days, with reminders. Import the file into your "
           "calendar; importing a newer one updates the same events instead of adding copies.")
st.download_button("Download calendar (.ics)", data=partial(calendar_bytes, db), file_name="debrief.ics",
                   mime="text/calendar", icon=":material/calendar_month:", key=f"{P}.calendar", on_click="ignore")
st.header("Your time zone")
zones = clock.zone_names()
st.selectbox("Times are shown in", zones, index=zones.index(zone) if zone in zones else None, key=TIME_ZONE,
             on_change=save_time_zone)
if error := s.pop(f"{TIME_ZONE}.error", None):
    st.error(error, icon=":material/error:")
st.caption(f"Now {format_when(clock.to_local(clock.now(), zone))} in {zone}. Times are stored as instants, so "
           f"the {hours(rules.THANK_YOU_WITHIN)} rule counts real hours, across daylight-saving changes too.")
