"""The Import page's parts: the format explained, each file's rows as read, the outcome and the button.

Keys are constants here so that tests drive the page by the same names.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import importer
from ..db import Database
from ..words import plural
from . import flash, inert
from .asked_before import start_index
from .tables import shown

FILES, APPLY, DONE = "import.files", "import.apply", "import.done"
KINDS = {importer.QUESTIONS: "Questions file: one row per question asked",
         importer.APPLICATIONS: "Applications file: one row per application"}


def explain_format() -> None:
    """The columns of each kind of file, and empty files to fill in."""
    with st.expander("What the files look like"):
        st.markdown(
            "CSV saved as **UTF-8**, comma-separated, column names on the first line (any order, any case). "
            "Columns marked \\* are required; unknown columns are ignored. Importing a file again adds nothing.\n\n"
            f"**Questions file**, one row per question: {importer.column_list(importer.QUESTIONS)}. Rows with the "
            "same company, role and interview_at are one interview; its interview-level columns can be filled on "
            "its first row only.\n\n"
            f"**Applications file**, one row per application: {importer.column_list(importer.APPLICATIONS)}."
        )
        for column, kind in zip(st.columns(2), KINDS):
            column.download_button(f"Empty {kind} file", importer.template(kind), file_name=f"{kind}.csv",
                                   mime="text/csv", key=f"import.template.{kind}")


def run_import(db: Database, plan: importer.ImportPlan) -> None:
    """Button callback: write the checked files in one transaction."""
    try:
        result = importer.apply_import(db, plan)
    except importer.ImportRefused:
        # The database changed since the preview; the rerun checks again and lists why.
        flash("Nothing was imported: the files no longer pass the checks.", icon=":material/error:")
        return
    flash(result.summary())
    st.session_state[DONE] = result.summary()
    start_index(db)  # "Asked before?" vectors for the new wordings, after the commit, off the page's thread


LINE_COLUMN = st.column_config.NumberColumn("Line", width="small")
CHECK = "check"
FIRST_COLUMNS = (CHECK, "line", "score", "question", "company", "interview_at", "applied_on", "status")
# Highlighting every cell is costly in the browser: beyond this many rows, the check column alone marks them.
MAX_HIGHLIGHTED_ROWS = 5_000
BAD_ROW = "background-color: rgba(239, 68, 68, 0.22)"


def preview(file: importer.ParsedFile, problems: dict[int, list[str]]) -> pd.DataFrame:
    """The rows as read, a check column first ('⚠ the problem' or '✓'), the score and question next."""
    rows = shown(file.rows, texts=[c for c in file.rows.columns if c != "line"])
    rows.insert(0, CHECK, ["⚠ " + " ".join(problems[line]) if line in problems else "✓" for line in rows["line"]])
    return rows[[c for c in FIRST_COLUMNS if c in rows] + [c for c in rows if c not in FIRST_COLUMNS]]


def show_file(file: importer.ParsedFile, plan: importer.ImportPlan) -> None:
    """The kind of file detected, and its rows as read, each row with a problem marked."""
    st.subheader(inert(file.name))
    problems: dict[int, list[str]] = {}
    for error in plan.errors:
        if error.file == file.name and error.line is not None:
            problems.setdefault(error.line, []).append(error.reason)
    marked = int(file.rows["line"].isin(problems).sum())
    st.caption(f"{KINDS[file.kind]} · {plural(len(file.rows), 'row')}"
               + (f" · {plural(marked, 'row')} with a problem, marked ⚠" if marked else ""))
    rows = preview(file, problems)
    table = rows
    if marked and len(rows) <= MAX_HIGHLIGHTED_ROWS:
        table = rows.style.apply(lambda row: [BAD_ROW if row[CHECK] != "✓" else ""] * len(row), axis=1)
    st.dataframe(table, hide_index=True, column_config={
        CHECK: st.column_config.TextColumn("Check", width="small" if not marked else "medium", pinned=True),
        # As typed, so a bad score ("eleven") shows as it is in the file: text, pinned like a score.
        "line": LINE_COLUMN, "score": st.column_config.TextColumn("score", width="small", pinned=True)})


def show_outcome(plan: importer.ImportPlan) -> None:
    """Every problem with its file and line, or what the import will add."""
    if plan.errors:
        st.error(f"{plural(len(plan.errors), 'problem')} to fix in the file; "
                 "nothing will be imported until every row is valid.", icon=":material/error:")
        st.dataframe(plan.errors_frame(), hide_index=True,
                     column_config={"file": "File", "line": LINE_COLUMN,
                                    "reason": st.column_config.TextColumn("Problem", width="large")})
        return
    will = plan.expected
    for column, (label, value) in zip(st.columns(4), (
            ("New applications", will.applications_added), ("New interviews", will.interviews_added),
            ("New questions", will.questions_added), ("Already present", will.already_present))):
        column.metric(label, f"{value:,}")
    if will.applications_updated:
        st.caption(f"{will.applications_updated:,} stored application(s) will take the values in the file.")


def import_button(db: Database, plan: importer.ImportPlan) -> None:
    """The one button that writes, disabled while there is a problem or nothing new; says when all is stored."""
    nothing_new = plan.expected is not None and not plan.expected.changes_anything
    if nothing_new and plan.row_count:
        st.info("Every row of these files is already in Debrief (imported before): there is nothing to import.",
                icon=":material/check_circle:")
    st.button(f"Import {plural(plan.row_count, 'row')}", key=APPLY, type="primary",
              disabled=bool(plan.errors) or not plan.row_count or nothing_new, on_click=run_import, args=(db, plan))
