"""How the dashboard and the report hold up as the history grows. Prints a table; run on purpose.

    .venv/bin/python benchmarks/bench_dashboard.py [--sizes 100,200,10000,20000,100000]

For each size, a database built with `python -m lib demo --seed 1`, then:
- dashboard ms: warm rerun of the dashboard page in AppTest, median of 5 after one warm-up
  (targets: ≤ 300 ms at 100k interviews and ≤ 2× the time at 100);
- report ms: `build_report` + JSON, in process, median of 5 (target: at 20k ≤ 3× at 200); the
  `python -m lib report --json` command adds about a second of Python start-up at every size;
- grouping q/s: questions grouped per second when that many new questions are saved at once
  (target ≥ 10,000/s): their group rows are cleared and `assign_groups` runs again;
- points: what each chart ships to the browser (budget: about 5,000 each).
(AppTest outside a server logs "missing ScriptRunContext" to stderr; the table is on stdout.)
"""
import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from common import build, median_ms, print_header, warm_rerun_ms

from lib import charts, dashboard, report, settings, ui_dashboard
from lib.db import Database
from lib.questions import assign_groups


def chart_points(db: Database) -> str:
    """Points per chart, from the same builders as the page, with no filter."""
    everything, day = dashboard.Filters(), settings.today(db)
    figures = [ui_dashboard.scores_figure(db, everything), ui_dashboard.category_figure(db, everything),
               ui_dashboard.active_figure(db, None, day, settings.target_band(db)),
               *ui_dashboard.notes_figures(db, everything).values(), ui_dashboard.thank_you_view(db, day)[1],
               ui_dashboard.calibration_view(db, None, day)[1]]
    return "/".join("-" if f is None else str(charts.point_count(f)) for f in figures)


def grouping_per_second(db: Database) -> float:
    """Regroup every question as if all were new; the user's merges and splits are not involved here."""
    # Benchmark-only: forget every group (the demo made no merges or splits), so all questions are new.
    db.cursor().execute("DELETE FROM question_group_members")
    start = time.perf_counter()
    with db.transaction() as tx:
        count = assign_groups(tx)
    elapsed = time.perf_counter() - start
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,200,10000,20000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print_header(["interviews", "questions", "build s", "dashboard ms", "report ms", "grouping q/s",
                  "points: scores/kinds/active/went well/to improve/thank-yous/calibration"])
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            start = time.perf_counter()
            path = build(size, Path(folder))
            built = time.perf_counter() - start
            os.environ["DEBRIEF_DB"] = str(path)
            page = warm_rerun_ms("pages/5_Dashboard.py")
            db = Database(path)
            questions = int(db.query("count_all").iloc[0]["questions"])
            report_ms = median_ms(lambda: json.dumps(report.build_report(db)))
            points = chart_points(db)
            per_second = grouping_per_second(db)
            db.close()
            print(" | ".join([f"{size:,}", f"{questions:,}", f"{built:.1f}", f"{page:.0f}", f"{report_ms:.0f}",
                              f"{per_second:,.0f}", points]), flush=True)


if __name__ == "__main__":
    main()
