"""Export, restore and backup times and sizes, by database size. Prints a table; run on purpose.

    .venv/bin/python benchmarks/bench_your_data.py [--interviews 100,10000,100000]

Backups are measured both ways DuckDB allows: ATTACH + COPY FROM DATABASE (what lib/backup.py
uses) and CHECKPOINT + copying the file (for comparison; not used, see lib/backup.py).
"""
import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib import backup, demo, export  # noqa: E402
from lib.db import Database, backup_file_name  # noqa: E402


def timed(action, *args, repeat: int = 3) -> tuple[float, object]:
    """The median time of `action(*args)` over `repeat` calls, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action(*args)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def restore_into(prefix: Path, data: bytes) -> None:
    target = Database(backup_file_name(prefix.with_suffix(".duckdb"), folder=prefix.parent))
    export.restore_archive(target, data)
    target.close()


def write_backup_beside(db: Database, folder: Path) -> backup.Backup:
    return backup.write_backup(db, backup_file_name(db.path, folder=folder))


def checkpoint_and_copy(db: Database, path: Path, target: Path) -> None:
    """The other way to snapshot: flush the log into the file, then copy the file, under the write lock."""
    with db._write_lock:
        db.cursor().execute("CHECKPOINT")
        shutil.copyfile(path, target)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interviews", default="100,10000,100000")
    sizes = [int(s) for s in parser.parse_args().interviews.split(",")]
    print("interviews | rows | database MB | export s | export MB (zip) | restore s | backup s (attach+copy) "
          "| backup MB | checkpoint+copy s")
    print("--- | --- | --- | --- | --- | --- | --- | --- | ---")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for n in sizes:
            path = folder / f"demo-{n}.duckdb"
            db = Database(path)
            demo.generate(db, n, seed=1)
            rows = sum(count for table, count in db.row_counts().items() if table != "schema_migrations")
            export_s, made = timed(export.export_archive, db)
            restore_s, _ = timed(restore_into, folder / f"restored-{n}", made.data)
            backup_s, copy = timed(write_backup_beside, db, folder)
            plain_s, _ = timed(checkpoint_and_copy, db, path, folder / f"plain-{n}.duckdb")
            print(f"{n:,} | {rows:,} | {path.stat().st_size / 1e6:.1f} | {export_s:.2f} | {len(made.data) / 1e6:.2f} | "
                  f"{restore_s:.2f} | {backup_s:.2f} | {copy.size / 1e6:.1f} | {plain_s:.3f}")
            db.close()


if __name__ == "__main__":
    main()
