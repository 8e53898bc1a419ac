"""kill -9 during a burst of saves: every save that was acknowledged is there after reopening.

A child process opens the database and saves debriefs through lib.debriefs.save_debrief (the
pages' code path) as fast as it can, printing the number of each one after its transaction
has committed. The parent kills it with SIGKILL at a random moment, reopens the file (DuckDB
replays its write-ahead log) and checks that every acknowledged save is there, whole: an
interview with all its questions, interviewers and reflections, or nothing at all. The same
file is used for every trial, so each one also recovers from the previous kills.

    .venv/bin/python tests/stress/kill_during_saves.py [--trials 20] [--seed 1]

prints a table, and exits 1 if any acknowledged save was lost or any save was found torn.
`make test` runs three trials (tests/stress/test_stress_short.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

QUESTIONS, PEOPLE, ITEMS = 4, 2, 3


@dataclass
class Trial:
    number: int
    killed_after: float
    acknowledged: int
    present: int
    lost: int
    torn: int
    unacknowledged_present: int


def a_debrief(n: int):
    from lib.debriefs import Debrief, Interviewer, Question
    return Debrief(company=f"Company {n % 13}", role="Analyst", time_zone="Europe/London",
                   starts_at=dt.datetime(2026, 1, 5, 9) + dt.timedelta(minutes=n),
                   interviewers=[Interviewer(f"Person {p}", "Manager") for p in range(PEOPLE)],
                   went_well=[f"Went well {k}" for k in range(ITEMS)],
                   questions=[Question(f"save {n} question {q}", "an answer " * 20, 1 + q) for q in range(QUESTIONS)])


def child(db_path: str, first: int) -> None:
    """Save debriefs numbered from `first` until killed; print each number once it has committed."""
    from lib.db import Database
    from lib.debriefs import save_debrief
    db = Database(db_path)
    print("ready", flush=True)
    n = first
    while True:
        save_debrief(db, a_debrief(n), today=dt.date(2026, 1, 10))
        print(n, flush=True)
        n += 1


def saved_numbers(db_path: Path) -> tuple[set[int], int]:
    """The save numbers found whole in the file, and how many interviews are torn (partly written)."""
    from lib.db import Database
    db = Database(db_path)
    try:
        rows = db.cursor().execute(
            "SELECT i.id, min(q.wording), count(DISTINCT q.id), "
            "       (SELECT count(*) FROM interviewers p WHERE p.interview_id = i.id), "
            "       (SELECT count(*) FROM reflections r WHERE r.interview_id = i.id) "
            "FROM interviews i LEFT JOIN questions q ON q.interview_id = i.id GROUP BY i.id").fetchall()
    finally:
        db.close()
    whole, torn = set(), 0
    for _, wording, questions, people, items in rows:
        if (questions, people, items) != (QUESTIONS, PEOPLE, ITEMS) or wording is None:
            torn += 1
        else:
            whole.add(int(wording.split()[1]))
    return whole, torn


def run_trials(trials: int, *, seed: int = 1, db_path: Path | None = None, max_wait: float = 1.5,
               after_first_save: bool = False) -> list[Trial]:
    """Kill a saving child `trials` times at random moments; `after_first_save`: never before it saved once
    (on a loaded machine a child may otherwise be killed before its first save, and the trial shows nothing)."""
    rng = random.Random(seed)
    own_folder = None
    if db_path is None:
        own_folder = tempfile.TemporaryDirectory(prefix="debrief-kill-")
        db_path = Path(own_folder.name) / "stress.duckdb"
    acknowledged: set[int] = set()
    results, next_number = [], 0
    try:
        for number in range(1, trials + 1):
            process = subprocess.Popen([sys.executable, __file__, "--child", str(db_path), str(next_number)],
                                       stdout=subprocess.PIPE, text=True, cwd=ROOT)
            assert process.stdout.readline().strip() == "ready", "the child did not start"
            first = {int(process.stdout.readline())} if after_first_save else set()
            wait = rng.uniform(0.02, max_wait)
            time.sleep(wait)
            process.send_signal(signal.SIGKILL)
            this_trial = first | {int(line) for line in process.stdout.read().split()}
            process.wait()
            acknowledged |= this_trial
            present, torn = saved_numbers(db_path)
            next_number = max(present | acknowledged, default=-1) + 1
            results.append(Trial(number, wait, len(acknowledged), len(present), len(acknowledged - present), torn,
                                 len(present - acknowledged)))
    finally:
        if own_folder is not None:
            own_folder.cleanup()
    return results


def print_table(results: list[Trial]) -> None:
    print(f"{'trial':>5} {'killed after':>12} {'acknowledged':>12} {'present':>8} {'lost':>5} {'torn':>5} "
          f"{'saved, not yet acknowledged':>28}")
    for r in results:
        print(f"{r.number:>5} {r.killed_after:>10.2f} s {r.acknowledged:>12,} {r.present:>8,} {r.lost:>5} {r.torn:>5} "
              f"{r.unacknowledged_present:>28}")
    last = results[-1]
    print(f"\n{len(results)} kills; {last.acknowledged:,} saves acknowledged in all; lost {last.lost}; "
          f"torn {max(r.torn for r in results)}.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=2, metavar=("DB", "FIRST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    started = time.perf_counter()
    results = run_trials(args.trials, seed=args.seed)
    print_table(results)
    print(f"({time.perf_counter() - started:.0f} s)")
    return 1 if results[-1].lost or any(r.torn for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
