"""Export everything to a ZIP, and restore such a ZIP into an empty database.

The archive (`python -m lib export FILE.zip`, or the download on the "Your data" page):

    manifest.json               what is inside: format, schema version and migrations, export time,
                                rows per table, sequence positions, the app and DuckDB versions
    tables/<table>.csv          every table of the database, every column, every row
    import-format/applications.csv, import-format/questions.csv
                                the same data as the spreadsheet import reads it
                                (docs/import-format.md), to take back to a spreadsheet

`python -m lib restore FILE.zip` loads `tables/` back, in one transaction, into a database that
holds no data yet, and gives back exactly what was exported (the round trip is tested table by
table and through `report --json`).

Decisions:
- The tables are found in the catalog (`duckdb_tables()`), never listed here: a table added by a
  later migration is exported and restored without a change to this file.
- Types survive through text: DuckDB writes the CSV (an empty cell is NULL, `""` the empty
  string; commas, quotes, newlines and emoji are quoted as RFC 4180 says), instants are written
  in UTC with their offset (`2026-03-10 09:00:00.000000+00`), lists and structs as JSON; the
  restore reads every cell as text and casts it to the column's type from the catalog.
- A restore needs the same schema version as the export (it refuses both older and newer
  ones and says why), the same tables and columns, and a database with no rows outside
  `schema_migrations` (which it replaces with the exported one). Sequences are moved on to where
  they were, so new records never reuse an id.
- The import-format files leave out sample data, interviews without questions (the format has a
  row per question) and a question repeated word for word within one interview (the import
  would refuse it); the manifest counts what was left out. `interview_at` and thank-you times
  are wall-clock times in the `time_zone` setting, the zone the import reads them in. Interview
  values (round, interviewers, reflections…) are on each interview's first row only, as the spec
  allows; a thank-you date is given only when every thank-you of the interview was sent.
- The export never overwrites an existing file, and is written owner-only (mode 600).
- Text that a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`) gets a quote in
  front, in `tables/` and `import-format/` alike, and restore and import take it off again
  (lib/spreadsheet.py): both kinds of CSV are meant to be opened in a spreadsheet too.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import settings
from .db import Database, identifier, literal, load_queries, migrations
from .importer import APPLICATIONS, COLUMNS, QUESTIONS
from .words import plural

FORMAT = "debrief-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES_FOLDER = "tables"
IMPORT_FOLDER = "import-format"
UTC_INSTANT = "%Y-%m-%d %H:%M:%S.%f"
# zlib level 1: three times faster than the default 6 on CSV, and the ZIP only about 15% larger.
FAST = 1
# What reading a member of a damaged ZIP raises: a bad CRC, a broken deflate stream, a cut-off member.
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError)
_QUERIES = load_queries()


class RestoreRefused(Exception):
    """The archive cannot be restored here; nothing was written. The message says why and what to do."""


@dataclass(frozen=True)
class Export:
    """An export as bytes, with its manifest."""
    data: bytes
    manifest: dict

    @property
    def row_count(self) -> int:
        return sum(table["rows"] for table in self.manifest["tables"].values())


# -- export ----------------------------------------------------------------------------------

def export_archive(db: Database, *, now: dt.datetime | None = None) -> Export:
    """Every table, the import-format files and the manifest, as the bytes of a ZIP."""
    now = now or dt.datetime.now(dt.UTC)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="debrief-export-") as work, db.snapshot() as snap, \
            zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=FAST) as archive:
        tables = {}
        for table in db.tables():
            columns = db.columns(table)
            path = Path(work) / f"{table}.csv"
            snap.execute_on("export_table", {"columns": _export_columns(columns), "table": identifier(table),
                                             "path": literal(path)})
            member = f"{TABLES_FOLDER}/{table}.csv"
            archive.write(path, member)
            rows = snap.execute_on("table_row_count", {"table": identifier(table)})[0][0]
            tables[table] = {"file": member, "rows": rows, "columns": [list(column) for column in columns]}
        import_format = _write_import_format(db, snap, archive, work)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "app": "Debrief", "app_version": _app_version(), "duckdb_version": duckdb.__version__,
            "exported_at": now.isoformat(timespec="seconds"),
            "schema_version": db.schema_version(),
            "migrations": [[version, name] for version, name, _ in migrations()],
            "tables": tables,
            "sequences": db.sequences(),
            "import_format": import_format,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return Export(buffer.getvalue(), manifest)


def _export_columns(columns: list[tuple[str, str]]) -> str:
    """The SELECT list: instants in UTC with their offset, nested values as JSON, the rest as they are."""
    parts = []
    for name, data_type in columns:
        column = identifier(name)
        if data_type == "VARCHAR":
            parts.append(f"{_fragment('spreadsheet_safe_text', column=column)} AS {column}")
        elif data_type == "TIMESTAMP WITH TIME ZONE":
            parts.append(f"strftime(timezone('UTC', {column}), '{UTC_INSTANT}') || '+00' AS {column}")
        elif _is_nested(data_type):
            parts.append(f"CAST(to_json({column}) AS VARCHAR) AS {column}")
        else:
            parts.append(column)
    return ", ".join(parts)


def _fragment(name: str, **parts: str) -> str:
    """A named SQL expression (lib/sql/own_data.sql) to place inside a statement: its comment lines
    dropped (they would swallow what follows on the line), its `{placeholders}` filled."""
    lines = [line for line in _QUERIES[name].splitlines() if not line.lstrip().startswith("--")]
    return " ".join(lines).format_map(parts)


def _is_nested(data_type: str) -> bool:
    return data_type.endswith("]") or data_type.startswith(("STRUCT", "MAP", "UNION"))


def _write_import_format(db: Database, snap, archive: zipfile.ZipFile, work: str) -> dict:
    """applications.csv and questions.csv in the import format; what they hold and leave out."""
    zone = settings.time_zone(db)
    rows = {}
    for name, query, params, columns in (
            ("applications.csv", "export_applications", {}, COLUMNS[APPLICATIONS]),
            ("questions.csv", "export_questions", {"zone": zone}, COLUMNS[QUESTIONS])):
        path = Path(work) / name
        # Every column of the import format is text (dates and scores too, written 0-9).
        safe = ", ".join(f"{_fragment('spreadsheet_safe_text', column=identifier(column))} AS {identifier(column)}"
                         for column in columns)
        snap.execute_on("export_spreadsheet_query", {"query": db.queries[query], "columns": safe,
                                                     "path": literal(path)}, **params)
        archive.write(path, f"{IMPORT_FOLDER}/{name}")
        rows[name] = snap.execute_on("count_query", {"query": db.queries[query]}, **params)[0][0]
    return {
        "time_zone": zone,
        "rows": rows,
        "left_out": {
            "sample_applications": int(snap.scalar("export_sample_applications")),
            "interviews_without_questions": int(snap.scalar("export_interviews_without_questions")),
            "repeated_questions": int(snap.scalar("export_repeated_questions")),
        },
    }


def _app_version() -> str | None:
    from importlib import metadata
    try:
        return metadata.version("debrief")
    except metadata.PackageNotFoundError:
        return None


def write_export(db: Database, out: str | Path) -> Export:
    """Write the export to `out` (owner-only); an existing file is never overwritten."""
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out} already exists; choose another name (Debrief never overwrites a file).")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"the folder {out.parent} does not exist; create it or choose another place.")
    export = export_archive(db)
    _write_private(out, export.data)
    return export


def _write_private(path: Path, data: bytes) -> None:
    """Create `path` readable and writable by its owner only, and fail if it exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def run_export_cli(db: Database, out: Path) -> int:
    """`python -m lib export FILE.zip`: 0 written; 2 the file cannot be written."""
    started = time.perf_counter()
    try:
        export = write_export(db, out)
    except OSError as problem:
        print(f"error: {_os_message(problem)}", file=sys.stderr)
        return 2
    except duckdb.Error as problem:  # the temporary CSVs could not be written (a full disk, say)
        print(f"error: the export could not be written, and no file was made: {problem}", file=sys.stderr)
        return 2
    tables = export.manifest["tables"]
    print(f"Exported {plural(len(tables), 'table')} ({plural(export.row_count, 'row')}) and the import-format "
          f"files to {out} ({len(export.data) / 1024:,.0f} KB) in {time.perf_counter() - started:.1f} s.")
    return 0


