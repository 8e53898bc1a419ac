"""The database layer: migrations, named queries, transactions, cursors per thread, file problems."""
import datetime as dt
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from lib.db import (Database, DatabaseLocked, DatabaseUnreadable, NotDebriefsDatabase, load_queries, migrations,
                    resolve_db_path)

TABLES = {"applications", "interviews", "interviewers", "questions", "reflections", "thank_yous", "follow_ups",
          "settings", "schema_migrations"}


def test_a_new_database_gets_every_table(fresh_db):
    names = set(fresh_db.cursor().execute("SELECT table_name FROM information_schema.tables").df().table_name)
    assert TABLES <= names


def test_migrations_are_recorded_and_applied_once(db_path):
    first = Database(db_path)
    assert first.schema_version() == len(migrations())
    assert first.migrate() == []  # nothing left to apply on a second call
    first.close()
    again = Database(db_path)
    count = again.cursor().execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    assert count == len(migrations())


def test_a_failing_migration_leaves_nothing_behind(db_path, monkeypatch):
    broken = migrations() + [(999, "broken", "CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;")]
    monkeypatch.setattr("lib.db.migrations", lambda: broken)
    with pytest.raises(duckdb.Error):
        Database(db_path)
    monkeypatch.undo()
    db = Database(db_path, migrate=False)
    tables = set(db.cursor().execute("SELECT table_name FROM information_schema.tables").df().table_name)
    assert "half_done" not in tables
    assert db.schema_version() == len(migrations())


def test_a_database_from_the_first_schema_keeps_its_rows_when_migrated(db_path, monkeypatch):
    import datetime as dt

    from lib.applications import active_applications_on
    from lib.debriefs import Debrief, Question, save_debrief
    monkeypatch.setattr("lib.db.migrations", lambda: migrations()[:1])
    first = Database(db_path)
    first.cursor().execute("INSERT INTO applications (company, role, applied_on) VALUES ('Contoso', 'Analyst', DATE '2026-03-01')")
    first.cursor().execute("INSERT INTO interviews (application_id, starts_at, time_zone) "
                           "VALUES (1, TIMESTAMPTZ '2026-03-10 09:00:00+00', 'UTC')")
    first.close()
    monkeypatch.undo()
    db = Database(db_path)
    assert db.schema_version() == len(migrations())
    assert db.query("count_all").iloc[0][["applications", "interviews"]].tolist() == [1, 1]
    assert active_applications_on(db, dt.date(2026, 3, 20), stale_after_days=30) == 1
    save_debrief(db, Debrief(application_id=1, starts_at=dt.datetime(2026, 3, 17, 9), time_zone="UTC",
                             questions=[Question("Why us?", "", 6)]))
    assert db.query("count_all").iloc[0].interviews == 2


def test_every_named_query_is_unique_and_non_empty():
    queries = load_queries()
    assert {"find_application", "insert_interview", "list_interviews", "active_applications_on"} <= set(queries)
    assert all(sql.strip() for sql in queries.values())


def test_a_transaction_that_fails_writes_nothing(fresh_db):
    with pytest.raises(RuntimeError):
        with fresh_db.transaction() as tx:
            tx.execute("put_setting", key="target_low", value="1")
            raise RuntimeError("boom")
    assert fresh_db.scalar("get_setting", key="target_low") is None


def test_each_thread_gets_its_own_cursor_and_concurrent_writes_all_land(fresh_db):
    cursors, errors = set(), []

    def work(n):
        try:
            cursors.add(id(fresh_db.cursor()))
            for i in range(20):
                with fresh_db.transaction() as tx:
                    tx.execute("put_setting", key=f"t{n}.{i}", value="x")
                fresh_db.query("count_all")
        except Exception as error:  # collected, so the assertion shows it
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(cursors) == 8
    assert fresh_db.cursor().execute("SELECT count(*) FROM settings").fetchone()[0] == 160


def test_a_database_held_by_another_process_gives_a_message_not_a_traceback(db_path):
    Database(db_path).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(30)", str(db_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseLocked) as problem:
            Database(db_path)
        message = str(problem.value)
        assert f"process {holder.pid}" in message and "make run DB=" in message
    finally:
        holder.kill()
        holder.wait()


