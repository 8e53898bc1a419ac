"""How fast a questions CSV is checked and imported, by size. Prints two tables; run on purpose.

    .venv/bin/python benchmarks/bench_import.py [--rows 1000,10000,50000] [--cli-rows 10000,100000]

The first table is in process: `plan_import` (check), `apply_import` (write and group), then the
same file again (nothing to add). The second is `python -m lib import-csv FILE --no-index` in a
subprocess, end to end as a user runs it (Python start-up and imports included), on a new
database each time; the "Asked before?" index is built after the commit and is left out
(targets, issue 15: 10,000 rows ≤ 1 s, 100,000 ≤ 5 s), with its CPU time beside the wall
clock. Each size runs twice in a new folder: the first import builds the bank's matcher and
stores it beside the database, the second loads it. Every question's wording is different.
`--start-up` also times the floor: Python, its imports and a new database, median of 5.
"""
import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, print_header

from lib.db import Database
from lib.importer import apply_import, plan_import

HEADER = "company,role,interview_at,round,stage,format,interviewer,question,answer,score,went_well,to_improve\n"


def questions_csv(rows: int) -> bytes:
    """`rows` questions, five per interview, spread over applications and days (all valid)."""
    lines = [HEADER]
    for n in range(rows):
        interview = n // 5
        day = 1 + interview % 28
        month = 1 + (interview // 28) % 12
        lines.append(f"Company {interview // 3},Analyst,2025-{month:02d}-{day:02d} {9 + interview % 8}:00,"
                     f"{1 + interview % 3},Panel,video,Ann Lee (Lead),Question {n % 5} of interview {interview},"
                     f"An answer,{1 + n % 10},On time; Clear,Shorter answers\n")
    return "".join(lines).encode()


def in_process(sizes: list[int], folder: Path) -> None:
    print_header(["rows", "MB", "check s", "import s", "import again s", "added questions", "added on 2nd import"])
    for rows in sizes:
        data = questions_csv(rows)
        db = Database(folder / f"import-{rows}.duckdb")
        start = time.perf_counter()
        plan = plan_import(db, [("questions.csv", data)], max_file_bytes=None)
        checked = time.perf_counter() - start
        assert not plan.errors, plan.errors[:3]
        start = time.perf_counter()
        result = apply_import(db, plan)
        imported = time.perf_counter() - start
        start = time.perf_counter()
        again = apply_import(db, plan_import(db, [("questions.csv", data)], max_file_bytes=None))
        second = time.perf_counter() - start
        print(f"{rows:,} | {len(data) / 1e6:.1f} | {checked:.2f} | {imported:.2f} | {second:.2f} | "
              f"{result.questions_added:,} | {again.questions_added}", flush=True)
        db.close()


def command_line(sizes: list[int], folder: Path) -> None:
    print()
    print_header(["rows", "MB", "bank matcher", "import-csv --no-index s", "CPU s", "target s", "ratio to target"])
    for rows in sizes:
        csv_path = folder / f"questions-{rows}.csv"
        csv_path.write_bytes(questions_csv(rows))
        # Twice, each time into a new database in the same new folder: the first import builds the
        # bank's matcher and stores it beside the database, the next one loads it.
        beside = folder / f"cli-{rows}"
        beside.mkdir()
        for matcher in ("built", "stored"):
            db_path = beside / f"{matcher}.duckdb"
            start, cpu = time.perf_counter(), _children_cpu()
            done = subprocess.run([sys.executable, "-m", "lib", "import-csv", str(csv_path), "--no-index",
                                   "--db", str(db_path)], cwd=ROOT, capture_output=True, text=True)
            elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu
            assert done.returncode == 0, done.stderr[-2000:]
            assert f"{rows:,} question" in done.stdout, done.stdout[:300]
            target = 1.0 if rows <= 10_000 else 5.0
            print(f"{rows:,} | {csv_path.stat().st_size / 1e6:.1f} | {matcher} | {elapsed:.2f} | {cpu:.2f} | {target:g} | "
                  f"{elapsed / target:.2f}", flush=True)


def start_up() -> None:
    """The floor under any import command: Python with the modules it needs, and a new database."""
    print()
    print_header(["what", "wall s", "CPU s"])
    steps = (("python -c pass", "pass"),
             ("import pandas, duckdb, numpy, scipy.sparse", "import pandas, duckdb, numpy, scipy.sparse"),
             ("import lib.cli, lib.importer", "import lib.cli, lib.importer"),
             ("... and a new database (migrations)", "import tempfile, pathlib, lib.cli, lib.importer; from lib.db import "
              "Database; Database(pathlib.Path(tempfile.mkdtemp()) / 'x.duckdb').close()"))
    for label, code in steps:
        walls, cpus = [], []
        for _ in range(5):
            start, cpu = time.perf_counter(), _children_cpu()
            subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
            walls.append(time.perf_counter() - start)
            cpus.append(_children_cpu() - cpu)
        print(f"{label} | {sorted(walls)[2]:.2f} | {sorted(cpus)[2]:.2f}", flush=True)


def _children_cpu() -> float:
    """User + system CPU seconds of the finished subprocesses: on a shared machine, the work done,
    where the wall clock also counts the time spent waiting for a core."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1000,10000,50000", help="in-process sizes ('' for none)")
    parser.add_argument("--cli-rows", default="10000,100000", help="command-line sizes ('' for none)")
    parser.add_argument("--start-up", action="store_true", help="also time the start-up floor (median of 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.rows:
            in_process([int(s) for s in args.rows.split(",")], Path(folder))
        if args.cli_rows:
            command_line([int(s) for s in args.cli_rows.split(",")], Path(folder))
        if args.start_up:
            start_up()


if __name__ == "__main__":
    main()
