"""How the review session holds up as the history grows. Prints a table; run on purpose.

    .venv/bin/python benchmarks/bench_review.py [--sizes 100,10000,100000]

For each size, a database built with `python -m lib demo --seed 1`, plus a review held 30 days
before the latest interview, 1,000 practice attempts and every improvement note ticked, then
(median of 5 after a warm-up):
- review page ms: warm rerun of the review page in AppTest;
- since / notes / summary ms: `since_last_review`, `improvement_notes`, and building the summary
  and rendering it as HTML, in process;
- practice save ms: one practice attempt, validated and written;
- html KB: the size of the print-ready summary;
- calibration ms: every scored interview's outcome and the comparison (lib/calibration.py);
- prepare ms: the prep sheet of the application with the most rounds, and the picker's choices,
  uncached (the first view after a save); prepare page ms: the prepare page's warm rerun.
(AppTest outside a server logs "missing ScriptRunContext" to stderr; the table is on stdout.)
"""
import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

import pandas as pd
from common import build, median_ms, print_header, warm_rerun_ms

from lib import calibration, prepare, review, settings, summary
from lib.db import Database
from lib.ui import PREPARE_PAGE, REVIEW_PAGE

PRACTICE_ATTEMPTS = 1_000


def add_review_history(db: Database) -> None:
    """A review 30 days before the latest interview, practice on the weak groups, every note ticked."""
    latest = db.cursor().execute("SELECT max(starts_at) FROM interviews").fetchone()[0]
    review.finish_review(db, "Benchmark focus", now=latest - dt.timedelta(days=30))
    groups = review.weakest_questions(db, limit=10)
    group_ids = groups.group_id.tolist() or [None]
    with db.transaction() as tx:
        tx.insert_frame("practice_attempts", pd.DataFrame({
            "id": tx.new_ids("practice_attempts", PRACTICE_ATTEMPTS),
            "group_id": [group_ids[n % len(group_ids)] for n in range(PRACTICE_ATTEMPTS)],
            "wording": "A practised question", "answer": "A better answer", "score": [n % 10 + 1 for n in range(PRACTICE_ATTEMPTS)],
            "practiced_at": [latest - dt.timedelta(hours=n) for n in range(PRACTICE_ATTEMPTS)],
            "practiced_on": [(latest - dt.timedelta(hours=n)).date() for n in range(PRACTICE_ATTEMPTS)]}))
    today = settings.today(db)
    for note in review.improvement_notes(db, today).itertuples():
        review.set_worked_on(db, note.interview_ids, note.note_key)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print_header(["interviews", "review page ms", "since ms", "notes ms", "summary ms", "practice save ms", "html KB",
                  "calibration ms", "prepare ms", "prepare page ms"])
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = build(size, Path(folder))
            db = Database(path)
            add_review_history(db)
            today = settings.today(db)
            since = median_ms(lambda: review.since_last_review(db))
            notes = median_ms(lambda: review.improvement_notes(db, today))
            html = summary.as_html(summary.build_summary(db))
            built = median_ms(lambda: summary.as_html(summary.build_summary(db)))
            group = review.weakest_questions(db).group_id.tolist()[:1] or [None]
            save = median_ms(lambda: review.save_practice(db, group[0], "Tell me about yourself.", "Better", 7))
            calibrated = median_ms(lambda: calibration.calibration(db, today))
            busiest = db.cursor().execute("SELECT application_id FROM interviews GROUP BY ALL "
                                          "ORDER BY count(*) DESC, application_id LIMIT 1").fetchone()[0]
            prepared = median_ms(lambda: (prepare.prep_sheet(db, busiest, today), prepare.choices(db)))
            db.close()
            os.environ["DEBRIEF_DB"] = str(path)
            page = warm_rerun_ms(REVIEW_PAGE)
            prepare_page = warm_rerun_ms(PREPARE_PAGE)
            print(f"{size:,} | {page:.0f} | {since:.0f} | {notes:.0f} | {built:.0f} | {save:.0f} | "
                  f"{len(html.encode()) / 1024:.0f} | {calibrated:.0f} | {prepared:.0f} | {prepare_page:.0f}")


if __name__ == "__main__":
    main()
