"""Files the commands write (a calendar, a summary, an export, a backup): never onto an input, never half.

Decisions: docs/decisions.md, 'Output files'.
"""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .db import Database, backups_dir

DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file (after the block checksum)


class OutputRefused(Exception):
    """The output would overwrite an input; the message names it and what to do instead."""


def check_not_an_input(out: str | Path, db: Database | None, *, backup: bool = False) -> Path:
    """`out`, expanded; OutputRefused when writing it would overwrite the database, its log or a backup.

    `backup=True` is for a new backup, which belongs in the backups folder.
    """
    out = Path(out).expanduser()
    what = _input_named_by(out, db, backup)
    if what:
        raise OutputRefused(f"{out} is {what}; Debrief never writes an output over it. Choose another file name.")
    return out


def _input_named_by(out: Path, db: Database | None, backup: bool) -> str | None:
    resolved = out.resolve()
    if db is not None and not db.remote:
        database = db.path.expanduser().resolve()
        if resolved == database or _same_file(out, db.path):
            return "the database Debrief has open"
        if resolved == database.with_name(database.name + ".wal"):
            return "the database's write-ahead log (.wal)"
        if not backup and resolved.parent == backups_dir(database).resolve() and resolved.suffix == ".duckdb":
            return "in the backups folder of the database"
    if resolved.suffix == ".wal" and resolved.with_suffix("").exists():
        return f"the write-ahead log of the database {resolved.with_suffix('')}"
    if _is_duckdb_file(resolved):
        return "a DuckDB database (maybe a backup)"
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _is_duckdb_file(path: Path) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(12)[8:12] == DUCKDB_MAGIC
    except OSError:
        return False


def write_output(out: str | Path, data: bytes, *, db: Database | None, overwrite: bool = True) -> Path:
    """Write `data` to `out` atomically and owner-only, after `check_not_an_input`; the path written."""
    out = check_not_an_input(out, db)
    if out.is_dir():
        raise IsADirectoryError(f"{out} is a folder; give a file name inside it.")
    if not overwrite and out.exists():
        raise FileExistsError(f"{out} already exists; choose another name (Debrief never overwrites a file).")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"the folder {out.parent} does not exist; create it or choose another place.")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)  # mode 600
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if overwrite:
            os.replace(temporary, out)
        else:
            _rename_unless_taken(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out


def _rename_unless_taken(temporary: str, out: Path) -> None:
    try:
        os.link(temporary, out)  # fails if the name was taken meanwhile: never overwrites
    except OSError as problem:
        if problem.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        # A file system without hard links: check, then rename (a race of microseconds).
        if out.exists():
            raise FileExistsError(f"{out} already exists; choose another name (Debrief never overwrites a file).")
        os.replace(temporary, out)
    else:
        os.unlink(temporary)


@contextmanager
def work_folder(db: Database, purpose: str) -> Iterator[Path]:
    """A temporary owner-only (700) folder beside the database, removed on every way out.

    Beside the database, not in /tmp: what goes in it is the user's data, and the database's
    folder is where they chose to keep it (a shared /tmp outlives a killed process). A folder a
    killed earlier process left here (a SIGKILL or a power cut skips every cleanup) is removed
    first: only one process can open the database, so another process's folder is not in use.
    The command line turns SIGTERM into an exit that runs this cleanup (lib/cli.py).
    """
    parent = None if db.remote else db.path.expanduser().parent
    prefix = f".{db.path.stem}-{purpose}-"
    if parent is not None:
        for leftover in parent.glob(prefix + "*"):
            if leftover.is_dir() and not leftover.name.startswith(f"{prefix}{os.getpid()}-"):
                shutil.rmtree(leftover, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))  # mkdtemp: mode 700
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
