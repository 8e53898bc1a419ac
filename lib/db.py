"""Connect, migrate and run named queries: the only module that talks to DuckDB.

Threads. DuckDB 2.0 refuses concurrent use of one connection, and every Streamlit session
runs on threads of its own. So a process opens the file once (`Database`), and every thread
gets its own cursor from that connection, kept in a thread-local so it lives as long as the
thread that uses it. Writes also take a process-wide lock: only one process may open the
file read-write anyway, and serialising writes inside it makes "find or create" steps (the
same application named twice at once) safe without unique indexes.

SQL lives in `lib/sql/`: `NNN_name.sql` files are migrations, applied once each, in order, in
a transaction, and recorded in `schema_migrations`; every other `.sql` file holds named
queries under `-- name: query_name` headers, with `$named` parameters.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).parent / "sql"
DEFAULT_DB_PATH = Path(__file__).resolve().parent.parent / "data" / "debrief.duckdb"
_MIGRATION_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_QUERY_HEADER = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class DatabaseError(Exception):
    """A problem with the database file, worded for the person using Debrief."""


class DatabaseLocked(DatabaseError):
    """Another process has the database file open for writing."""


class DatabaseUnreadable(DatabaseError):
    """The file exists but is not a DuckDB database this version can read."""


def resolve_db_path(argv: list[str] | None = None, environ: dict | None = None) -> Path:
    """The database to use: `--db PATH` in argv, else $DEBRIEF_DB, else data/debrief.duckdb."""
    argv = sys.argv[1:] if argv is None else argv
    environ = os.environ if environ is None else environ
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            return Path(argv[i + 1]).expanduser()
        if arg.startswith("--db="):
            return Path(arg.split("=", 1)[1]).expanduser()
    if environ.get("DEBRIEF_DB"):
        return Path(environ["DEBRIEF_DB"]).expanduser()
    return DEFAULT_DB_PATH


def load_queries(sql_dir: Path = SQL_DIR) -> dict[str, str]:
    """Every named query in the non-migration .sql files of `sql_dir`."""
    queries: dict[str, str] = {}
    for path in sorted(sql_dir.glob("*.sql")):
        if _MIGRATION_FILE.match(path.name):
            continue
        parts = _QUERY_HEADER.split(path.read_text(encoding="utf-8"))
        for name, body in zip(parts[1::2], parts[2::2]):
            if name in queries:
                raise ValueError(f"query {name!r} is defined twice (second time in {path.name})")
            queries[name] = body.strip().rstrip(";")
    return queries


def migrations(sql_dir: Path = SQL_DIR) -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration file, in version order."""
    found = []
    for path in sorted(sql_dir.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    return found


def _explain_open_error(path: Path, error: duckdb.Error) -> DatabaseError:
    text = str(error)
    if "Could not set lock" in text or "Conflicting lock" in text:
        pid = re.search(r"PID (\d+)", text)
        holder = f" (process {pid.group(1)})" if pid else ""
        return DatabaseLocked(
            f"Another program{holder} has the database {path} open, and only one may use it "
            "at a time. Close the other Debrief (a terminal running `make run`, or a script), "
            f"then reload this page. Or start this one on another file: make run DB=other.duckdb"
        )
    if "not a valid DuckDB database" in text or "Corrupt" in text or "corrupt" in text:
        return DatabaseUnreadable(
            f"The file {path} is not a database Debrief can read: it may be damaged, or not a "
            "DuckDB file at all. Debrief has not changed it. Restore it from a backup, or start "
            "on another file: make run DB=other.duckdb"
        )
    if "storage version" in text or "serialization" in text.lower():
        return DatabaseUnreadable(
            f"The file {path} was written by a different version of DuckDB than this one "
            f"({duckdb.__version__}). Debrief has not changed it. Open it with the Debrief that "
            "wrote it and export your data, or start on another file: make run DB=other.duckdb"
        )
    return DatabaseError(f"Debrief could not open the database {path}: {text}")


class Database:
    """One open DuckDB file per process; a cursor per thread; named queries; migrations."""

    def __init__(self, path: str | Path, *, migrate: bool = True):
        self.path = Path(path)
        self.queries = load_queries()
        self._local = threading.local()
        self._cursor_lock = threading.Lock()
        self._write_lock = threading.RLock()
        # Interview notes are personal: every file this process creates (the database, its
        # write-ahead log, which DuckDB creates later, on the first write) is owner-only.
        os.umask(os.umask(0o077) | 0o077)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._connection = duckdb.connect(str(self.path))
        except duckdb.Error as error:
            raise _explain_open_error(self.path, error) from error
        if migrate:
            self.migrate()

    # -- cursors ---------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (created on first use, then reused by the thread)."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._cursor_lock:
                cursor = self._connection.cursor()
            self._local.cursor = cursor
        return cursor

    def close(self) -> None:
        self._connection.close()

    # -- reads -----------------------------------------------------------------------------
    def _sql(self, name: str) -> str:
        try:
            return self.queries[name]
        except KeyError:
            raise KeyError(f"no query named {name!r} in lib/sql/*.sql") from None

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the named query and return all its rows at once (an open result would hold the cursor)."""
        return _run(self.cursor(), self._sql(name), params).df()

    def scalar(self, name: str, **params: Any) -> Any:
        row = _run(self.cursor(), self._sql(name), params).fetchone()
        return None if row is None else row[0]

    # -- writes ----------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator["Transaction"]:
        """All the writes inside commit together or not at all."""
        with self._write_lock:
            cursor = self.cursor()
            cursor.execute("BEGIN TRANSACTION")
            try:
                yield Transaction(self, cursor)
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            else:
                cursor.execute("COMMIT")

    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied; return their versions."""
        cursor = self.cursor()
        with self._write_lock:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            done = {row[0] for row in cursor.execute("SELECT version FROM schema_migrations").fetchall()}
            applied = []
            for version, name, sql in migrations():
                if version in done:
                    continue
                cursor.execute("BEGIN TRANSACTION")
                try:
                    cursor.execute(sql)
                    cursor.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                cursor.execute("COMMIT")
                applied.append(version)
            return applied

    def schema_version(self) -> int:
        row = self.cursor().execute("SELECT max(version) FROM schema_migrations").fetchone()
        return row[0] or 0


class Transaction:
    """The writes of one `Database.transaction()`, on that thread's cursor."""

    def __init__(self, db: Database, cursor: duckdb.DuckDBPyConnection):
        self._db = db
        self._cursor = cursor

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        return _run(self._cursor, self._db._sql(name), params).df()

    def scalar(self, name: str, **params: Any) -> Any:
        row = _run(self._cursor, self._db._sql(name), params).fetchone()
        return None if row is None else row[0]

    def execute(self, name: str, **params: Any) -> None:
        _run(self._cursor, self._db._sql(name), params)

    def new_ids(self, table: str, count: int) -> list[int]:
        """A block of `count` fresh ids for `table`, for inserting a DataFrame with its ids set."""
        _check_identifier(table)
        if count == 0:
            return []
        rows = self._cursor.execute(f"SELECT nextval('{table}_id_seq') FROM range($n)", {"n": count}).fetchall()
        return [row[0] for row in rows]

    def insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        """Insert a DataFrame's rows by column name (millions of rows a second, unlike executemany)."""
        _check_identifier(table)
        if frame.empty:
            return 0
        for column in frame.columns:
            _check_identifier(column)
        self._cursor.register("_debrief_frame", frame)
        try:
            self._cursor.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _debrief_frame")
        finally:
            self._cursor.unregister("_debrief_frame")
        return len(frame)


def cell_text(value) -> str:
    """A nullable text cell as a str: '' for NULL (pandas gives NaN or NA for those)."""
    return "" if value is None or pd.isna(value) else str(value)


def cell_date(value) -> dt.date | None:
    """A nullable DATE cell (a pandas Timestamp) as a date."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def cell_int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _check_identifier(name: str) -> None:
    # Table and column names come from code, never from users; this keeps it that way.
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")


def _run(cursor: duckdb.DuckDBPyConnection, sql: str, params: dict) -> duckdb.DuckDBPyConnection:
    return cursor.execute(sql, params) if params else cursor.execute(sql)
