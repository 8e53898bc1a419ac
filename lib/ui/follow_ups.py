"""The "Today" list (home page and the follow-ups page): what is due, each one click from done;
the follow-ups page's thank-you drafts (with the form recording when one went out), diary and zone.

Every key starts with the page's prefix (`home.` or `followups.`) and names the record, so the
same list can sit on two pages. Writes happen in button callbacks; a refusal is kept in session
state and shown above the list on the next run.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import clock, drafts, follow_ups, rules, settings
from ..applications import application_choices
from ..db import Database, cell_date, cell_int
from ..debriefs import THANK_YOU_CHANNELS, interviewers
from . import DEBRIEF_PAGE, PREPARE_PAGE, THANK_YOU_LABELS, flash, format_duration, format_when, inert, on_request
from .tables import days, text
from ..words import hours
from ..validation import Invalid

FOLLOW_UP_LABELS = {"email": "E-mail", "phone": "Phone", "other": "Other"}
OUTCOME_LABELS = {"replied": "They replied", "next_round": "Next round", "offer": "Offer", "rejected": "Rejected",
                  "no_reply": "Still no reply"}

# The Follow-ups page's own widgets.
P = "followups"
DRAFT_INTERVIEW, SENDER = f"{P}.draft.interview", f"{P}.draft.sender"
DIARY_APPLICATION, TIME_ZONE = f"{P}.diary.application", f"{P}.time_zone"
LOG_FORM, ERROR = f"{P}.log", f"{P}.error"


def thank_you_keys(prefix: str, thank_you_id: int) -> tuple[str, str]:
    """(channel select, mark-sent button) keys of one thank-you."""
    return f"{prefix}.thank_you.{thank_you_id}.channel", f"{prefix}.thank_you.{thank_you_id}.sent"


def follow_up_keys(prefix: str, application_id: int) -> dict[str, str]:
    base = f"{prefix}.follow_up.{application_id}"
    return {name: f"{base}.{name}" for name in ("channel", "log", "outcome", "record", "ghosted")}


def _error_key(prefix: str, where: str = "today") -> str:
    return f"{prefix}.{where}_error"


def _attempt(prefix: str, action, success: str, where: str = "today") -> None:
    """Run a write; on refusal keep its message for the widget group `where` to show on the next run."""
    try:
        action()
    except Invalid as problem:
        st.session_state[_error_key(prefix, where)] = str(problem)
        return
    st.session_state.pop(_error_key(prefix, where), None)
    flash(success)


def _mark_sent(db: Database, prefix: str, thank_you_id: int, who: str) -> None:
    channel = st.session_state[thank_you_keys(prefix, thank_you_id)[0]]
    zone = settings.time_zone(db)
    _attempt(prefix, lambda: follow_ups.mark_thank_you_sent(db, thank_you_id, channel, zone=zone),
             f"Thank-you to {inert(who)} marked sent.")


def _log_follow_up(db: Database, prefix: str, item: follow_ups.FollowUpItem, today: dt.date) -> None:
    channel = st.session_state[follow_up_keys(prefix, item.application_id)["channel"]]
    _attempt(prefix, lambda: follow_ups.log_follow_up(db, item.application_id, item.interview_id, today, channel,
                                                   today=today),
             f"Follow-up with {inert(item.company)} logged.")


def _record_outcome(db: Database, prefix: str, application_id: int, company: str, today: dt.date) -> None:
    outcome = st.session_state[follow_up_keys(prefix, application_id)["outcome"]]
    _attempt(prefix, lambda: follow_ups.record_outcome(db, application_id, outcome, today, today=today),
             f"{inert(company)}: {OUTCOME_LABELS[outcome].lower()}, recorded.")


def _mark_ghosted(db: Database, prefix: str, application_id: int, company: str, today: dt.date) -> None:
    _attempt(prefix, lambda: follow_ups.mark_ghosted(db, application_id, today),
             f"{inert(company)} marked as ghosted. On to the next one.")


def show_today(db: Database, prefix: str) -> int:
    """Draw the Today list; return how many items it shows."""
    zone = settings.time_zone(db)
    now = clock.now()
    today = clock.local_day(now, zone)
    thank_yous = follow_ups.thank_yous_due(db, now)
    follow_up_items = follow_ups.follow_ups_to_do(db, today)
    upcoming = follow_ups.upcoming_interviews(db, now)
    if error := st.session_state.pop(_error_key(prefix), None):  # shown once, like a flash
        st.error(error, icon=":material/error:")
    if not thank_yous.empty:
        st.markdown(f"**Thank-yous to send** (within {hours(rules.THANK_YOU_WITHIN)} of the start)")
    for row in thank_yous.itertuples():
        _thank_you(db, prefix, row, zone)
    if follow_up_items:
        st.markdown("**Follow-ups**")
    for item in follow_up_items:
        _follow_up(db, prefix, item, today)
    if not upcoming.empty:
        st.markdown("**Coming up**")
    for row in upcoming.itertuples():
        round_ = f"round {cell_int(row.round)}" if cell_int(row.round) else "interview"
        who = f" with {inert(row.interviewers)}" if row.interviewers else ""
        text, link = st.columns([5, 2], vertical_alignment="center")
        text.markdown(f":material/event: **{inert(row.company)}** – {inert(row.role)}: {round_}{who}, "
                      f"{inert(format_when(clock.to_local(row.starts_at.to_pydatetime(), zone)))}")
        with link:
            st.page_link(PREPARE_PAGE, label="Prepare", icon=":material/school:",
                         query_params={"application": str(int(row.application_id))})
    shown = len(thank_yous) + len(follow_up_items) + len(upcoming)
    if not shown:
        st.caption("Nothing due: no thank-you waiting, no follow-up due, no interview in the next two weeks.")
    return shown


def _thank_you(db: Database, prefix: str, row, zone: str) -> None:
    who = row.interviewer or f"the {row.company} panel"
    due = format_when(clock.to_local(row.due_at.to_pydatetime(), zone))
    timing = (f":red[**overdue** by {format_duration(row.time_left)}]" if row.overdue
              else f"**{format_duration(row.time_left)} left**")
    channel_key, sent_key = thank_you_keys(prefix, row.thank_you_id)
    with st.container(border=True):
        text, channel, button = st.columns([5, 3, 2], vertical_alignment="center")
        text.markdown(f":material/mail: Thank-you to **{inert(who)}** · {inert(row.company)} – {inert(row.role)}")
        text.caption(f"Due by {inert(due)}: {timing}")
        channel.selectbox("Sent by", THANK_YOU_CHANNELS, index=THANK_YOU_CHANNELS.index(row.channel),
                          format_func=THANK_YOU_LABELS.get, key=channel_key, label_visibility="collapsed")
        button.button("Mark sent", key=sent_key, icon=":material/done:", width="stretch",
                      on_click=_mark_sent, args=(db, prefix, row.thank_you_id, who))


def _follow_up(db: Database, prefix: str, item: follow_ups.FollowUpItem, today: dt.date) -> None:
    keys = follow_up_keys(prefix, item.application_id)
    status = item.status(today)
    with st.container(border=True):
        heading = (":material/hourglass_empty: Still no answer from" if status == "move_on"
                   else ":material/call: Follow up with")
        st.markdown(f"{heading} **{inert(item.company)}** – {inert(item.role)}"
                    + (f" ({inert(item.interviewers)})" if item.interviewers else ""))
        expected = f"An answer was expected by {item.expected_by:%a %d %b}"
        if status == "move_on":
            st.caption(f"{expected}. Two follow-ups without an answer: time to move on, and put the energy "
                       "into your other applications.")
        else:
            when = {"overdue": f":red[**overdue** since {item.due:%a %d %b}]", "due": "**due today**",
                    "soon": f"due {item.due:%a %d %b}"}[status]
            again = " (the second one)" if item.unanswered else ""
            asked = " They asked you not to follow up." if item.may_follow_up is False else ""
            st.caption(f"{expected}; a follow-up{again} is {when}.{asked}")
            label, channel, log = st.columns([2, 3, 2], vertical_alignment="center")
            label.markdown("Followed up by")
            channel.selectbox("Followed up by", list(FOLLOW_UP_LABELS), format_func=FOLLOW_UP_LABELS.get,
                              key=keys["channel"], label_visibility="collapsed")
            log.button("Log follow-up", key=keys["log"], icon=":material/add_call:", width="stretch",
                       on_click=_log_follow_up, args=(db, prefix, item, today))
        label, outcome, record = st.columns([2, 3, 2], vertical_alignment="center")
        label.markdown("Their answer")
        outcome.selectbox("Their answer", [o for o in OUTCOME_LABELS if o != "no_reply"],
                          format_func=OUTCOME_LABELS.get, key=keys["outcome"], label_visibility="collapsed")
        record.button("Record answer", key=keys["record"], icon=":material/mark_email_read:", width="stretch",
                      on_click=_record_outcome, args=(db, prefix, item.application_id, item.company, today))
        if status == "move_on":
            st.button("Mark as ghosted", key=keys["ghosted"], icon=":material/visibility_off:",
                      on_click=_mark_ghosted, args=(db, prefix, item.application_id, item.company, today))


def _record_sent_at(db: Database, prefix: str, thank_you_id: int, who: str, zone: str) -> None:
    base = f"{prefix}.sent_at.{thank_you_id}"
    local = dt.datetime.combine(st.session_state[f"{base}.day"], st.session_state[f"{base}.time"])
    channel = st.session_state[f"{base}.channel"]
    _attempt(prefix, lambda: follow_ups.mark_thank_you_sent(db, thank_you_id, channel, clock.to_instant(local, zone),
                                                         zone=zone),
             f"Thank-you to {inert(who)} recorded as sent.", where="sent_at")


def thank_you_sent_form(db: Database, prefix: str, interview_id: int, interviewer_id: int | None, who: str) -> None:
    """The thank-you to one interviewer: when it went out, or a small form to record the day, time and channel."""
    zone = settings.time_zone(db)
    rows = db.query("interview_thank_yous", id=interview_id)
    mine = rows[rows.interviewer_id.isna()] if interviewer_id is None else rows[rows.interviewer_id == interviewer_id]
    if mine.empty:
        return
    row = mine.iloc[0]
    sent_on = cell_date(row.sent_on)
    if sent_on is not None:
        when = (f"{sent_on:%a %d %b %Y}" if pd.isna(row.sent_at)
                else format_when(clock.to_local(row.sent_at.to_pydatetime(), zone)))
        st.success(f"Sent to {inert(who)} on {when} ({THANK_YOU_LABELS[row.channel].lower()}).", icon=":material/done_all:")
        return
    base = f"{prefix}.sent_at.{int(row.id)}"
    now = clock.to_local(clock.now(), zone)
    if error := st.session_state.pop(_error_key(prefix, "sent_at"), None):
        st.error(error, icon=":material/error:")
    with st.form(base, border=True):
        st.markdown(f"**Sent it?** Record when the thank-you to {inert(who)} went out ({inert(zone)} time).")
        day, time, channel = st.columns(3)
        day.date_input("Day", value=now.date(), max_value=now.date(), key=f"{base}.day", format="YYYY-MM-DD")
        time.time_input("Time", value=now.time().replace(second=0, microsecond=0), key=f"{base}.time", step=300)
        channel.selectbox("By", THANK_YOU_CHANNELS, index=THANK_YOU_CHANNELS.index(row.channel),
                          format_func=THANK_YOU_LABELS.get, key=f"{base}.channel")
        st.form_submit_button("Record as sent", icon=":material/done:",
                              on_click=_record_sent_at, args=(db, prefix, int(row.id), who, zone))


def thank_you_drafts(db: Database, zone: str) -> None:
    """The Follow-ups page's thank-you drafts: pick an interview and a person, edit, send, record it sent."""
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
    _show_draft(f"{key}.{to}", draft)
    thank_you_sent_form(db, P, interview_id, to, recipients[to] if to is not None else f"the {context.company} panel")


