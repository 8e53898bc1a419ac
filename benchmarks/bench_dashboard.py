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

from common import ROOT, build, machine, median_ms
from streamlit.testing.v1 import AppTest

from lib import actions, charts, dashboard, grouping, report, settings
from lib.db import Database


def dashboard_ms() -> float:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/5_Dashboard.py")
    at.run()
    assert not at.exception, at.exception
    return median_ms(at.run)


def chart_points(db: Database) -> str:
    """Points per chart, built exactly as the page builds them with no filter."""
    scores = dashboard.interview_scores(db)
    day = report.today(db)
    figures = [
        charts.scores_over_time(dashboard.score_points(scores), dashboard.question_score_cloud(db),
                                dashboard.rolling_trend(scores)),
        charts.category_scores(dashboard.category_scores(db)),
        charts.active_applications(dashboard.active_per_day(db, None, day), settings.target_band(db)),
    ]
    notes = dashboard.reflections_over_time(db)
    figures += [charts.reflections(notes[notes["kind"] == kind], kind) for kind in ("went_well", "to_improve")]
    figures.append(charts.thank_you_timeline(actions.thank_you_timeline(db)))
    return "/".join(str(charts.point_count(f)) for f in figures)


def grouping_per_second(db: Database) -> float:
    """Regroup every question as if all were new; the user's merges and splits are not involved here."""
    # Benchmark-only: forget every group (the demo made no merges or splits), so all questions are new.
    db.cursor().execute("DELETE FROM question_group_members")
    start = time.perf_counter()
    with db.transaction() as tx:
        count = grouping.assign_groups(tx)
    elapsed = time.perf_counter() - start
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,200,10000,20000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(machine())
    header = ["interviews", "questions", "build s", "dashboard ms", "report ms", "grouping q/s",
              "points: scores/kinds/active/went well/to improve/thank-yous"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            start = time.perf_counter()
            path = build(size, Path(folder))
            built = time.perf_counter() - start
            os.environ["DEBRIEF_DB"] = str(path)
            page = dashboard_ms()
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
