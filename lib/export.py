"""Export everything to a ZIP, and restore such a ZIP into an empty database.

`python -m lib export FILE.zip` (or the download on the "Your data" page) writes every table as
CSV, a manifest and the import-format CSVs; `python -m lib restore FILE.zip` loads the tables
back, in one transaction, into a database that holds no data yet.

Decisions: docs/decisions.md, 'Export and restore'.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import lzma
import struct
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import fields, settings
from .db import Database, identifier, literal, load_queries, migration_problem, migrations
from .importer import APPLICATIONS, COLUMNS, FILE_INTERVIEW_FIELDS, QUESTIONS
from .outputs import OutputRefused, check_not_an_input, work_folder, write_output
from .words import plural

FORMAT = "debrief-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES_FOLDER = "tables"
IMPORT_FOLDER = "import-format"
UTC_INSTANT = "%Y-%m-%d %H:%M:%S.%f"
# zlib level 1: three times faster than the default 6 on CSV, and the ZIP only about 15% larger.
FAST = 1
# What reading a damaged ZIP raises: a bad CRC, a broken deflate stream, a cut-off member, a
# header field out of range (ValueError, OverflowError, struct.error), an unknown compression
# method (NotImplementedError), an encrypted member (RuntimeError).
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OverflowError, struct.error,
               NotImplementedError, RuntimeError, lzma.LZMAError)
# Limits on an archive to restore, checked in its directory before anything is decompressed and
# again on the bytes actually read (a directory can lie). An export of 100,000 interviews holds
# about 60 MB of CSV; these leave room for ten times that and refuse a ZIP bomb in milliseconds.
MAX_MEMBERS = 1_000
MAX_MEMBER_BYTES = 1024 ** 3            # one file, uncompressed
MAX_TOTAL_BYTES = 2 * 1024 ** 3 - 1     # every file together, uncompressed (a 2 GB bomb is over it)
MAX_RATIO = 100                         # uncompressed / compressed; CSV at zlib level 1 is 3 to 20
RATIO_FROM_BYTES = 1024 ** 2            # small files may compress better (a column of one value)
MAX_MANIFEST_BYTES = 1024 ** 2
# Numbers in the manifest: a sequence is advanced one step at a time (DuckDB cannot set one), at
# about 30 million steps a second, so a position of 10**12 would run for hours.
MAX_SEQUENCE = 100_000_000
MAX_ROWS = 100_000_000
MAX_SCHEMA_VERSION = 999
CHUNK = 1024 ** 2
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
    with work_folder(db, "export") as work, db.snapshot() as snap, \
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
    """A named SQL expression (lib/sql/your_data.sql) to place inside a statement: its comment lines
    dropped (they would swallow what follows on the line), its `{placeholders}` filled."""
    lines = [line for line in _QUERIES[name].splitlines() if not line.lstrip().startswith("--")]
    return " ".join(lines).format_map(parts)


def _is_nested(data_type: str) -> bool:
    return data_type.endswith("]") or data_type.startswith(("STRUCT", "MAP", "UNION"))


def _write_import_format(db: Database, snap, archive: zipfile.ZipFile, work: str) -> dict:
    """applications.csv and questions.csv in the import format; what they hold and leave out."""
    zone = settings.time_zone(db)
    rows = {}
    # The interview's declared fields, on the first row of each interview.
    interview_columns = ", ".join(f"CASE WHEN q.nth = 1 THEN i.{identifier(name)} END AS {identifier(name)}"
                                  for name in fields.names(FILE_INTERVIEW_FIELDS))
    for name, query, params, columns in (
            ("applications.csv", "export_applications", {}, COLUMNS[APPLICATIONS]),
            ("questions.csv", "export_questions", {"zone": zone}, COLUMNS[QUESTIONS])):
        path = Path(work) / name
        query = db.queries[query].format_map({"interview_columns": interview_columns})
        # Every column of the import format is text (dates and scores too, written 0-9; a date as YYYY-MM-DD).
        safe = ", ".join(f"{_fragment('spreadsheet_safe_text', column=f'CAST({identifier(column)} AS VARCHAR)')} "
                         f"AS {identifier(column)}" for column in columns)
        snap.execute_on("export_spreadsheet_query", {"query": query, "columns": safe,
                                                     "path": literal(path)}, **params)
        archive.write(path, f"{IMPORT_FOLDER}/{name}")
        rows[name] = snap.execute_on("count_query", {"query": query}, **params)[0][0]
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
    """Write the export to `out` (owner-only, atomically); an existing file or an input is never overwritten."""
    out = check_not_an_input(out, db)
    if out.exists():
        raise FileExistsError(f"{out} already exists; choose another name (Debrief never overwrites a file).")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"the folder {out.parent} does not exist; create it or choose another place.")
    export = export_archive(db)
    write_output(out, export.data, db=db, overwrite=False)
    return export


def run_export_cli(db: Database, out: Path) -> int:
    """`python -m lib export FILE.zip`: 0 written; 2 the file cannot be written."""
    started = time.perf_counter()
    try:
        export = write_export(db, out)
    except OutputRefused as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
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

def restore_archive(db: Database, source: bytes | str | Path) -> dict[str, int]:
    """Load an export (its bytes, or the path of the ZIP) into `db`, which must hold no data yet;
    rows restored per table.

    Raises RestoreRefused, with nothing written, when the archive or the database is not right.
    The archive is checked in its directory before anything is decompressed, every member is
    streamed (never read whole into memory), and the tables are written to a folder beside the
    database (`outputs.work_folder`), removed on every way out.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source)
    except DAMAGED_ZIP:
        raise RestoreRefused("This is not a ZIP file, or a damaged one. Restore takes the ZIP made by "
                             "`python -m lib export` or the \"Your data\" page.") from None
    with archive:
        _check_sizes(archive)
        manifest = _read_manifest(archive)
        _check_schema(db, manifest)
        _check_empty(db)
        with work_folder(db, "restore") as work:
            files = _extract_tables(archive, manifest, work)
            return _load(db, manifest, files)