def test_a_file_that_is_not_a_database_is_reported_and_left_untouched(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("these are my notes, not a database")
    with pytest.raises(DatabaseUnreadable) as problem:
        Database(path)
    assert "has not changed it" in str(problem.value)
    assert path.read_text() == "these are my notes, not a database"


def test_the_database_and_its_log_are_readable_by_their_owner_only(db_path):
    db = Database(db_path)
    with db.transaction() as tx:
        tx.execute("put_setting", key="target_low", value="2")
    wal = db_path.with_name(db_path.name + ".wal")
    assert wal.exists()  # DuckDB keeps the write in its log until a checkpoint
    for path in (db_path, wal):
        assert os.stat(path).st_mode & 0o077 == 0, path
    db.close()


@pytest.mark.parametrize("argv, env, expected", [
    (["--db", "x.duckdb"], {}, "x.duckdb"),
    (["--db=y.duckdb"], {"DEBRIEF_DB": "z.duckdb"}, "y.duckdb"),
    ([], {"DEBRIEF_DB": "z.duckdb"}, "z.duckdb"),
])
def test_the_database_is_chosen_by_flag_then_environment(argv, env, expected):
    assert resolve_db_path(argv, env) == Path(expected)


def test_without_a_choice_the_database_lives_in_data():
    path = resolve_db_path([], {})
    assert path.name == "debrief.duckdb" and path.parent.name == "data"


# -- another program's DuckDB file ---------------------------------------------------------------

def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_file(path: Path, sql: str) -> str:
    with duckdb.connect(str(path)) as connection:
        connection.execute(sql)
    return fingerprint(path)


@pytest.mark.parametrize("sql, shown", [
    ("CREATE TABLE sales (id INTEGER, amount DOUBLE); INSERT INTO sales VALUES (1, 9.5)", "table sales"),
    ("CREATE TABLE applications (id INTEGER, name VARCHAR)", "table applications"),  # clashes with ours
    ("CREATE SCHEMA crm; CREATE TABLE crm.leads (id INTEGER)", "table crm.leads"),
    ("CREATE VIEW answer AS SELECT 42 AS x", "view answer"),
    ("CREATE SEQUENCE invoice_numbers", "sequence invoice_numbers"),
])
def test_another_programs_duckdb_file_is_refused_and_left_as_it_was(db_path, sql, shown):
    before = make_file(db_path, sql)
    with pytest.raises(NotDebriefsDatabase) as refused:
        Database(db_path)
    assert str(refused.value).startswith(f"The file {db_path} is a DuckDB database, but not one this Debrief can "
                                         f"use: it holds {shown}, which Debrief did not make. Debrief has not changed it.")
    assert fingerprint(db_path) == before
    assert not (db_path.parent / "backups").exists()


def test_a_first_migration_that_fails_leaves_no_schema_migrations(db_path, monkeypatch):
    broken = [(1, "init", "CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;")]
    monkeypatch.setattr("lib.db.migrations", lambda: broken)
    with pytest.raises(duckdb.Error):
        Database(db_path)
    with duckdb.connect(str(db_path)) as connection:
        assert connection.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0] == 0


@pytest.mark.parametrize("edit, reason", [
    ("UPDATE schema_migrations SET name = 'mine' WHERE version = 3",
     "its schema_migrations records migration 3 as 'mine', where this Debrief has 'question_groups'"),
    ("INSERT INTO schema_migrations (version, name) VALUES (0, 'zero')",
     "its schema_migrations records migration 0 as 'zero', where this Debrief has no such migration"),
    ("DELETE FROM schema_migrations WHERE version = 2",
     "its schema_migrations skips migration 2 ('activity_view') but records later ones"),
    ("INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')",
     "it was updated by a newer Debrief (schema version 999; this Debrief knows up to"),
])
def test_an_edited_schema_migrations_is_refused_with_the_reason(db_path, edit, reason):
    db = Database(db_path)
    db.cursor().execute(edit)
    db.close()
    before = fingerprint(db_path)
    with pytest.raises(NotDebriefsDatabase, match=re.escape(reason)):
        Database(db_path)
    assert fingerprint(db_path) == before


def test_an_empty_duckdb_file_becomes_a_debrief_database(db_path):
    make_file(db_path, "SELECT 1")
    assert Database(db_path).schema_version() == len(migrations())


# -- durability and permissions ------------------------------------------------------------------

def test_opening_makes_a_group_readable_database_owner_only(db_path):
    Database(db_path).close()
    os.chmod(db_path, 0o644)
    Database(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_an_import_is_in_the_database_file_itself_once_it_says_imported(db_path, tmp_path):
    # A copy of the file alone (no .wal) taken while Debrief still has it open holds the import:
    # it was checkpointed after the commit, not left in the .wal until close.
    from lib import importer
    db = Database(db_path)
    csv = b"company,role,interview_at,question,score\nContoso,Analyst,2026-03-12 14:30,Why us?,7\n"
    plan = importer.plan_import(db, [("q.csv", csv)], today=dt.date(2026, 3, 30))
    assert importer.apply_import(db, plan).questions_added == 1
    copy = tmp_path / "copy" / "without-wal.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(db_path, copy)
    db.close()
    assert Database(copy).cursor().execute("SELECT wording FROM questions").fetchall() == [("Why us?",)]