# -- restore ---------------------------------------------------------------------------------

def restore_archive(db: Database, data: bytes) -> dict[str, int]:
    """Load an export into `db`, which must hold no data yet; rows restored per table.

    Raises RestoreRefused, with nothing written, when the archive or the database is not right.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise RestoreRefused("This is not a ZIP file. Restore takes the ZIP made by "
                             "`python -m lib export` or the \"Your data\" page.") from None
    with archive:
        manifest = _read_manifest(archive)
        _check_schema(db, manifest)
        _check_empty(db)
        with tempfile.TemporaryDirectory(prefix="debrief-restore-") as work:
            files = _extract_tables(archive, manifest, Path(work))
            return _load(db, manifest, files)


def _read_member(archive: zipfile.ZipFile, member: str) -> bytes:
    """A member's bytes; KeyError when it is missing; RestoreRefused when the ZIP is damaged there."""
    try:
        return archive.read(member)
    except DAMAGED_ZIP as problem:
        raise RestoreRefused(f"The ZIP is damaged: {member} cannot be read ({problem}). Use another copy of "
                             "the export, or export again.") from None


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(_read_member(archive, MANIFEST).decode("utf-8"))
    except KeyError:
        raise RestoreRefused(f"The ZIP has no {MANIFEST}: it is not a Debrief export.") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RestoreRefused(f"The {MANIFEST} in the ZIP is damaged (not valid JSON).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreRefused(f"The {MANIFEST} in the ZIP is not a Debrief export's.")
    if manifest.get("format_version") != FORMAT_VERSION or not isinstance(manifest.get("tables"), dict):
        raise RestoreRefused(f"This export has format version {manifest.get('format_version')!r}; this Debrief "
                             f"reads version {FORMAT_VERSION}. Restore it with the Debrief that made it.")
    _check_manifest_shape(manifest)
    return manifest


def _check_manifest_shape(manifest: dict) -> None:
    """Every table entry has int `rows` and [name, type] `columns`; sequences are ints (or null)."""
    for table, entry in manifest["tables"].items():
        columns = entry.get("columns") if isinstance(entry, dict) else None
        if not (isinstance(entry, dict) and _is_count(entry.get("rows")) and isinstance(columns, list)
                and all(isinstance(column, list) and len(column) == 2 and all(isinstance(part, str) for part in column)
                        for column in columns)):
            raise RestoreRefused(f"The {MANIFEST} in the ZIP was changed after export: its entry for the table "
                                 f"{table!r} needs a whole number of rows and a list of [name, type] columns.")
    sequences = manifest.get("sequences") or {}
    if not (isinstance(sequences, dict) and all(last is None or _is_int(last) for last in sequences.values())):
        raise RestoreRefused(f"The {MANIFEST} in the ZIP was changed after export: its sequences must each give "
                             "a whole number (or null).")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_count(value) -> bool:
    return _is_int(value) and value >= 0


def _check_schema(db: Database, manifest: dict) -> None:
    theirs, ours = manifest.get("schema_version"), db.schema_version()
    if theirs != ours:
        newer = isinstance(theirs, int) and theirs > ours
        raise RestoreRefused(
            f"This export has schema version {theirs}; this Debrief has version {ours}. "
            + ("It was made by a newer Debrief: update this one, then restore." if newer else
               "Restore it with the Debrief version that made it, then export again from there; or import "
               f"its {IMPORT_FOLDER}/ files (python -m lib import-csv), which any version reads."))
    ours_tables, their_tables = set(db.tables()), set(manifest["tables"])
    if ours_tables != their_tables:
        raise RestoreRefused(
            "The export's tables do not match this database's: "
            f"missing from the export: {', '.join(sorted(ours_tables - their_tables)) or 'none'}; "
            f"unknown here: {', '.join(sorted(their_tables - ours_tables)) or 'none'}.")


def _check_empty(db: Database) -> None:
    if db.has_data():
        held = ", ".join(f"{table} {n:,}" for table, n in db.row_counts().items() if n and table != "schema_migrations")
        raise RestoreRefused(
            f"The database {db.path} already holds data (rows: {held}). A restore only goes into an empty "
            "database, so that nothing is mixed or lost: restore into a new file, e.g. "
            "python -m lib restore FILE.zip --db ~/debrief-restored.duckdb")


def _extract_tables(archive: zipfile.ZipFile, manifest: dict, work: Path) -> dict[str, Path]:
    """Each table's CSV written under `work` by table name (member paths are never used as paths)."""
    files = {}
    for table, entry in manifest["tables"].items():
        member = f"{TABLES_FOLDER}/{table}.csv"
        try:
            data = _read_member(archive, member)
        except KeyError:
            raise RestoreRefused(f"The ZIP lacks {member}, which its manifest lists.") from None
        header = next(csv.reader(io.StringIO(data.decode("utf-8", errors="replace"))), [])
        expected = [name for name, _ in entry.get("columns", [])]
        if header != expected:
            raise RestoreRefused(f"{member} has the columns {', '.join(header) or '(none)'}; its manifest "
                                 f"says {', '.join(expected)}. The ZIP was changed after export.")
        path = work / f"{len(files):03d}.csv"
        path.write_bytes(data)
        files[table] = path
    return files


def _load(db: Database, manifest: dict, files: dict[str, Path]) -> dict[str, int]:
    restored = {}
    try:
        with db.transaction() as tx:
            for table, path in files.items():
                columns = db.columns(table)
                their_columns = {name for name, _ in manifest["tables"][table]["columns"]}
                if their_columns != {name for name, _ in columns}:
                    raise RestoreRefused(f"The table {table} has other columns here than in the export.")
                if table == "schema_migrations":
                    tx.execute_on("delete_all_rows", {"table": identifier(table)})
                tx.execute_on("restore_table", {"table": identifier(table),
                                                "names": ", ".join(identifier(n) for n, _ in columns),
                                                "casts": _restore_casts(columns)}, path=str(path))
                count = tx.execute_on("table_row_count", {"table": identifier(table)})[0][0]
                if count != manifest["tables"][table]["rows"]:
                    raise RestoreRefused(f"{TABLES_FOLDER}/{table}.csv holds {count:,} rows; the manifest says "
                                         f"{manifest['tables'][table]['rows']:,}. The ZIP was changed after export.")
                restored[table] = count
            _advance_sequences(db, tx, manifest.get("sequences") or {})
    except duckdb.Error as problem:
        raise RestoreRefused(f"The export could not be loaded, and nothing was written: {problem}") from None
    return restored


def _restore_casts(columns: list[tuple[str, str]]) -> str:
    casts = []
    for name, data_type in columns:
        column = identifier(name)
        if _is_nested(data_type):
            value = f"CAST({column} AS JSON)"
        elif data_type == "VARCHAR":
            value = _fragment("spreadsheet_text_as_typed", column=column)
        else:
            value = column
        casts.append(f"CAST({value} AS {data_type})")
    return ", ".join(casts)


def _advance_sequences(db: Database, tx, wanted: dict) -> None:
    """Move each sequence on to where it stood at export (sequences cannot be set, only advanced)."""
    current = db.sequences()
    for name, last in wanted.items():
        if name not in current or last is None:
            continue
        steps = int(last) - (current[name] or 0)
        if steps > 0:
            tx.execute_on("advance_sequence", {"sequence": literal(name)}, steps=steps)


def run_restore_cli(db: Database, archive: Path) -> int:
    """`python -m lib restore FILE.zip`: 0 restored; 1 refused (nothing written); 2 the file cannot be read."""
    try:
        data = Path(archive).read_bytes()
    except OSError as problem:
        print(f"error: {_os_message(problem)}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        restored = restore_archive(db, data)
    except RestoreRefused as refused:
        print(f"error: {refused} Nothing was written.", file=sys.stderr)
        return 1
    rows = sum(count for table, count in restored.items() if table != "schema_migrations")
    print(f"Restored {plural(rows, 'row')} in {plural(len(restored), 'table')} into {db.path} "
          f"in {time.perf_counter() - started:.1f} s.")
    return 0


def _os_message(problem: OSError) -> str:
    if isinstance(problem, (FileExistsError, FileNotFoundError)) and problem.args and not problem.filename:
        return str(problem)
    return f"{problem.filename or ''}: {problem.strerror or problem}".lstrip(": ")
