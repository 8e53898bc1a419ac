"""The database layer: migrations, named queries, transactions, cursors per thread, file problems."""
import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from lib.db import (Database, DatabaseLocked, DatabaseUnreadable, load_queries, migrations, resolve_db_path)

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