def _show_draft(key: str, draft: drafts.Draft) -> None:
    s = st.session_state
    # A new draft (other choices above) replaces the text; edits to the same draft are kept.
    if s.get(f"{key}.generated") != draft.body:
        s[f"{key}.generated"] = s[f"{key}.body"] = draft.body
    st.markdown(f"**Subject:** {inert(draft.subject)}")
    body = st.text_area("E-mail (edit freely)", key=f"{key}.body", height=320, max_chars=10_000)
    st.link_button("Open in your e-mail app", drafts.mailto_link(draft.subject, body, draft.to), icon=":material/send:")
    if not draft.to:
        st.caption("No e-mail address in this debrief: your e-mail app will ask who to send it to. "
                   "Add the interviewer's address on the Debrief page to have it filled in.")
    # The copy button (st.code) on request: it loads the browser's 1.5 MB code highlighter (docs/performance.md).
    if on_request("Copy the e-mail with one click", f"{key}.copy"):
        st.caption("The copy button is at the top right of the box.")
        st.code(body, language=None, wrap_lines=True)
    st.markdown(f"**Handwritten card** ({drafts.word_count(draft.card)} words)")
    with st.container(border=True):  # to copy out by hand: plain text, no copy button
        st.text(draft.card)


def _log_from_diary(db: Database, application_id: int, interview_id, today: dt.date) -> None:
    s = st.session_state
    try:
        follow_ups.log_follow_up(db, application_id, interview_id, s[f"{LOG_FORM}.on"], s[f"{LOG_FORM}.channel"],
                              s[f"{LOG_FORM}.note"], outcome=s[f"{LOG_FORM}.outcome"], today=today)
    except Invalid as problem:
        s[ERROR] = str(problem)
        return
    s.pop(ERROR, None)
    flash("Follow-up logged.")


