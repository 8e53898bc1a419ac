"""How the dashboard and the report hold up as the history grows. Prints a table; run on purpose.

    .venv/bin/python benchmarks/bench_dashboard.py [--sizes 100,200,10000,20000,100000]
    .venv/bin/python benchmarks/bench_dashboard.py --after-save [--sizes 200,100000]

For each size, a database built with `python -m lib demo --seed 1`, then:
- dashboard ms: warm rerun of the dashboard page in AppTest, median of 5 after one warm-up
  (targets: ≤ 300 ms at 100k interviews and ≤ 2× the time at 100);
- report ms: `build_report` + JSON, in process, median of 5 (target: at 20k ≤ 3× at 200); the
  `python -m lib report --json` command adds about a second of Python start-up at every size;
- grouping q/s: questions grouped per second when that many new questions are saved at once
  (target ≥ 10,000/s): their group rows are cleared and `assign_groups` runs again;
- points: what each chart ships to the browser (budget: about 5,000 each).
With --after-save, the first dashboard view after a save instead: a debrief saved through
`save_debrief` (so the data version moves on and every cached section is stale), then each
section computed once, cold, as pages/5_Dashboard.py computes it with its default filters, with
its charts hidden (the page's default) and then shown (targets, issue 15: ≤ 300 ms at 100k
interviews and ≤ 2× the time at 200). Median of 5 saves, one table row per section and the total.
(AppTest outside a server logs "missing ScriptRunContext" to stderr; the table is on stdout.)
"""
import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from common import build, median_ms, print_header, warm_rerun_ms

from lib import charts, clock, dashboard, report, settings
from lib.ui import DASHBOARD_PAGE
from lib.ui import dashboard as ui_dashboard
from lib.applications import active_applications_on
from lib.db import Database
from lib.debriefs import Debrief, Question, save_debrief
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


def dashboard_sections(db: Database, charts: bool = False) -> dict:
    """What pages/5_Dashboard.py computes on a view, by section, with the filters it starts with:
    with its charts hidden (the page's default) or shown (`charts`, a stored choice)."""
    choices = dashboard.filter_choices(db)
    chosen = ui_dashboard.filters(choices)  # outside a Streamlit run each widget gives its default
    day, band = settings.today(db), settings.target_band(db)
    as_of = min(chosen.end or day, day)
    return {
        "filters": lambda: dashboard.filter_choices(db),
        "scores": lambda: (dashboard.score_trend(db, chosen), charts and ui_dashboard.scores_figure(db, chosen)),
        "questions": lambda: dashboard.question_groups(db, chosen),
        "calibration": lambda: ui_dashboard.calibration_view(db, chosen.start, as_of, charts),
        "pipeline": lambda: (active_applications_on(db, day),
                             ui_dashboard.active_figure(db, chosen.start, day, band) if charts
                             else dashboard.any_activity(db)),
        "notes": lambda: ui_dashboard.notes_figures(db, chosen) if charts else dashboard.reflection_kinds(db, chosen),
        "thank-yous": lambda: ui_dashboard.thank_you_view(db, clock.now().replace(second=0, microsecond=0), charts),
    }


def save_one(db: Database, n: int) -> None:
    """A debrief of three questions, saved as the Debrief page saves it."""
    starts = dt.datetime.combine(settings.today(db), dt.time(9)) - dt.timedelta(days=1, minutes=n)
    save_debrief(db, Debrief(company=f"Bench {n}", role="Analyst", starts_at=starts, time_zone="UTC", stage="Panel",
                             went_well=["Clear examples"], to_improve=["Shorter answers"],
                             questions=[Question("Tell me about yourself", score=7),
                                        Question("Why do you want to work here?", score=5),
                                        Question(f"How would you size market number {n}?", score=4)]))


def after_save(sizes: list[int]) -> None:
    print_header(["interviews", "charts", "section", "first view after a save ms (median of 5)", "CPU ms"])
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            db = Database(build(size, Path(folder)))
            for charts in (False, True):
                times: dict[str, list[float]] = {}
                cpu: dict[str, list[float]] = {}  # this process's CPU, DuckDB's threads included
                for n in range(6):  # the first is a warm-up: imports, the grouping bank, DuckDB's caches
                    save_one(db, n + (10 if charts else 0))
                    for section, compute in dashboard_sections(db, charts).items():
                        start, start_cpu = time.perf_counter(), time.process_time()
                        compute()
                        times.setdefault(section, []).append((time.perf_counter() - start) * 1000)
                        cpu.setdefault(section, []).append((time.process_time() - start_cpu) * 1000)
                shown = "shown" if charts else "hidden"
                for section in times:
                    print(f"{size:,} | {shown} | {section} | {statistics.median(times[section][1:]):.0f} | "
                          f"{statistics.median(cpu[section][1:]):.0f}")
                total, total_cpu = ([statistics.median([sum(spent[run] for spent in kind.values()) for run in range(1, 6)])]
                                    for kind in (times, cpu))
                print(f"{size:,} | {shown} | **all sections** | **{total[0]:.0f}** | {total_cpu[0]:.0f}", flush=True)
            db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,200,10000,20000,100000")
    parser.add_argument("--after-save", action="store_true", help="the first view after a save, by section")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.after_save:
        after_save(sizes)
        return
    print_header(["interviews", "questions", "build s", "dashboard ms", "report ms", "grouping q/s",
                  "points: scores/kinds/active/went well/to improve/thank-yous/calibration"])
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            start = time.perf_counter()
            path = build(size, Path(folder))
            built = time.perf_counter() - start
            os.environ["DEBRIEF_DB"] = str(path)
            page = warm_rerun_ms(DASHBOARD_PAGE)
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
