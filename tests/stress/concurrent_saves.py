"""Many sessions saving at once, through the pages' code path (lib.debriefs.save_debrief).

Each session is a thread with its own cursor, as Streamlit runs each browser session.

    .venv/bin/python tests/stress/concurrent_saves.py

prints sessions, saves, records found, errors and time for 8×50 (the issue's figure) and larger
runs; exits 1 if any save failed or went missing. tests/test_faults.py runs 8×50 in `make test`.
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lib.db import Database  # noqa: E402
from lib.debriefs import Debrief, Interviewer, Question, save_debrief  # noqa: E402

RUNS = ((8, 50), (16, 50), (32, 25))


@dataclass
class Result:
    sessions: int
    saves_each: int
    interviews: int
    errors: int
    seconds: float


def save_from_threads(db: Database, sessions: int, saves_each: int) -> list[Exception]:
    """`sessions` threads, started together, each saving `saves_each` debriefs through save_debrief
    (the pages' code path); two sessions share each company, so find-or-create races too.
    Returns the errors raised, if any."""
    errors, start = [], threading.Barrier(sessions)

    def session(n: int) -> None:
        start.wait()
        for i in range(saves_each):
            try:
                save_debrief(db, Debrief(company=f"Company {n // 2}", time_zone="UTC",
                                         starts_at=dt.datetime(2026, 1, 5, 9) + dt.timedelta(minutes=n * 10_000 + i),
                                         interviewers=[Interviewer(f"Person {n}")],
                                         questions=[Question(f"Session {n} save {i}", "", 1 + i % 10)]),
                             today=dt.date(2026, 1, 10))
            except Exception as error:  # collected, so the caller can show it
                errors.append(error)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def run(sessions: int, saves_each: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="debrief-concurrent-") as folder:
        db = Database(Path(folder) / "concurrent.duckdb")
        started = time.perf_counter()
        errors = save_from_threads(db, sessions, saves_each)
        seconds = time.perf_counter() - started
        interviews = db.row_counts()["interviews"]
        db.close()
    return Result(sessions, saves_each, interviews, len(errors), seconds)


def main() -> int:
    print(f"{'sessions':>8} {'saves each':>10} {'expected':>8} {'found':>6} {'errors':>6} {'time':>8} {'saves/s':>8}")
    failed = False
    for sessions, saves_each in RUNS:
        r = run(sessions, saves_each)
        expected = sessions * saves_each
        failed |= bool(r.errors) or r.interviews != expected
        print(f"{r.sessions:>8} {r.saves_each:>10} {expected:>8} {r.interviews:>6} {r.errors:>6} "
              f"{r.seconds:>6.1f} s {expected / r.seconds:>8.0f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
