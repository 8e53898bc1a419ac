"""Applications: what you have applied for, where each stands, and how many are running at once."""
import datetime as dt

import streamlit as st

from lib import settings
from lib.applications import (FIELD_NAMES, STATUSES, Application, ValidationError, active_applications_on,
                              add_application, get_application, list_applications, pipeline_message,
                              update_application)
from lib.debriefs import kept_draft
from lib.ui import DEBRIEF_PAGE, flash, get_db, inert, page_header, show_flash
from lib.ui.tables import shown as as_shown

ADD, EDIT_PICK = "applications.add", "applications.edit_pick"
FUTURE = "confirm_future"   # the key of "Applied on is after today" in a form's errors, and of its checkbox

page_header("Applications", "Keep two or three going at once, so that no single one carries your hopes.", layout="wide")
db = get_db()
show_flash()
if kept_draft(db) is not None:  # e.g. came here from step 5 of a debrief
    st.page_link(DEBRIEF_PAGE, label="Back to your unsaved debrief (it is kept)", icon=":material/undo:")
s = st.session_state


def initial_values(app: Application) -> dict:
    """What each field shows before it is touched: the application's values, applied today if it has no day."""
    return {field: getattr(app, field) for field in FIELD_NAMES} | {"applied_on": app.applied_on or settings.today(db)}


def application_fields(prefix: str, app: Application) -> None:
    """The fields of one application, inside a form; keys start with `prefix`.

    Values start in session state (from `app`), not in the widgets' `value=`, so that a reset after
    adding really empties the form in the browser.
    """
    for field, value in initial_values(app).items():
        if f"{prefix}.{field}" not in s:
            s[f"{prefix}.{field}"] = value
    left, right = st.columns(2)
    left.text_input("Company *", key=f"{prefix}.company", max_chars=200)
    right.text_input("Role", key=f"{prefix}.role", max_chars=200)
    left, middle, right = st.columns(3)
    left.date_input("Applied on *", key=f"{prefix}.applied_on", min_value=dt.date(2000, 1, 1), format="YYYY-MM-DD")
    middle.selectbox("Status", STATUSES, key=f"{prefix}.status")
    right.date_input("Closed on", key=f"{prefix}.closed_on", min_value=dt.date(2000, 1, 1),
                     format="YYYY-MM-DD", help="The day it ended: needed once it is accepted, rejected, withdrawn or ghosted; optional for an offer.")
    st.text_input("Source", key=f"{prefix}.source", placeholder="Job board, referral, recruiter…", max_chars=500)
    st.text_area("Notes", key=f"{prefix}.notes", height=68, max_chars=10_000)
    errors = s.get(f"{prefix}.errors", {})
    for message in errors.values():
        st.error(message, icon=":material/error:")
    if FUTURE in errors:
        st.checkbox("Yes, that date is right", key=f"{prefix}.{FUTURE}")


def read_fields(prefix: str) -> Application:
    return Application(**{f: s.get(f"{prefix}.{f}") for f in FIELD_NAMES})


def submit(prefix: str, application_id: int | None) -> None:
    applied_on = s.get(f"{prefix}.applied_on")
    if applied_on and applied_on > settings.today(db) and not s.get(f"{prefix}.{FUTURE}"):
        s[f"{prefix}.errors"] = {FUTURE: f"Applied on {applied_on:%a %d %b %Y} is after today. Check the date, or "
                                         "tick below that it is right and save again."}
        return
    try:
        if application_id is None:
            add_application(db, read_fields(prefix))
        else:
            update_application(db, application_id, read_fields(prefix))
    except ValidationError as problem:
        s[f"{prefix}.errors"] = problem.errors
        return
    s.pop(f"{prefix}.errors", None)
    s.pop(f"{prefix}.{FUTURE}", None)
    flash("Application saved.")
    if application_id is None:   # an empty form for the next one, in the browser too
        for field, value in initial_values(Application(company="")).items():
            s[f"{prefix}.{field}"] = value


active = active_applications_on(db, settings.today(db))
st.metric("Active today", active, help="Applied for, not closed, and some activity in the last "
          f"{settings.stale_after_days(db)} days")
st.markdown(pipeline_message(active, settings.target_band(db)))

with st.expander("Add an application", expanded=bool(s.get(f"{ADD}.errors"))):
    with st.form(ADD, border=False):
        application_fields(ADD, Application(company=""))
        st.form_submit_button("Add application", type="primary", on_click=submit, args=(ADD, None))

applications = list_applications(db)
if applications.empty:
    st.info("No applications yet. Add the ones you are pursuing; a debrief of an interview also adds its application.")
    st.stop()

st.subheader("All applications")
shown = st.multiselect("Status", STATUSES, key="applications.filter", placeholder="All statuses")
table = applications[applications.status.isin(shown)] if shown else applications
st.dataframe(as_shown(table, dates=["applied_on", "closed_on", "last_activity_on"], texts=["role", "source"])
             [["company", "role", "status", "applied_on", "closed_on", "interviews", "last_activity_on", "source"]],
             hide_index=True, width="stretch",
             column_config={"company": "Company", "role": "Role", "status": "Status", "interviews": "Interviews",
                            "source": "Source", "applied_on": "Applied", "closed_on": "Closed",
                            "last_activity_on": "Last activity"})

st.subheader("Edit an application")
names = {row.id: f"{row.company} – {row.role or 'no role'}" for row in applications.head(500).itertuples()}
picked = st.selectbox("Application", list(names), format_func=names.get, index=None, key=EDIT_PICK,
                      placeholder="Choose one to edit")
if picked is not None:
    current = get_application(db, picked)
    prefix = f"applications.edit.{picked}"
    with st.form(prefix, border=True):
        st.markdown(f"Editing **{inert(names[picked])}**")
        application_fields(prefix, current)
        st.form_submit_button("Save changes", type="primary", on_click=submit, args=(prefix, picked))
