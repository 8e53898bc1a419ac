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

    .venv/bin/python benchmarks/bench_import.py --rows '' --before DIR --runs 3 --start-up

`--before DIR` runs the same commands in an earlier checkout too (`git archive COMMIT | tar -x -C
DIR`, with its `.venv`), interleaved with this one's (before, after, before, after…) so that both
share the machine's load; `--runs N` prints the median of N for each (wall and CPU apart).
"""
import argparse
import resource
import statistics
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


def command_line(sizes: list[int], folder: Path, before: Path | None = None, runs: int = 1) -> None:
    print()
    checkouts = {"before": before, "after": ROOT} if before else {"after": ROOT}
    print_header(["rows", "MB", "bank matcher", *(f"{name}: {what}" for name in checkouts
                                                  for what in ("wall s", "CPU s")), "target s", "after wall / target"])
    for rows in sizes:
        csv_path = folder / f"questions-{rows}.csv"
        csv_path.write_bytes(questions_csv(rows))
        times = {(name, matcher): [] for name in checkouts for matcher in ("built", "stored")}
        for run in range(runs):
            for name, checkout in checkouts.items():
                # Twice, each time into a new database in the same new folder: the first import builds
                # the bank's matcher and stores it beside the database, the next one loads it.
                beside = folder / f"cli-{rows}-{name}-{run}"
                beside.mkdir()
                for matcher in ("built", "stored"):
                    times[name, matcher].append(_import(checkout, csv_path, beside / f"{matcher}.duckdb", rows))
        target = 1.0 if rows <= 10_000 else 5.0
        for matcher in ("built", "stored"):
            cells = []
            for name in checkouts:
                cells += [f"{statistics.median(t[0] for t in times[name, matcher]):.2f}",
                          f"{statistics.median(t[1] for t in times[name, matcher]):.2f}"]
            after = statistics.median(t[0] for t in times["after", matcher])
            print(f"{rows:,} | {csv_path.stat().st_size / 1e6:.1f} | {matcher} | {' | '.join(cells)} | {target:g} | "
                  f"{after / target:.2f}", flush=True)


def _import(checkout: Path, csv_path: Path, db_path: Path, rows: int) -> tuple[float, float]:
    """Wall and CPU seconds of one `python -m lib import-csv` run in `checkout`."""
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([sys.executable, "-m", "lib", "import-csv", str(csv_path), "--no-index", "--db", str(db_path)],
                          cwd=checkout, capture_output=True, text=True)
    elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"{rows:,} question" in done.stdout, done.stdout[:300]
    return elapsed, cpu


def start_up(before: Path | None = None) -> None:
    """The floor under any import command: Python with the modules it needs, and a new database."""
    print()
    checkouts = {"before": before, "after": ROOT} if before else {"after": ROOT}
    print_header(["what", *(f"{name}: {what}" for name in checkouts for what in ("wall s", "CPU s"))])
    steps = (("python -c pass", "pass"),
             ("import pandas, duckdb, numpy, scipy.sparse", "import pandas, duckdb, numpy, scipy.sparse"),
             ("import lib.cli, lib.importer", "import lib.cli, lib.importer"),
             ("... and a new database (migrations)", "import tempfile, pathlib, lib.cli, lib.importer; from lib.db import "
              "Database; Database(pathlib.Path(tempfile.mkdtemp()) / 'x.duckdb').close()"))
    for label, code in steps:
        walls, cpus = {name: [] for name in checkouts}, {name: [] for name in checkouts}
        for _ in range(5):
            for name, checkout in checkouts.items():
                start, cpu = time.perf_counter(), _children_cpu()
                subprocess.run([sys.executable, "-c", code], cwd=checkout, check=True)
                walls[name].append(time.perf_counter() - start)
                cpus[name].append(_children_cpu() - cpu)
        cells = [f"{statistics.median(walls[name]):.2f} | {statistics.median(cpus[name]):.2f}" for name in checkouts]
        print(f"{label} | {' | '.join(cells)}", flush=True)


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
    parser.add_argument("--before", type=Path, default=None, metavar="DIR",
                        help="an earlier checkout to run the command-line imports in too, interleaved")
    parser.add_argument("--runs", type=int, default=1, help="command-line imports per size (the median is printed)")
    args = parser.parse_args()
    before = args.before.resolve() if args.before else None
    with tempfile.TemporaryDirectory() as folder:
        if args.rows:
            in_process([int(s) for s in args.rows.split(",")], Path(folder))
        if args.cli_rows:
            command_line([int(s) for s in args.cli_rows.split(",")], Path(folder), before, args.runs)
        if args.start_up:
            start_up(before)


if __name__ == "__main__":
    main()
