"""Connect, migrate and run named queries: the only module that talks to DuckDB.

A process opens the file once (`Database`) and every thread gets its own cursor; SQL lives in
`lib/sql/` as numbered migrations and named queries; a file that holds data is backed up before
it is migrated, and a DuckDB file that is not Debrief's is refused.

Decisions: docs/decisions.md, 'The database'.
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
REMOTE_PREFIXES = ("md:", "motherduck:")
# Bumped after every transaction committed in this process, per file: pages cache reads by it.
# Only one process can open a file read-write, so this process sees every write there is.
_DATA_VERSIONS: dict[str, int] = {}
BACKUPS_FOLDER = "backups"


class DatabaseError(Exception):
    """A problem with the database file, worded for the person using Debrief."""


class DatabaseLocked(DatabaseError):
    """Another process has the database file open for writing."""


class DatabaseUnreadable(DatabaseError):
    """The file exists but is not a DuckDB database this version can read."""


class NotDebriefsDatabase(DatabaseError):
    """A DuckDB file another program made, or whose schema_migrations Debrief does not recognise."""


def migration_problem(recorded: dict[int, str]) -> str | None:
    """Why a `schema_migrations` holding `recorded` (version -> name) is not one Debrief wrote, or None.

    Debrief's own is the first N of the migrations this code knows, with their names. The
    message says what is wrong; the caller says where and what to do.
    """
    known = {version: name for version, name, _ in migrations()}
    newest = max(known, default=0)
    newer = sorted(version for version in recorded if version > newest)
    if newer:
        return (f"it was updated by a newer Debrief (schema version {max(newer)}; this Debrief knows up to "
                f"{newest}). Update Debrief to open it")
    for version, name in sorted(recorded.items()):
        if known.get(version) != name:
            expected = f"'{known[version]}'" if version in known else "no such migration"
            return (f"its schema_migrations records migration {version} as {name!r}, where this Debrief has "
                    f"{expected}: the table was changed by hand or by another program")
    missing = [version for version in sorted(known) if version not in recorded and version < max(recorded, default=0)]
    if missing:
        return (f"its schema_migrations skips migration {missing[0]} ('{known[missing[0]]}') but records later "
                "ones: the table was changed by hand or by another program")
    return None


def is_remote(path: str | Path) -> bool:
    """True for a MotherDuck database (`md:name`): not a file on this machine."""
    return str(path).startswith(REMOTE_PREFIXES)


def backups_dir(db_path: str | Path) -> Path:
    """Where the backups of a database file go: a `backups/` folder beside it."""
    return Path(db_path).expanduser().parent / BACKUPS_FOLDER


def backup_file_name(db_path: str | Path, label: str = "", *, folder: Path | None = None,
                     now: dt.datetime | None = None) -> Path:
    """A new, dated file in `folder` (default `backups_dir`): `debrief-2026-11-25-173012.duckdb`, `-2` if taken."""
    now = now or dt.datetime.now()
    stem = Path(db_path).stem.replace(":", "-") + (f"-{label}" if label else "") + now.strftime("-%Y-%m-%d-%H%M%S")
    folder = backups_dir(db_path) if folder is None else Path(folder)
    candidate, n = folder / f"{stem}.duckdb", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}.duckdb"
    return candidate


def identifier(name: str) -> str:
    """A table or column name as quoted SQL (for the `{placeholder}` spots of a query)."""
    return '"' + str(name).replace('"', '""') + '"'


def literal(text: str | Path) -> str:
    """A string (a file path) as a quoted SQL literal, for statements that take no parameters."""
    return "'" + str(text).replace("'", "''") + "'"


def resolve_db_path(argv: list[str] | None = None, environ: dict | None = None) -> Path:
    """The database to use: `--db PATH` in argv, else $DEBRIEF_DB, else data/debrief.duckdb.

    An `md:…` value comes back as it was given (a Path whose str() is the same text), so it
    reaches duckdb.connect unchanged.
    """
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
    if _looks_damaged(text):
        return DatabaseUnreadable(
            f"The file {path} is not a database Debrief can read: it may be damaged, or not a "
            "DuckDB file at all. Debrief has not changed it. Restore it from a backup: Debrief "
            f"keeps them in {backups_dir(path)} (see \"Restoring from a backup\" in the README). "
            "Or start on another file: make run DB=other.duckdb"
        )
    if "storage version" in text or "serialization" in text.lower():
        return DatabaseUnreadable(
            f"The file {path} was written by a different version of DuckDB than this one "
            f"({duckdb.__version__}). Debrief has not changed it. Open it with the Debrief that "
            "wrote it and export your data, or start on another file: make run DB=other.duckdb"
        )
    return DatabaseError(f"Debrief could not open the database {path}: {text}")


def explain_error(path: Path, error: duckdb.Error) -> DatabaseError:
    """A DuckDB error met after the file opened (a page mid-way, a commit), worded as at open: a
    damaged file gets the same message and backups folder; anything else (a read-only folder, a full
    disk) says what failed and that the change in hand was not saved (a failed commit rolls back)."""
    if _looks_damaged(str(error)):
        return _explain_open_error(path, error)
    return DatabaseError(
        f"Debrief could not read or write the database {path}: {error}. Whatever you were saving was "
        "not saved. Check that the disk has free space and the folder can be written to, then reload "
        f"the page or run the command again. Backups are in {backups_dir(path)}."
    )


def _looks_damaged(text: str) -> bool:
    return any(sign in text for sign in ("not a valid DuckDB database", "Corrupt", "corrupt", "checksum",
                                         "Could not read enough bytes"))


class Database:
    """One open DuckDB file per process; a cursor per thread; named queries; migrations."""

    def __init__(self, path: str | Path, *, migrate: bool = True):
        self.path = Path(path)
        self.remote = is_remote(path)
        self.migration_backup: Path | None = None  # the copy taken before the last migrations, if any
        self.queries = load_queries()
        self._local = threading.local()
        self._cursor_lock = threading.Lock()
        self._write_lock = threading.RLock()
        # Interview notes are personal: every file this process creates (the database, its
        # write-ahead log, which DuckDB creates later, on the first write) is owner-only.
        os.umask(os.umask(0o077) | 0o077)
        if not self.remote:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _make_owner_only(self.path, self.path.with_name(self.path.name + ".wal"))
        try:
            self._connection = duckdb.connect(str(path) if self.remote else str(self.path))
        except duckdb.Error as error:
            raise _explain_open_error(self.path, error) from error
        if migrate:
            try:
                self.migrate()
            except duckdb.Error as error:
                # A damaged block may only show when the migrations first read it.
                self._connection.close()
                if not _looks_damaged(str(error)):
                    raise
                raise _explain_open_error(self.path, error) from error
            except BaseException:
                # DatabaseError (no backup, no update) or anything else: a failed open leaks no connection.
                self._connection.close()
                raise

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
        self._connection.close()  # DuckDB checkpoints on close (unless told not to)

    def checkpoint(self) -> bool:
        """Write what the `.wal` holds into the database file itself; False if DuckDB could not now.

        A failure is not an error for the caller: the commits are safe in the `.wal`, and DuckDB
        checkpoints again on close.
        """
        if self.remote:
            return False
        with self._write_lock:
            try:
                self.cursor().execute("CHECKPOINT")
            except duckdb.Error:
                return False
        return True

    def size_on_disk(self) -> int:
        """Bytes of the file and its write-ahead log (recent writes live in the .wal until a checkpoint)."""
        if self.remote:
            return 0
        wal = self.path.with_name(self.path.name + ".wal")
        return sum(p.stat().st_size for p in (self.path, wal) if p.exists())

    # -- the catalog -----------------------------------------------------------------------
    def tables(self) -> list[str]:
        """Every table of the database (not views), by name: whatever the migrations created."""
        return self.query("catalog_tables").table_name.tolist()

    def columns(self, table: str) -> list[tuple[str, str]]:
        """(name, DuckDB type) of each column of `table`, in table order."""
        frame = self.query("catalog_columns", table=table)
        return list(zip(frame.column_name, frame.data_type))

    def sequences(self) -> dict[str, int | None]:
        """Each sequence and the last value it gave (None: never used)."""
        frame = self.query("catalog_sequences")
        return {name: cell_int(last) for name, last in zip(frame.sequence_name, frame.last_value)}

    def row_counts(self) -> dict[str, int]:
        """The number of rows in each table."""
        cursor = self.cursor()
        return {table: cursor.execute(self._sql("table_row_count", table=identifier(table))).fetchone()[0]
                for table in self.tables()}

    def has_data(self) -> bool:
        """True when any table other than schema_migrations holds a row."""
        cursor = self.cursor()
        return any(cursor.execute(self._sql("table_has_rows", table=identifier(table))).fetchone()[0]
                   for table in self.tables() if table != "schema_migrations")

    # -- snapshots -------------------------------------------------------------------------
    @contextmanager
    def snapshot(self) -> Iterator["Transaction"]:
        """Reads that all see the database as it was at one moment (writers are not held up)."""
        cursor = self.cursor()
        cursor.execute("BEGIN TRANSACTION")
        try:
            yield Transaction(self, cursor)
        finally:
            cursor.execute("ROLLBACK")

    def copy_to(self, target: str | Path) -> Path:
        """Copy the whole database (tables, views, sequences) into the new file `target`, owner-only.

        ATTACH + COPY FROM DATABASE in one transaction: a consistent snapshot, compact, and the
        sequences keep their positions. The process write lock is held too, so that no save
        of this process commits halfway (measured: about 1 s for 100,000 interviews, a 26 MB file).

        The copy is written as `<target>.partial` (a name no backup listing picks up) and renamed
        to `target` only once complete. If anything fails (a full disk, an unwritable folder), the
        partial file and its `.wal` are deleted and the error (OSError or duckdb.Error) is raised:
        a failed backup never leaves a file that looks like the newest backup.
        """
        target = Path(target)
        partial = target.with_name(target.name + ".partial")
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        alias = identifier(f"debrief_copy_{os.getpid()}_{threading.get_ident()}")
        cursor = self.cursor()
        with self._write_lock:
            if target.exists():
                raise FileExistsError(f"{target} already exists; Debrief never overwrites a file with a backup.")
            _remove_database_file(partial)  # left by a backup that was killed halfway: Debrief's own
            try:
                self._copy_into(cursor, partial, alias)
                os.chmod(partial, 0o600)
                if target.exists():
                    raise FileExistsError(f"{target} already exists; Debrief never overwrites a file with a backup.")
                os.replace(partial, target)
            except BaseException:
                _remove_database_file(partial)
                raise
        return target

    def _copy_into(self, cursor: duckdb.DuckDBPyConnection, path: Path, alias: str) -> None:
        source = cursor.execute("SELECT current_database()").fetchone()[0]
        cursor.execute(self._sql("attach_copy", path=literal(path), alias=alias))
        try:
            cursor.execute("BEGIN TRANSACTION")
            try:
                cursor.execute(self._sql("copy_database", source=identifier(source), alias=alias))
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")
        finally:
            cursor.execute(self._sql("detach_copy", alias=alias))

    # -- reads -----------------------------------------------------------------------------
    def _sql(self, name: str, **parts: str) -> str:
        """The named query, its `{placeholder}` spots filled with `parts` (already quoted SQL)."""
        try:
            sql = self.queries[name]
        except KeyError:
            raise KeyError(f"no query named {name!r} in lib/sql/*.sql") from None
        return sql.format_map(parts) if parts else sql

    def query(self, name: str, *, parts: dict[str, str] | None = None, **params: Any) -> pd.DataFrame:
        """Run the named query and return all its rows at once (an open result would hold the cursor).

        `parts` fill its `{placeholder}` spots with SQL, e.g. another named query's text to read from."""
        return _run(self.cursor(), self._sql(name, **(parts or {})), params).df()

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
                _DATA_VERSIONS[str(self.path)] = _DATA_VERSIONS.get(str(self.path), 0) + 1

    @property
    def data_version(self) -> int:
        """A number that changes whenever this process commits a write to this file (for caches)."""
        return _DATA_VERSIONS.get(str(self.path), 0)

    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied; return their versions.

        Refuses (NotDebriefsDatabase, nothing written) a file that is neither empty nor Debrief's.
        A file that already holds data is first copied to backups/ (`migration_backup`).
        """
        cursor = self.cursor()
        with self._write_lock:
            done = self._check_ours()
            pending = [migration for migration in migrations() if migration[0] not in done]
            if pending and not self.remote and self.has_data():
                target = backup_file_name(self.path, f"before-migration-{pending[0][0]:03d}")
                try:
                    self.migration_backup = self.copy_to(target)
                except (OSError, duckdb.Error) as problem:
                    # No update without its backup: the file stays as it was, readable by the old Debrief.
                    raise DatabaseError(
                        f"Debrief must update the database {self.path} to this version, and backs it up first, "
                        f"but could not write the backup {target}: {problem}. Nothing was changed. "
                        "Free some disk space (or fix the folder's permissions) and start again.") from problem
            applied = []
            for version, name, sql in pending:
                cursor.execute("BEGIN TRANSACTION")
                try:
                    # Inside the transaction: a first migration that fails leaves no schema_migrations.
                    cursor.execute(self._sql("create_schema_migrations"))
                    cursor.execute(sql)
                    cursor.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                cursor.execute("COMMIT")
                applied.append(version)
            if applied:
                self.checkpoint()
            return applied

    def _check_ours(self) -> dict[int, str]:
        """The migrations recorded in the file (version -> name); NotDebriefsDatabase if it is not Debrief's."""
        cursor = self.cursor()
        recorded = {}
        if "schema_migrations" in self.tables():
            try:
                rows = cursor.execute(self._sql("recorded_migrations")).fetchall()
            except duckdb.Error as error:  # a schema_migrations with other columns: not ours
                raise NotDebriefsDatabase(self._not_ours("its schema_migrations table is not Debrief's "
                                                         f"({error})")) from error
            recorded = {int(version): str(name) for version, name in rows}
        if not recorded:
            others = [f"{kind} {name}" for kind, name in cursor.execute(self._sql("catalog_user_objects")).fetchall()]
            if others:
                shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
                raise NotDebriefsDatabase(self._not_ours(f"it holds {shown}, which Debrief did not make",
                                                         another_program=True))
            return {}
        problem = migration_problem(recorded)
        if problem:
            raise NotDebriefsDatabase(self._not_ours(problem))
        return recorded

    def _not_ours(self, reason: str, *, another_program: bool = False) -> str:
        way_out = ("Start Debrief on another file (make run DB=other.duckdb, or --db other.duckdb on the "
                   "command line)")
        if not another_program:
            way_out += (f", or restore one of your backups (in {backups_dir(self.path)}; see \"Restoring from a "
                        "backup\" in the README)")
        return (f"The file {self.path} is a DuckDB database, but not one this Debrief can use: {reason}. "
                f"Debrief has not changed it. {way_out}.")

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

    def execute_on(self, name: str, parts: dict[str, str], **params: Any) -> list[tuple]:
        """Run a named query whose `{placeholder}` spots take `parts` (quoted with identifier()/literal())."""
        return _run(self._cursor, self._db._sql(name, **parts), params).fetchall()

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


def _make_owner_only(*paths: Path) -> None:
    """Take group and other permissions off existing files (a database copied in with mode 644)."""
    for path in paths:
        try:
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
        except FileNotFoundError:
            pass
        except PermissionError:
            pass  # another user's file: DuckDB will say whether it can be opened at all


def _remove_database_file(path: Path) -> None:
    """Delete a database file Debrief was writing, and its write-ahead log, if they exist."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass  # the error that made the copy fail is the one to report


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
