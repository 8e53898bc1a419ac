"""Backups: a consistent snapshot of the whole database, as a DuckDB file you can open directly.

`python -m lib backup [FILE]` writes one (default: a dated file in `backups/` beside the
database); the "Your data" page offers one as a download; `lib.db.Database.migrate` takes one
before it changes the schema of a file that holds data.

Decisions: docs/decisions.md, 'Backups'.
"""
from __future__ import annotations

import datetime as dt
import re
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .db import Database, backup_file_name, backups_dir
from .outputs import OutputRefused, check_not_an_input, work_folder


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    seconds: float


def write_backup(db: Database, out: str | Path | None = None) -> Backup:
    """Snapshot `db` into `out` (default: a new dated file in backups/ beside the database)."""
    if out is None:
        if db.remote:
            raise ValueError("A MotherDuck database has no folder beside it: name the backup file, "
                             "e.g. python -m lib backup ~/debrief-backup.duckdb")
        out = backup_file_name(db.path)
    out = Path(out).expanduser()
    if out.is_dir():
        out = backup_file_name(db.path, folder=out)
    check_not_an_input(out, db, backup=True)
    started = time.perf_counter()
    db.copy_to(out)
    return Backup(out, out.stat().st_size, time.perf_counter() - started)


def backup_bytes(db: Database) -> bytes:
    """A snapshot as bytes, for a download button."""
    with work_folder(db, "backup") as work:
        return write_backup(db, work / "debrief-backup.duckdb").path.read_bytes()


def download_name(db: Database) -> str:
    """`debrief-2026-11-25-173012.duckdb`: the name a downloaded backup is given."""
    return backup_file_name(db.path).name


def list_backups(db: Database) -> list[Path]:
    """This database's own backups in the folder beside it, newest first (not other databases' there)."""
    folder = backups_dir(db.path)
    if db.remote or not folder.is_dir():
        return []
    own = _own_backup_name(db.path)
    found = [path for path in folder.glob("*.duckdb") if own.match(path.name) and path.is_file()]
    return sorted(found, key=lambda path: (path.stat().st_mtime, path.name), reverse=True)


def _own_backup_name(db_path: Path) -> re.Pattern:
    """The names `backup_file_name` gives this database's backups: stem, optional label, date, `-N` if taken."""
    stem = re.escape(Path(db_path).stem.replace(":", "-"))
    return re.compile(rf"^{stem}(-before-migration-\d{{3}})?-\d{{4}}-\d{{2}}-\d{{2}}-\d{{6}}(-\d+)?\.duckdb$")


def restore_commands(db: Database) -> str:
    """The shell commands that put the newest backup in the database's place (README, "Restoring from a backup")."""
    newest = next(iter(list_backups(db)), None)
    backup_path = shlex.quote(str(newest)) if newest else shlex.quote(str(backups_dir(db.path))) + "/<backup>.duckdb"
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")  # a new name each time: no earlier copy is touched
    damaged = db.path.with_name(f"{db.path.stem}-damaged-{stamp}{db.path.suffix}")
    here, aside = shlex.quote(str(db.path)), shlex.quote(str(damaged))
    here_wal, aside_wal = shlex.quote(f"{db.path}.wal"), shlex.quote(f"{damaged}.wal")
    # The damaged file's .wal goes aside with it: left beside the restored copy, DuckDB would refuse
    # to open it ("WAL does not match database file"). -n everywhere: nothing is ever overwritten,
    # so if the file could not be moved aside, the copy refuses rather than replace it.
    return (f"mv -n {here} {aside}\n"
            f"if [ -f {here_wal} ]; then mv -n {here_wal} {aside_wal}; fi\n"
            f"cp -n {backup_path} {here}\n"
            f"make run DB={here}")


def run_cli(db: Database, out: Path | None) -> int:
    """`python -m lib backup [FILE]`: 0 written; 2 it could not be written (the reason on stderr)."""
    try:
        backup = write_backup(db, out)
    except (OSError, ValueError, OutputRefused) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except duckdb.Error as problem:  # a full disk, an unwritable target: nothing was left behind
        print(f"error: the backup could not be written, and no file was left behind: {problem}", file=sys.stderr)
        return 2
    print(f"Backed up {db.path} to {backup.path} ({backup.size / 1e6:.1f} MB, {backup.seconds:.1f} s). "
          "To restore it, see \"Restoring from a backup\" in the README.")
    return 0