def follow_up_diary(db: Database, today: dt.date) -> None:
    """One application's follow-ups: when the next is due, the ones logged, and a form to log one."""
    s = st.session_state
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
        st.form_submit_button("Log follow-up", on_click=_log_from_diary,
                              args=(db, application_id, interview_id, today))


def _save_time_zone(db: Database) -> None:
    s = st.session_state
    try:
        follow_ups.set_time_zone(db, s[TIME_ZONE])
    except Invalid as problem:
        s[f"{TIME_ZONE}.error"] = str(problem)
        return
    flash(f"Times are now shown in {inert(s[TIME_ZONE])}.")


def time_zone_picker(db: Database, zone: str) -> None:
    """The zone every time is shown in, and what 'now' is there."""
    s = st.session_state
    zones = clock.zone_names()
    st.selectbox("Times are shown in", zones, index=zones.index(zone) if zone in zones else None, key=TIME_ZONE,
                 on_change=_save_time_zone, args=(db,))
    if error := s.pop(f"{TIME_ZONE}.error", None):
        st.error(error, icon=":material/error:")
    st.caption(f"Now {format_when(clock.to_local(clock.now(), zone))} in {zone}. Times are stored as instants, so "
               f"the {hours(rules.THANK_YOU_WITHIN)} rule counts real hours, across daylight-saving changes too.")
