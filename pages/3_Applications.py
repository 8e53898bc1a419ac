"""Applications: what you have applied for, where each stands, and how many are running at once."""
import streamlit as st

from lib.applications import list_applications
from lib.debriefs import kept_draft
from lib.ui import DEBRIEF_PAGE, get_db, page_header, show_flash
from lib.ui.applications import active_today, add_form, applications_table, edit_form

page_header("Applications", "Keep two or three going at once, so that no single one carries your hopes.", layout="wide")
db = get_db()
show_flash()
if kept_draft(db) is not None:  # e.g. came here from step 5 of a debrief
    st.page_link(DEBRIEF_PAGE, label="Back to your unsaved debrief (it is kept)", icon=":material/undo:")

active_today(db)
add_form(db)
applications = list_applications(db)
if applications.empty:
    st.info("No applications yet. Add the ones you are pursuing; a debrief of an interview also adds its application.")
    st.stop()
applications_table(applications)
edit_form(db, applications)
