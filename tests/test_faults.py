"""Faults Debrief survives: a file held by another process, a damaged file, an old schema, many sessions at once.

The kill -9 trials live in tests/stress/ (a short run here in `make test`, the full one by hand).
"""
import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from stress.concurrent_saves import save_from_threads

from lib import backup, sample
from lib.db import Database, DatabaseLocked, DatabaseUnreadable, backups_dir, migrations
from lib.debriefs import Debrief, Question, save_debrief
from lib.ui import YOUR_DATA_PAGE

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 3, 30)


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def open_page_on(db_path: Path, monkeypatch, page: str | None = None) -> AppTest:
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


# -- another process holds the file ----------------------------------------------------------

@pytest.fixture
def held(db_path):
    """The database open in another process (a second Debrief, say) for as long as the test runs."""
    Database(db_path).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(60)", str(db_path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    yield holder
    holder.kill()
    holder.wait()


def test_a_held_database_is_explained_with_the_holder_and_a_way_out(db_path, held):
    with pytest.raises(DatabaseLocked) as problem:
        Database(db_path)
    assert f"process {held.pid}" in str(problem.value) and "make run DB=" in str(problem.value)


@pytest.mark.parametrize("command", [["backup"], ["export", "out.zip"], ["report"]])
def test_the_cli_on_a_held_database_prints_the_reason_and_no_traceback(db_path, held, tmp_path, command):
    args = [part if part != "out.zip" else str(tmp_path / "out.zip") for part in command]
    result = run_cli(*args, "--db", str(db_path))
    assert result.returncode == 2
    assert "Another program" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("page", [None, YOUR_DATA_PAGE])
def test_the_app_on_a_held_database_shows_the_reason_not_a_traceback(db_path, held, monkeypatch, page):
    at = open_page_on(db_path, monkeypatch, page)
    assert not at.exception
    assert any("Another program" in error.value for error in at.error)


# -- a damaged file or not a database at all -------------------------------------------------

def garbage_header_block(path: Path) -> None:
    """A real database whose first data block was overwritten (a bad disk sector, a bad sync)."""
    db = Database(path)
    sample.load_sample(db, today=TODAY)
    db.close()
    with open(path, "r+b") as file:
        file.seek(4096)
        file.write(os.urandom(3000))


def truncated(path: Path) -> None:
    db = Database(path)
    sample.load_sample(db, today=TODAY)
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[:10_000])


