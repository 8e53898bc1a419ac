"""Backups: a consistent, owner-only snapshot; one before every migration of a file with data."""
import datetime as dt
import os
import re
import subprocess
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
import time_machine

from lib import backup, cli, sample
from lib import db as db_module
from lib.db import Database, backups_dir, migrations, resolve_db_path
from lib.debriefs import Debrief, Question, save_debrief
from lib.ui import YOUR_DATA_PAGE

TODAY = dt.date(2026, 3, 30)


def a_debrief(n: int, questions: int = 3) -> Debrief:
    return Debrief(company=f"Company {n % 7}", role="Analyst", starts_at=dt.datetime(2026, 3, 2, 9) + dt.timedelta(hours=n),
                   time_zone="UTC", questions=[Question(f"Question {q}", "", 1 + q % 10) for q in range(questions)])


@pytest.fixture
def sample_db(fresh_db):
    sample.load_sample(fresh_db, today=TODAY)
    return fresh_db


def test_a_backup_holds_every_row_of_every_table(sample_db, tmp_path):
    made = backup.write_backup(sample_db, tmp_path / "copy.duckdb")
    copy = Database(made.path, migrate=False)
    assert copy.row_counts() == sample_db.row_counts()


def test_by_default_a_backup_is_a_dated_file_in_backups_beside_the_database(sample_db, db_path):
    # A ZoneInfo destination sets the process zone too: the name is the local day, whatever the machine.
    with time_machine.travel(dt.datetime(2026, 3, 30, 23, 30, tzinfo=ZoneInfo("Europe/London")), tick=True):
        made = backup.write_backup(sample_db)
    assert made.path.parent == db_path.parent / "backups" == backups_dir(db_path)
    assert made.path.name.startswith("debrief-2026-03-30-23")
    assert backup.list_backups(sample_db) == [made.path]


def test_two_backups_in_the_same_second_get_two_files(sample_db):
    first, second = backup.write_backup(sample_db), backup.write_backup(sample_db)
    assert first.path != second.path and first.path.exists() and second.path.exists()


def test_backups_and_their_folder_are_readable_by_their_owner_only(sample_db):
    made = backup.write_backup(sample_db)
    assert os.stat(made.path).st_mode & 0o777 == 0o600
    assert os.stat(made.path.parent).st_mode & 0o077 == 0


def test_a_backup_never_overwrites_a_file(sample_db, tmp_path):
    target = tmp_path / "precious.duckdb"
    target.write_text("not to be lost")
    with pytest.raises(FileExistsError):
        backup.write_backup(sample_db, target)
    assert target.read_text() == "not to be lost"


def test_a_backup_keeps_the_sequences_so_new_records_get_fresh_ids(sample_db, tmp_path):
    made = backup.write_backup(sample_db, tmp_path / "copy.duckdb")
    copy = Database(made.path)
    highest = copy.cursor().execute("SELECT max(id) FROM interviews").fetchone()[0]
    assert save_debrief(copy, a_debrief(1), today=TODAY) == highest + 1


def test_a_backup_taken_while_sessions_save_holds_only_whole_debriefs(fresh_db, tmp_path):
    stop, errors = threading.Event(), []

    def keep_saving():
        n = 0
        while not stop.is_set():
            try:
                save_debrief(fresh_db, a_debrief(n, questions=5), today=TODAY)
            except Exception as error:  # collected, so the assertion shows it
                errors.append(error)
            n += 1

    saver = threading.Thread(target=keep_saving)
    saver.start()
    try:
        copies = [backup.write_backup(fresh_db, tmp_path / f"copy{n}.duckdb").path for n in range(3)]
    finally:
        stop.set()
        saver.join()
    assert errors == []
    for path in copies:
        # Every interview in a snapshot has all five of its questions: no save was caught halfway.
        per_interview = Database(path, migrate=False).cursor().execute(
            "SELECT DISTINCT count(q.id) FROM interviews i LEFT JOIN questions q ON q.interview_id = i.id GROUP BY i.id").fetchall()
        assert per_interview in ([], [(5,)])


