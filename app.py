"""Debrief's home page: where you stand today, and the way into each step."""
import streamlit as st

from lib import review, sample, settings
from lib.applications import active_applications_on, pipeline_message, record_counts
from lib.clock import to_local
from lib.debriefs import kept_draft, list_interviews
from lib.ui import (APPLICATIONS_PAGE, DEBRIEF_PAGE, FOLLOW_UPS_PAGE, IMPORT_PAGE, INTERVIEWS_PAGE, PREPARE_PAGE,
                    REVIEW_PAGE, flash, format_when, get_db, inert, page_header, show_flash)
from lib.ui.follow_ups import show_today

page_header("Debrief", "Right after an interview: note what went well, write your notes and scores, plan the "
            "thank-you and the follow-up. Then see your pattern over time.")
db = get_db()
show_flash()


def load_sample() -> None:
    added = sample.load_sample(db)
    flash(f"Sample data loaded: {added} interviews from a made-up job search.", icon=":material/science:")


def remove_sample() -> None:
    sample.remove_sample(db)
    flash("Sample data removed, with the reviews and practice done on it. Your own entries are untouched.",
          icon=":material/delete_sweep:")


counts = record_counts(db)
if counts.applications == 0:
    st.subheader("Start here")
    st.markdown("1. Just out of an interview? **Debrief it** while it is fresh: five minutes.\n"
                "2. Already keep a spreadsheet? **Import** it (CSV).\n"
                "3. Just looking? **Load sample data**: a few months of a made-up job search, removable in one click.")
    st.page_link(DEBRIEF_PAGE, label="Debrief an interview", icon=":material/edit_note:")
    st.page_link(IMPORT_PAGE, label="Import a spreadsheet", icon=":material/upload_file:")
    st.button("Load sample data", key="home.load_sample", on_click=load_sample)
    st.stop()

# First on the first screen, phone included: the one thing to do right after an interview.
st.page_link(DEBRIEF_PAGE, icon=":material/edit_note:",
             label="Continue your unsaved debrief" if kept_draft(db) is not None else "Debrief an interview")
if counts.sample_applications:
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.info("You are looking at **sample data** (a made-up job search).", icon=":material/science:")
    right.button("Remove sample data", key="home.remove_sample", on_click=remove_sample)

active = active_applications_on(db, settings.today(db))
low, high = settings.target_band(db)
left, middle, right = st.columns(3)
left.metric("Active applications", active, help=f"Your target is {low}–{high} at once")
middle.metric("Interviews logged", int(counts.interviews))
right.metric("Questions noted", int(counts.questions))
st.markdown(pipeline_message(active, (low, high)))

st.subheader("Today")
show_today(db, "home")
st.page_link(FOLLOW_UPS_PAGE, label="Thank-you drafts, follow-up diary, calendar", icon=":material/schedule_send:")

st.subheader("Recent interviews")
recent = list_interviews(db, max_applications=5).sort_values("starts_at", ascending=False).head(5)
for row in recent.itertuples():
    score = f"{row.mean_score:.1f}/10" if row.questions else "no scores"
    when = format_when(to_local(row.starts_at.to_pydatetime(), settings.time_zone(db)))
    st.markdown(f"- **{inert(row.company)}** – {inert(row.role)} · {when} · {score}")
left, middle, right = st.columns(3)
with left:
    st.page_link(DEBRIEF_PAGE, label="Debrief an interview", icon=":material/edit_note:")
with middle:
    st.page_link(INTERVIEWS_PAGE, label="All interviews", icon=":material/forum:")
with right:
    st.page_link(APPLICATIONS_PAGE, label="Applications", icon=":material/work:")
st.caption(review.review_nudge(review.since_last_review(db), settings.today(db)))
left, middle, right = st.columns(3)
with left:
    st.page_link(PREPARE_PAGE, label="Prepare for an interview", icon=":material/school:")
with middle:
    st.page_link(REVIEW_PAGE, label="Review session (15 minutes)", icon=":material/self_improvement:")
