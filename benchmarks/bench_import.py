"""How fast a questions CSV is checked and imported, by size. Prints a table; run on purpose.

    .venv/bin/python benchmarks/bench_import.py [--rows 1000,10000,50000]
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.db import Database  # noqa: E402
from lib.importer import apply_import, plan_import  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1000,10000,50000")
    sizes = [int(s) for s in parser.parse_args().rows.split(",")]
    print("rows | MB | check s | import s | import again s | added questions | added on 2nd import")
    print("--- | --- | --- | --- | --- | --- | ---")
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            data = questions_csv(rows)
            db = Database(Path(folder) / f"import-{rows}.duckdb")
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
                  f"{result.questions_added:,} | {again.questions_added}")
            db.close()


if __name__ == "__main__":
    main()
