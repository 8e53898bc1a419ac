"""The Applications page's parts: where you stand today, the add and edit forms, the table of applications.

Keys are constants here so that tests drive the page by the same names. The form's fields are the declared
ones (lib/applications.py, APPLICATION_FIELDS); a new field adds its widget in application_fields.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import settings
from ..applications import (FIELD_NAMES, STATUSES, Application, ValidationError, active_applications_on,
                            add_application, get_application, pipeline_message, update_application)
from ..db import Database
from . import flash, inert, on_request, opened
from .tables import markdown_table, shown as as_shown

ADD, EDIT_PICK, FILTER = "applications.add", "applications.edit_pick", "applications.filter"
ADD_OPEN = "applications.add_open"  # the add form's expander, open or closed
GRID = "applications.grid"  # all applications as a grid, on request
LISTED = 25  # applications listed as a plain table, the latest activity first
COLUMNS = {"company": "Company", "role": "Role", "status": "Status", "applied_on": "Applied", "closed_on": "Closed",
           "interviews": "Interviews", "last_activity_on": "Last activity", "source": "Source"}
FUTURE = "confirm_future"   # the key of "Applied on is after today" in a form's errors, and of its checkbox


def active_today(db: Database) -> None:
    """How many applications are active today, against the target band."""
    active = active_applications_on(db, settings.today(db))
    st.metric("Active today", active, help="Applied for, not closed, and some activity in the last "
              f"{settings.stale_after_days(db)} days")
    st.markdown(pipeline_message(active, settings.target_band(db)))


def add_form(db: Database) -> None:
    """The form to add one, drawn only while its expander is open (lib.ui.opened)."""
    if box := opened("Add an application", ADD_OPEN, expanded=bool(st.session_state.get(f"{ADD}.errors"))):
        with box, st.form(ADD, border=False):
            application_fields(db, ADD, Application(company=""))
            st.form_submit_button("Add application", type="primary", on_click=submit, args=(db, ADD, None))


def applications_table(applications: pd.DataFrame) -> None:
    """Every application, filtered by status when some are picked: the LISTED with the latest activity as a
    plain table, and all of them as a grid to sort and scroll on request (its code is 1.3 MB to load)."""
    st.subheader("All applications")
    picked = st.multiselect("Status", STATUSES, key=FILTER, placeholder="All statuses")
    table = applications[applications.status.isin(picked)] if picked else applications
    table = as_shown(table, dates=["applied_on", "closed_on", "last_activity_on"], texts=["role", "source"])[list(COLUMNS)]
    if table.empty:
        st.caption("No application has that status.")
        return
    if len(table) > LISTED and on_request(f"All {len(table)}, in a table to sort and scroll", GRID):
        st.dataframe(table, hide_index=True, width="stretch", column_config=COLUMNS)
        return
    st.markdown(markdown_table(table.head(LISTED).rename(columns=COLUMNS), days=["Applied", "Closed", "Last activity"]))
    if len(table) > LISTED:
        st.caption(f"The {LISTED} with the latest activity, of {len(table)}.")


def edit_form(db: Database, applications: pd.DataFrame) -> None:
    """Pick one of the 500 most recent applications, then its form."""
    st.subheader("Edit an application")
    names = {row.id: f"{row.company} – {row.role or 'no role'}" for row in applications.head(500).itertuples()}
    picked = st.selectbox("Application", list(names), format_func=names.get, index=None, key=EDIT_PICK,
                          placeholder="Choose one to edit")
    if picked is None:
        return
    current = get_application(db, picked)
    prefix = f"applications.edit.{picked}"
    with st.form(prefix, border=True):
        st.markdown(f"Editing **{inert(names[picked])}**")
        application_fields(db, prefix, current)
        st.form_submit_button("Save changes", type="primary", on_click=submit, args=(db, prefix, picked))


def initial_values(db: Database, app: Application) -> dict:
    """What each field shows before it is touched: the application's values, applied today if it has no day."""
    return {field: getattr(app, field) for field in FIELD_NAMES} | {"applied_on": app.applied_on or settings.today(db)}


def application_fields(db: Database, prefix: str, app: Application) -> None:
    """The fields of one application, inside a form; keys start with `prefix`.

    Values start in session state (from `app`), not in the widgets' `value=`, so that a reset after
    adding really empties the form in the browser.
    """
    s = st.session_state
    for field, value in initial_values(db, app).items():
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
    s = st.session_state
    return Application(**{f: s.get(f"{prefix}.{f}") for f in FIELD_NAMES})


def submit(db: Database, prefix: str, application_id: int | None) -> None:
    """Form callback: add or update the application, or keep the errors for the form to show."""
    s = st.session_state
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
        for field, value in initial_values(db, Application(company="")).items():
            s[f"{prefix}.{field}"] = value