def _check_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse a ZIP bomb from its directory: too many members, or too large, or compressed too well."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise RestoreRefused(f"The ZIP holds {len(members):,} files; an export holds a few dozen. "
                             "It is not a Debrief export.")
    total = 0
    for member in members:
        size = member.file_size
        if size > MAX_MEMBER_BYTES:
            raise RestoreRefused(f"{member.filename} would expand to {_megabytes(size)}; a file of an export is at "
                                 f"most {_megabytes(MAX_MEMBER_BYTES)} here. It is not a Debrief export.")
        if size > RATIO_FROM_BYTES and size > MAX_RATIO * max(member.compress_size, 1):
            raise RestoreRefused(f"{member.filename} would expand {size // max(member.compress_size, 1):,} times "
                                 f"over, to {_megabytes(size)} (an export's CSV expands at most {MAX_RATIO} times): "
                                 "it looks like a ZIP bomb, not a Debrief export.")
        total += size
    if total > MAX_TOTAL_BYTES:
        raise RestoreRefused(f"The ZIP would expand to {_megabytes(total)}; the limit is "
                             f"{_megabytes(MAX_TOTAL_BYTES)}. It is not a Debrief export.")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def _copy_member(archive: zipfile.ZipFile, member: str, out, limit: int) -> int:
    """Stream a member into the open file `out`, at most `limit` bytes and no more than its header
    says; the bytes copied. KeyError when it is missing; RestoreRefused when it is damaged or lies."""
    info = archive.getinfo(member)
    copied = 0
    try:
        with archive.open(info) as source:
            while chunk := source.read(CHUNK):
                copied += len(chunk)
                if copied > info.file_size:
                    raise RestoreRefused(f"{member} holds more than the {info.file_size:,} bytes its ZIP header "
                                         "gives: the ZIP was changed after export.")
                if copied > limit:
                    raise RestoreRefused(f"{member} is over {limit:,} bytes, far more than an export's. "
                                         "It is not a Debrief export.")
                out.write(chunk)
    except DAMAGED_ZIP as problem:
        raise RestoreRefused(f"The ZIP is damaged: {member} cannot be read ({problem}). Use another copy of "
                             "the export, or export again.") from None
    return copied


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    buffer = io.BytesIO()
    try:
        _copy_member(archive, MANIFEST, buffer, MAX_MANIFEST_BYTES)
    except KeyError:
        raise RestoreRefused(f"The ZIP has no {MANIFEST}: it is not a Debrief export.") from None
    try:
        manifest = json.loads(buffer.getvalue().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # ValueError: bad JSON, or an int of 5,000 digits
        raise RestoreRefused(f"The {MANIFEST} in the ZIP is damaged (not valid JSON).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreRefused(f"The {MANIFEST} in the ZIP is not a Debrief export's.")
    if manifest.get("format_version") != FORMAT_VERSION or not isinstance(manifest.get("tables"), dict):
        raise RestoreRefused(f"This export has format version {manifest.get('format_version')!r}; this Debrief "
                             f"reads version {FORMAT_VERSION}. Restore it with the Debrief that made it.")
    _check_manifest_shape(manifest)
    return manifest


def _check_manifest_shape(manifest: dict) -> None:
    """Every number of the manifest is a whole number in its range; table entries and migrations have their shape."""
    changed = f"The {MANIFEST} in the ZIP was changed after export:"
    for table, entry in manifest["tables"].items():
        columns = entry.get("columns") if isinstance(entry, dict) else None
        if not (isinstance(entry, dict) and _is_count(entry.get("rows")) and isinstance(columns, list)
                and all(isinstance(column, list) and len(column) == 2 and all(isinstance(part, str) for part in column)
                        for column in columns)):
            raise RestoreRefused(f"{changed} its entry for the table {table!r} needs a whole number of rows and a "
                                 "list of [name, type] columns.")
        if entry["rows"] > MAX_ROWS:
            raise RestoreRefused(f"{changed} it gives the table {table!r} {entry['rows']:,} rows; the limit is "
                                 f"{MAX_ROWS:,}.")
    sequences = manifest.get("sequences") or {}
    if not (isinstance(sequences, dict) and all(last is None or _is_int(last) for last in sequences.values())):
        raise RestoreRefused(f"{changed} its sequences must each give a whole number (or null).")
    for name, last in sequences.items():
        if last is not None and not 0 <= last <= MAX_SEQUENCE:
            raise RestoreRefused(f"{changed} the sequence {name!r} is at {last:,}; a Debrief export's sequences "
                                 f"are from 0 to {MAX_SEQUENCE:,}.")
    version = manifest.get("schema_version")
    if not (_is_int(version) and 0 <= version <= MAX_SCHEMA_VERSION):
        raise RestoreRefused(f"{changed} its schema version {version!r} is not a whole number from 0 to "
                             f"{MAX_SCHEMA_VERSION}.")
    listed = manifest.get("migrations")
    if not (isinstance(listed, list) and all(isinstance(item, list) and len(item) == 2 and _is_int(item[0])
                                             and isinstance(item[1], str) for item in listed)):
        raise RestoreRefused(f"{changed} its migrations must be a list of [number, name].")
    for number in _numbers(manifest.get("import_format")):
        if not (_is_int(number) and 0 <= number <= MAX_ROWS):
            raise RestoreRefused(f"{changed} its import_format counts must be whole numbers from 0 to {MAX_ROWS:,}.")


def _numbers(value):
    """Every number inside a JSON value (to check counts that restore does not otherwise use)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, (int, float)):
        yield value


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
    ours_migrations = [[version, name] for version, name, _ in migrations()]
    if manifest["migrations"] != ours_migrations:
        raise RestoreRefused(f"The {MANIFEST} lists the migrations {manifest['migrations']}; this Debrief has "
                             f"{ours_migrations}. The ZIP was changed after export, or made by another Debrief.")
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
    """Each table's CSV streamed to `work` by table name (member paths are never used as paths)."""
    files = {}
    for table, entry in manifest["tables"].items():
        member = f"{TABLES_FOLDER}/{table}.csv"
        path = work / f"{len(files):03d}.csv"
        try:
            with open(path, "xb") as out:
                _copy_member(archive, member, out, MAX_MEMBER_BYTES)
        except KeyError:
            raise RestoreRefused(f"The ZIP lacks {member}, which its manifest lists.") from None
        with open(path, encoding="utf-8", errors="replace", newline="") as text:
            first_line = text.readline(64 * 1024)  # the header; a longer one is not an export's
        header = next(csv.reader(io.StringIO(first_line)), [])
        expected = [name for name, _ in entry.get("columns", [])]
        if header != expected:
            raise RestoreRefused(f"{member} has the columns {', '.join(header)[:200] or '(none)'}; its manifest "
                                 f"says {', '.join(expected)}. The ZIP was changed after export.")
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
            _check_restored_migrations(tx)
            _advance_sequences(db, tx, manifest.get("sequences") or {})
    except duckdb.Error as problem:
        raise RestoreRefused(f"The export could not be loaded, and nothing was written: {problem}") from None
    db.checkpoint()  # into the file itself before "Restored…" is printed (lib/db.py, Durability)
    return restored


def _check_restored_migrations(tx) -> None:
    """The restored schema_migrations must be this Debrief's, row for row: an edited one would pass
    the load and then stop every command (`Database` refuses it on the next open)."""
    recorded = dict(tx.execute_on("recorded_migrations", {}))
    ours = {version: name for version, name, _ in migrations()}
    problem = migration_problem(recorded) or (None if recorded == ours else
                                             f"it records migrations {sorted(recorded)}, where this Debrief has "
                                             f"{sorted(ours)}")
    if problem:
        raise RestoreRefused(f"{TABLES_FOLDER}/schema_migrations.csv does not match this Debrief: {problem}. "
                             "The ZIP was changed after export.")


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
    started = time.perf_counter()
    try:
        with open(archive, "rb") as source:  # read from disk as needed, never whole into memory
            restored = restore_archive(db, source)
    except OSError as problem:
        print(f"error: {_os_message(problem)}", file=sys.stderr)
        return 2
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