def test_backup_bytes_are_a_database_file(sample_db, tmp_path):
    path = tmp_path / "downloaded.duckdb"
    path.write_bytes(backup.backup_bytes(sample_db))
    assert Database(path, migrate=False).row_counts() == sample_db.row_counts()


def test_the_cli_writes_a_backup_and_says_where(db_path, capsys):
    Database(db_path).close()
    assert cli.main(["backup", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert str(backups_dir(db_path)) in out and "Restoring from a backup" in out
    assert len(list(backups_dir(db_path).glob("*.duckdb"))) == 1


def test_the_cli_writes_into_a_folder_it_is_given(db_path, tmp_path, capsys):
    Database(db_path).close()
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    assert cli.main(["backup", str(folder), "--db", str(db_path)]) == 0
    assert [path.suffix for path in folder.iterdir()] == [".duckdb"]


def test_the_cli_refuses_to_overwrite_and_says_so(db_path, tmp_path, capsys):
    target = tmp_path / "taken.duckdb"
    target.write_text("mine")
    assert cli.main(["backup", str(target), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "Traceback" not in err
    assert target.read_text() == "mine"


# -- before migrations ----------------------------------------------------------------------

def first_schema_db(path, monkeypatch, *, with_data: bool) -> None:
    monkeypatch.setattr("lib.db.migrations", lambda: migrations()[:1])
    old = Database(path)
    if with_data:
        old.cursor().execute("INSERT INTO applications (company, applied_on) VALUES ('Contoso', DATE '2026-03-01')")
    old.close()
    monkeypatch.undo()


def test_migrating_a_file_with_data_takes_a_backup_of_it_first(db_path, monkeypatch):
    first_schema_db(db_path, monkeypatch, with_data=True)
    db = Database(db_path)
    assert db.migration_backup is not None and db.migration_backup.parent == backups_dir(db_path)
    assert "before-migration-002" in db.migration_backup.name
    before = Database(db.migration_backup, migrate=False)
    assert before.schema_version() == 1  # the file as it was, not as migrated
    assert before.cursor().execute("SELECT company FROM applications").fetchall() == [("Contoso",)]


def test_a_brand_new_file_gets_no_backup(db_path):
    db = Database(db_path)
    assert db.migration_backup is None and not backups_dir(db_path).exists()


def test_a_file_with_no_data_yet_gets_no_backup_when_migrated(db_path, monkeypatch):
    first_schema_db(db_path, monkeypatch, with_data=False)
    assert Database(db_path).migration_backup is None


def test_an_up_to_date_file_gets_no_backup_when_opened(sample_db, db_path):
    assert Database(db_path).migration_backup is None


# -- a MotherDuck database ------------------------------------------------------------------

class FakeConnection:
    """Stands in for duckdb.connect: records what it was given, makes no network call."""
    given: list[str] = []

    def __init__(self, target):
        FakeConnection.given.append(target)


def test_an_md_database_name_is_kept_as_given(monkeypatch):
    assert str(resolve_db_path(["--db", "md:debrief"], {})) == "md:debrief"
    assert str(resolve_db_path([], {"DEBRIEF_DB": "md:coach_client_7"})) == "md:coach_client_7"


def test_an_md_database_reaches_duckdb_unchanged_and_no_local_folder_is_made(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(db_module.duckdb, "connect", FakeConnection)
    FakeConnection.given.clear()
    db = Database(resolve_db_path([], {"DEBRIEF_DB": "md:debrief"}), migrate=False)
    assert FakeConnection.given == ["md:debrief"]
    assert db.remote and list(tmp_path.iterdir()) == []


def test_an_md_database_needs_a_named_backup_file(monkeypatch):
    monkeypatch.setattr(db_module.duckdb, "connect", FakeConnection)
    db = Database("md:debrief", migrate=False)
    with pytest.raises(ValueError, match="name the backup file"):
        backup.write_backup(db)


def test_no_migration_without_its_backup(db_path, monkeypatch):
    first_schema_db(db_path, monkeypatch, with_data=True)
    backups_dir(db_path).write_text("a file where the backups folder should be")
    with pytest.raises(db_module.DatabaseError, match="could not write the backup.*Nothing was changed"):
        Database(db_path)
    assert Database(db_path, migrate=False).schema_version() == 1  # still the old schema, untouched


def test_the_restore_commands_name_this_database_and_its_newest_backup(sample_db, db_path):
    backup.write_backup(sample_db)
    newest = backup.write_backup(sample_db).path
    lines = backup.restore_commands(sample_db).splitlines()
    damaged = lines[0].split()[-1]  # debrief-damaged-<now>.duckdb: a new name each time
    assert re.fullmatch(re.escape(str(db_path.with_name("debrief-damaged-"))) + r"\d{4}-\d\d-\d\d-\d{6}\.duckdb", damaged)
    assert lines == [f"mv -n {db_path} {damaged}", f"if [ -f {db_path}.wal ]; then mv -n {db_path}.wal {damaged}.wal; fi",
                     f"cp -n {newest} {db_path}", f"make run DB={db_path}"]


def run_restore_commands(db) -> None:
    """What a person pastes into a terminal, without the last line (`make run`)."""
    commands = backup.restore_commands(db).splitlines()[:-1]
    subprocess.run(["bash", "-c", "\n".join(commands)], check=False, timeout=30)


def test_the_restore_commands_also_move_aside_the_damaged_files_log(sample_db, db_path):
    backup.write_backup(sample_db)
    counts = sample_db.row_counts()
    sample_db.cursor().execute("PRAGMA disable_checkpoint_on_shutdown")
    sample_db.cursor().execute("DELETE FROM questions")  # stays in debrief.duckdb.wal, which the backup does not match
    sample_db.close()
    assert db_path.with_name("debrief.duckdb.wal").exists()
    run_restore_commands(sample_db)
    assert Database(db_path).row_counts() == counts
    assert len(list(db_path.parent.glob("debrief-damaged-*.duckdb.wal"))) == 1


def test_the_restore_commands_never_overwrite_an_earlier_damaged_copy_nor_the_current_file(sample_db, db_path):
    backup.write_backup(sample_db)
    sample_db.close()
    commands = backup.restore_commands(sample_db)
    earlier = Path(commands.splitlines()[0].split()[-1])  # as if the same second's name were taken
    earlier.write_text("the file that broke last month")
    current = db_path.read_bytes()
    subprocess.run(["bash", "-c", "\n".join(commands.splitlines()[:-1])], check=False, timeout=30)
    assert earlier.read_text() == "the file that broke last month"
    assert db_path.read_bytes() == current  # cp -n: not replaced, since it could not be moved aside


# -- several databases in one folder (docs/growing-past-one-laptop.md) ----------------------

def test_a_database_lists_only_its_own_backups_not_its_neighbours(tmp_path):
    ana = Database(tmp_path / "ana.duckdb")
    own = backup.write_backup(ana).path
    before_migration = backups_dir(ana.path) / "ana-before-migration-002-2026-03-01-090000.duckdb"
    before_migration.write_bytes(own.read_bytes())
    for neighbour in ("ben-2026-11-25-173012.duckdb", "ana-maria-2026-11-25-173012.duckdb", "notes.duckdb"):
        (backups_dir(ana.path) / neighbour).write_text("another database's backup")
    assert set(backup.list_backups(ana)) == {own, before_migration}


def test_the_restore_commands_never_offer_a_neighbours_newer_backup(tmp_path):
    ana = Database(tmp_path / "ana.duckdb")
    own = backup.write_backup(ana).path
    bens = backups_dir(ana.path) / "ben-2099-01-01-000000.duckdb"
    bens.write_text("Ben's notes")
    os.utime(bens, (own.stat().st_mtime + 60,) * 2)
    assert f"cp -n {own} " in backup.restore_commands(ana) and "ben" not in backup.restore_commands(ana)


# -- a backup that cannot be written (a full disk, an unwritable target) --------------------

DISK_FULL = "SELECT error('IO Error: Could not write file: No space left on device')"


@pytest.fixture
def disk_full(monkeypatch):
    """Every Database opened from now on fails halfway through copying itself, as on a full disk."""
    real = db_module.load_queries
    monkeypatch.setattr(db_module, "load_queries", lambda *args: {**real(*args), "copy_database": DISK_FULL})


def test_a_failed_backup_leaves_no_file_behind(db_path, disk_full):
    db = Database(db_path)
    with pytest.raises(duckdb.Error, match="No space left"):
        backup.write_backup(db)
    assert list(backups_dir(db_path).iterdir()) == [] and backup.list_backups(db) == []


def test_the_cli_says_a_backup_could_not_be_written_without_a_traceback(db_path, disk_full, capsys):
    Database(db_path).close()
    assert cli.main(["backup", "--db", str(db_path)]) == 2
    assert "could not be written" in capsys.readouterr().err
    assert list(backups_dir(db_path).iterdir()) == []


def test_back_up_now_on_a_full_disk_says_so_on_the_page(db_path, disk_full, monkeypatch):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.run()
    at.switch_page(YOUR_DATA_PAGE)
    at.run()
    at.button(key="your_data.backup_now").click().run()
    assert not at.exception
    assert any("No backup was made" in toast.value for toast in at.toast)


def test_a_database_that_cannot_be_opened_leaves_no_connection_open(db_path, monkeypatch):
    first_schema_db(db_path, monkeypatch, with_data=True)
    backups_dir(db_path).write_text("a file where the backups folder should be")
    opened, connect = [], duckdb.connect
    monkeypatch.setattr(db_module.duckdb, "connect", lambda *args: opened.append(connect(*args)) or opened[-1])
    with pytest.raises(db_module.DatabaseError):
        Database(db_path)
    with pytest.raises(duckdb.ConnectionException):
        opened[0].execute("SELECT 1")


# -- the "Your data" page -------------------------------------------------------------------

def test_the_your_data_page_shows_where_the_data_lives_and_backs_up_on_click(db_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.run()
    at.switch_page(YOUR_DATA_PAGE)
    at.run()
    assert not at.exception
    # The paths as inline code (no st.code since issue 15: it loads the browser's code highlighter).
    assert [m.value for m in at.markdown if m.value.startswith("`")][:2] == [f"` {db_path} `", f"` {backups_dir(db_path)} `"]
    assert "No backups yet" in " ".join(caption.value for caption in at.caption)
    assert {button.label for button in at.get("download_button")} == {"Download everything (ZIP)", "Download a backup"}
    at.button(key="your_data.backup_now").click().run()
    assert not at.exception
    made = list(backups_dir(db_path).glob("*.duckdb"))
    assert len(made) == 1 and any(f"Backed up to {made[0].name}" in toast.value for toast in at.toast)


def test_the_database_size_counts_its_write_ahead_log_and_a_small_file_reads_in_kb(fresh_db):
    from lib.debriefs import Debrief, save_debrief
    from lib.words import size_text
    save_debrief(fresh_db, Debrief(company="Contoso", starts_at=dt.datetime(2026, 3, 12, 10), time_zone="UTC"),
                 today=dt.date(2026, 3, 30))
    wal = fresh_db.path.with_name(fresh_db.path.name + ".wal")
    assert fresh_db.size_on_disk() == fresh_db.path.stat().st_size + (wal.stat().st_size if wal.exists() else 0) > 0
    assert (size_text(12_345), size_text(5_240_000), size_text(10)) == ("12 KB", "5.2 MB", "1 KB")
