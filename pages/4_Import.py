"""Import: bring in the spreadsheet you already keep (questions asked, applications), all or nothing."""
import streamlit as st

from lib import importer
from lib.ui import get_db, inert, page_header, show_flash
from lib.ui.asked_before import index_progress
from lib.ui.importer import DONE, FILES, explain_format, import_button, show_file, show_outcome

page_header("Import", "Bring in the spreadsheet you already keep. Nothing is written unless every row is valid.",
            layout="wide")
db = get_db()
show_flash()
s = st.session_state

explain_format()
if DONE in s:
    st.success(s.pop(DONE), icon=":material/check_circle:")
index_progress(db)
uploads = st.file_uploader("CSV files", type="csv", accept_multiple_files=True, key=FILES)
if not uploads:
    st.info("Choose a questions file, an applications file, or both (see above for the columns). You will see "
            "every row, and any problem with its line number, before anything is written.")
    st.stop()

plan = importer.plan_import(db, [(upload.name, upload.getvalue()) for upload in uploads])
for file in plan.files:
    show_file(file, plan)
for warning in plan.warnings:
    st.warning(inert(warning))
show_outcome(plan)
import_button(db, plan)
