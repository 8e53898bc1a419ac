"""Your data: where it lives, everything as a ZIP, a backup to keep, and how to restore either."""
import datetime as dt

import duckdb
import streamlit as st

from lib import backup, export
from lib.db import backups_dir
from lib.ui import code_span, flash, get_db, inert, page_header, show_flash
from lib.words import size_text

EXPORT, BACKUP_DOWNLOAD, BACKUP_NOW = "your_data.export", "your_data.backup_download", "your_data.backup_now"
SHOWN_BACKUPS = 5

page_header("Your data", "Everything you write stays in one file on this machine. Take it with you, keep copies.")
db = get_db()
show_flash()


def back_up_now() -> None:
    """Button callback: a new backup in the backups folder."""
    try:
        made = backup.write_backup(db)
    except (OSError, ValueError, duckdb.Error) as problem:  # a full disk, an unwritable folder
        flash(f"No backup was made: {problem}", icon=":material/error:")
        return
    flash(f"Backed up to {made.path.name} ({size_text(made.size)}).")


def where_it_lives() -> None:
    st.subheader("Where it lives")
    if db.remote:
        st.markdown("A MotherDuck database (backups need a file name: `python -m lib backup FILE`):")
        st.markdown(code_span(db.path))
        return
    # Paths and commands as inline code, not st.code: no code highlighter to load (docs/performance.md, "Page loads").
    st.markdown(f"The database file ({size_text(db.size_on_disk())} with its write-ahead log), readable by your user only:")
    st.markdown(code_span(db.path))
    st.markdown("Backups go to this folder beside it:")
    st.markdown(code_span(backups_dir(db.path)))
    if db.migration_backup is not None:
        st.info(f"Debrief was updated since you last opened this file; the file as it was before is kept as "
                f"{inert(db.migration_backup.name)}.", icon=":material/history:")
    kept = backup.list_backups(db)
    if not kept:
        st.caption("No backups yet. Make one below: it takes a second.")
    for path in kept[:SHOWN_BACKUPS]:
        taken = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%d %b %Y, %H:%M")
        st.caption(f"{taken} · {inert(path.name)} · {size_text(path.stat().st_size)}")


def take_it_with_you() -> None:
    st.subheader("Take it with you")
    st.markdown("**Everything as a ZIP**: one CSV file per table, a manifest, and your applications and questions "
                "in the import format, ready for a spreadsheet (or to import into another Debrief).")
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M")
    st.download_button("Download everything (ZIP)", lambda: export.export_archive(db).data,
                       file_name=f"debrief-export-{stamp}.zip", mime="application/zip", key=EXPORT,
                       icon=":material/folder_zip:", on_click="ignore")
    st.markdown("**A backup**: the whole database as one DuckDB file, exactly as it is now.")
    left, right = st.columns(2)
    left.download_button("Download a backup", lambda: backup.backup_bytes(db), file_name=backup.download_name(db),
                         mime="application/octet-stream", key=BACKUP_DOWNLOAD, icon=":material/download:",
                         on_click="ignore")
    if not db.remote:
        right.button("Back up now into the backups folder", key=BACKUP_NOW, on_click=back_up_now,
                     icon=":material/backup:")


def how_to_restore() -> None:
    st.subheader("Getting it back")
    st.markdown("Stop Debrief first (Ctrl+C in the terminal running `make run`): only one program may use the file.  \n"
                "**From a backup**: move the damaged file aside, put the newest backup in its place, start again:")
    if not db.remote:
        st.markdown(code_span(backup.restore_commands(db)))
    st.markdown("**From a ZIP**: it goes into a new, empty database:")
    st.markdown(code_span(".venv/bin/python -m lib restore debrief-export.zip --db ~/debrief-restored.duckdb\n"
                          "make run DB=~/debrief-restored.duckdb"))
    st.caption("The import-format files inside the ZIP also import on the Import CSV page of any Debrief.")


def private_by_default() -> None:
    st.subheader("Private by default")
    st.markdown(
        "- Debrief listens on this machine only (127.0.0.1) and sends no usage statistics.\n"
        "- The database, its log, the backups in the backups folder and exports written by the command line "
        "are readable by your user only; a download gets your browser's permissions.\n"
        "- Anyone who can reach the page can read your notes: before opening it to a network, "
        "read `docs/security.md`."
    )


where_it_lives()
take_it_with_you()
how_to_restore()
private_by_default()
