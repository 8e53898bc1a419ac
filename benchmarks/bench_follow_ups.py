"""How the action centre holds up as the history grows. Prints a table; run on purpose, never in tests.

    .venv/bin/python benchmarks/bench_follow_ups.py [--sizes 1000,10000,100000]

For each size: a database built with `python -m lib demo`, then the median of 5 calls (after
one warm-up) of each function the Today list, the report, the dashboard and the calendar use.
"""
import argparse
import platform
import tempfile
from pathlib import Path

from common import build, median_ms

from lib import calendar_ics, clock, follow_ups
from lib.db import Database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    now = clock.now()
    today = now.date()
    calls = {
        "thank_yous_due": lambda db: follow_ups.thank_yous_due(db, now),
        "follow_ups_to_do": lambda db: follow_ups.follow_ups_to_do(db, today),
        "upcoming_interviews": lambda db: follow_ups.upcoming_interviews(db, now),
        "thank_you_counts": lambda db: follow_ups.thank_you_counts(db, today),
        "thank_you_timeline": lambda db: follow_ups.thank_you_timeline(db, today),
        "follow_ups_due": lambda db: follow_ups.follow_ups_due(db, today),
        "calendar_bytes": lambda db: calendar_ics.calendar_bytes(db, now=now),
    }
    print(f"Python {platform.python_version()} on {platform.machine()}, median of 5 warm calls, milliseconds\n")
    print("| function | " + " | ".join(f"{size:,} interviews" for size in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    with tempfile.TemporaryDirectory() as folder:
        databases = [Database(build(size, Path(folder))) for size in sizes]
        for name, call in calls.items():
            print(f"| {name} | " + " | ".join(f"{median_ms(lambda: call(db)):.0f}" for db in databases) + " |")
        for db in databases:
            db.close()


if __name__ == "__main__":
    main()
