"""How the pages and a save hold up as the history grows. Prints a table; run on purpose, never in tests.

    .venv/bin/python benchmarks/bench_pages.py [--sizes 100,10000,100000]

(AppTest outside a server logs "missing ScriptRunContext" to stderr; the table is on stdout.)

For each size: a database built with `python -m lib demo`, then the warm rerun time of each
page in AppTest (median of 5 reruns after one warm-up), and the time to save one debrief.
"""
import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from common import build, median_ms, print_header, warm_rerun_ms

from lib.db import Database
from lib.debriefs import Debrief, Interviewer, Question, save_debrief
from lib.ui import APPLICATIONS_PAGE, DEBRIEF_PAGE, INTERVIEWS_PAGE

PAGES = [None, DEBRIEF_PAGE, INTERVIEWS_PAGE, APPLICATIONS_PAGE]




def save_ms(path: Path) -> float:
    db = Database(path)
    debrief = Debrief(company="Bench Co", role="Analyst", starts_at=dt.datetime(2026, 11, 1, 10), time_zone="UTC",
                      interviewers=[Interviewer("A. Person", "Lead")],
                      questions=[Question(f"Question {n}", "note", 6) for n in range(5)])
    return median_ms(lambda: save_debrief(db, debrief))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print_header(["interviews", "build s", "home ms", "debrief ms", "interviews ms", "applications ms", "save ms"])
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            start = time.perf_counter()
            path = build(size, Path(folder))
            built = time.perf_counter() - start
            os.environ["DEBRIEF_DB"] = str(path)
            pages = [warm_rerun_ms(page) for page in PAGES]
            row = [f"{size:,}", f"{built:.1f}", *(f"{ms:.0f}" for ms in pages), f"{save_ms(path):.1f}"]
            print(" | ".join(row), flush=True)


if __name__ == "__main__":
    main()
