"""Backups: a consistent snapshot of the whole database, as a DuckDB file you can open directly.

`python -m lib backup [FILE]` writes one (default: a dated file in `backups/` beside the
database); the "Your data" page offers one as a download; `lib.db.Database.migrate` takes one
before it changes the schema of a file that holds data.

Decisions:
- The snapshot is DuckDB's own: ATTACH a new file and `COPY FROM DATABASE` into it, in one
  transaction, under the process write lock (`Database.copy_to`). Measured against CHECKPOINT
  and copying the file (benchmarks/bench_own_data.py): the copy is slower (about 1 s against
  0.01 s for 100,000 interviews) but needs no assumption about when DuckDB writes its file,
  leaves the live file alone, and also works from a MotherDuck database.
- A backup is an ordinary DuckDB file: restoring it is putting it in the database's place
  (README, "Restoring from a backup"), or opening it with `--db`.
- Backups and their folder are owner-only (600 / 700), like the database. An existing file is
  never overwritten.
"""
from __future__ import annotations

import shlex
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .db import Database, backup_file_name, backups_dir


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
    started = time.perf_counter()
    db.copy_to(out)
    return Backup(out, out.stat().st_size, time.perf_counter() - started)


def backup_bytes(db: Database) -> bytes:
    """A snapshot as bytes, for a download button."""
    with tempfile.TemporaryDirectory(prefix="debrief-backup-") as work:
        return write_backup(db, Path(work) / "debrief-backup.duckdb").path.read_bytes()


def download_name(db: Database) -> str:
    """`debrief-2026-11-25-173012.duckdb`: the name a downloaded backup is given."""
    return backup_file_name(db.path).name


def list_backups(db: Database) -> list[Path]:
    """The backups in the folder beside the database, newest first."""
    folder = backups_dir(db.path)
    if db.remote or not folder.is_dir():
        return []
    return sorted(folder.glob("*.duckdb"), key=lambda path: (path.stat().st_mtime, path.name), reverse=True)


def restore_commands(db: Database) -> str:
    """The shell commands that put the newest backup in the database's place (README, "Restoring from a backup")."""
    newest = next(iter(list_backups(db)), None)
    backup_path = shlex.quote(str(newest)) if newest else shlex.quote(str(backups_dir(db.path))) + "/<backup>.duckdb"
    damaged = db.path.with_name(f"{db.path.stem}-damaged{db.path.suffix}")
    return (f"mv {shlex.quote(str(db.path))} {shlex.quote(str(damaged))}\n"
            f"cp {backup_path} {shlex.quote(str(db.path))}\n"
            f"make run DB={shlex.quote(str(db.path))}")


def run_cli(db: Database, out: Path | None) -> int:
    """`python -m lib backup [FILE]`: 0 written; 2 it could not be written (the reason on stderr)."""
    try:
        backup = write_backup(db, out)
    except (OSError, ValueError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    print(f"Backed up {db.path} to {backup.path} ({backup.size / 1e6:.1f} MB, {backup.seconds:.1f} s). "
          "To restore it, see \"Restoring from a backup\" in the README.")
    return 0