DAMAGE = {
    "notes saved under the wrong name": lambda path: path.write_text("these are my notes, not a database"),
    "a spreadsheet": lambda path: path.write_bytes(b"PK\x03\x04" + os.urandom(2000)),
    "a damaged block": garbage_header_block,
    "a truncated copy": truncated,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_file_is_reported_left_untouched_and_a_backup_suggested(db_path, damage):
    DAMAGE[damage](db_path)
    before = fingerprint(db_path)
    with pytest.raises(DatabaseUnreadable) as problem:
        Database(db_path)
    message = str(problem.value)
    assert "has not changed it" in message and "Restore it from a backup" in message
    assert str(backups_dir(db_path)) in message
    assert fingerprint(db_path) == before


def test_the_cli_on_a_damaged_file_says_so_and_leaves_it_alone(db_path):
    db_path.write_text("these are my notes, not a database")
    result = run_cli("backup", "--db", str(db_path))
    assert result.returncode == 2
    assert "Restore it from a backup" in result.stderr and "Traceback" not in result.stderr
    assert db_path.read_text() == "these are my notes, not a database"
    assert not backups_dir(db_path).exists()


def test_the_app_on_a_damaged_file_shows_the_reason_not_a_traceback(db_path, monkeypatch):
    db_path.write_text("these are my notes, not a database")
    at = open_page_on(db_path, monkeypatch, YOUR_DATA_PAGE)
    assert not at.exception
    assert any("Restore it from a backup" in error.value for error in at.error)
    assert db_path.read_text() == "these are my notes, not a database"


def test_a_backup_of_a_damaged_file_opens_in_its_place(db_path):
    db = Database(db_path)
    sample.load_sample(db, today=TODAY)
    made = backup.write_backup(db)
    counts = db.row_counts()
    db.close()
    db_path.write_text("damaged")
    shutil.copyfile(made.path, db_path)  # "Restoring from a backup" in the README
    assert Database(db_path).row_counts() == counts


# -- a database from the first schema --------------------------------------------------------

FIRST_SCHEMA_ROWS = """
INSERT INTO applications (company, role, source, applied_on, status, closed_on, notes, is_sample)
VALUES ('Contoso', 'Analyst', 'Referral', DATE '2026-03-01', 'rejected', DATE '2026-03-20', 'née, "quoted", 😀', false),
       ('Fabrikam', '', NULL, DATE '2026-03-05', 'interviewing', NULL, NULL, true);
INSERT INTO interviews (application_id, round, stage, format, starts_at, time_zone, key_topics, next_steps,
                        timeline_given, may_follow_up, expected_response_by, expected_response_is_default, is_sample)
VALUES (1, 1, 'Panel', 'video', TIMESTAMPTZ '2026-03-10 09:00:00+00', 'Europe/London', 'SQL', 'Wait', 'a week', true,
        DATE '2026-03-17', true, false),
       (2, NULL, NULL, NULL, TIMESTAMPTZ '2026-03-12 13:30:00+00', 'UTC', NULL, NULL, NULL, NULL, NULL, false, true);
INSERT INTO reflections (interview_id, kind, seq, item) VALUES (1, 'went_well', 0, 'On time'), (1, 'to_improve', 0, 'Shorter');
INSERT INTO interviewers (interview_id, seq, name, position) VALUES (1, 0, 'Ann Lee', 'Head of Data'), (2, 0, 'Raj', NULL);
INSERT INTO questions (interview_id, seq, wording, answer_note, score, category)
VALUES (1, 0, 'Why us?', 'Mission', 7, 'motivation'), (2, 0, 'Tell me about yourself', NULL, 4, NULL);
INSERT INTO thank_yous (interview_id, interviewer_id, channel, sent_at, sent_on)
VALUES (1, 1, 'email', TIMESTAMPTZ '2026-03-10 18:00:00+00', DATE '2026-03-10'), (2, 2, 'handwritten', NULL, NULL);
INSERT INTO follow_ups (application_id, interview_id, followed_up_on, channel, note, outcome)
VALUES (1, 1, DATE '2026-03-18', 'email', 'Checked in', 'rejected');
INSERT INTO settings (key, value) VALUES ('time_zone', 'Europe/London'), ('target_low', '2');
"""


@pytest.fixture
def first_schema_db(db_path, monkeypatch):
    """A database file built with the first migration only, with rows in every one of its tables."""
    monkeypatch.setattr("lib.db.migrations", lambda: migrations()[:1])
    old = Database(db_path)
    old.cursor().execute(FIRST_SCHEMA_ROWS)
    snapshot = {table: (columns, old.cursor().execute(f'SELECT {columns} FROM "{table}" ORDER BY ALL').fetchall())
                for table in old.tables() if table != "schema_migrations"
                for columns in [", ".join(f'"{name}"' for name, _ in old.columns(table))]}
    old.close()
    monkeypatch.undo()
    assert all(rows for _, rows in snapshot.values()), "the fixture must put rows in every table"
    return snapshot


def test_migrating_from_the_first_schema_keeps_every_row(db_path, first_schema_db):
    db = Database(db_path)
    assert db.schema_version() == len(migrations())
    for table, (columns, rows) in first_schema_db.items():
        assert db.cursor().execute(f'SELECT {columns} FROM "{table}" ORDER BY ALL').fetchall() == rows, table


def test_a_migrated_first_schema_database_takes_new_debriefs(db_path, first_schema_db):
    db = Database(db_path)
    new_id = save_debrief(db, Debrief(application_id=1, starts_at=dt.datetime(2026, 3, 17, 9), time_zone="UTC",
                                      questions=[Question("Why now?", "", 6)]), today=TODAY)
    assert new_id == 3


# -- many sessions at once -------------------------------------------------------------------

SESSIONS, SAVES_EACH = 8, 50


def test_eight_sessions_saving_fifty_debriefs_each_lose_nothing(fresh_db):
    """The pages' code path (save_debrief) from 8 threads, as 8 browser sessions would: 400 records, 0 errors."""
    assert save_from_threads(fresh_db, SESSIONS, SAVES_EACH) == []
    counts = fresh_db.row_counts()
    assert (counts["interviews"], counts["questions"], counts["applications"]) == (400, 400, SESSIONS // 2)


# -- private by default (docs/security.md) ---------------------------------------------------

@pytest.mark.parametrize("section, key, value", [
    ("server", "address", "127.0.0.1"),
    ("server", "enableXsrfProtection", True),
    ("server", "maxUploadSize", 5),
    ("browser", "gatherUsageStats", False),
    ("client", "showErrorDetails", "none"),
    ("client", "toolbarMode", "viewer"),
    ("client", "disableDataExport", True),   # a table's own CSV download would skip the formula guard
])
def test_the_server_settings_keep_debrief_private(section, key, value):
    import tomllib
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config[section][key] == value
