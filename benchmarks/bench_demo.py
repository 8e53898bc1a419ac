"""How fast `python -m lib demo` writes a synthetic history, and how big the file gets.

Run: .venv/bin/python benchmarks/bench_demo.py [N ...]   (default 100, 10,000 and 100,000 interviews)

Each size runs the real command in a subprocess, into a fresh temporary database, so the
seconds include what a person waits for: starting Python, migrating, generating, committing.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.db import Database  # noqa: E402  (after the path is set)

SIZES = (100, 10_000, 100_000)
FORMATS = {"seconds": "{:.2f}", "rows/s": "{:,.0f}", "MB": "{:.1f}"}  # the rest are counts


def measure(interviews: int, directory: Path) -> dict:
    """Run the command once; return its rows per table, seconds, rows a second and file size."""
    path = directory / f"demo-{interviews}.duckdb"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lib", "demo", "--interviews", str(interviews), "--db", str(path)],
                   cwd=ROOT, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    db = Database(path)
    try:
        rows = db.query("demo_table_rows").iloc[0].to_dict()
    finally:
        db.close()
    total = sum(rows.values())
    return {"interviews": rows.pop("interviews"), **rows,
            "seconds": seconds, "rows/s": total / seconds, "MB": path.stat().st_size / 1e6}


def print_table(results: list[dict]) -> None:
    widths = {column: max(len(column), 9) for column in results[0]}
    print(" | ".join(column.rjust(width) for column, width in widths.items()))
    print("-|-".join("-" * width for width in widths.values()))
    for result in results:
        print(" | ".join(FORMATS.get(column, "{:,}").format(value).rjust(widths[column])
                         for column, value in result.items()))


def main(argv: list[str]) -> None:
    sizes = [int(arg) for arg in argv] or SIZES
    with tempfile.TemporaryDirectory() as directory:
        print_table([measure(n, Path(directory)) for n in sizes])


if __name__ == "__main__":
    main(sys.argv[1:])
