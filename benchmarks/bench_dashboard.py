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
A second table: the same after the save with the app's background preparation
(lib.ui.prepare_in_background, which every page run after a write starts): how long it takes, and
the first view once it is done.
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
from lib import ui
from lib.ui import DASHBOARD_PAGE, cached
from lib.ui.asked_before import prepare_queue
from lib.ui import dashboard as ui_dashboard
from lib.applications import active_applications_on
from lib.db import Database
from lib.debriefs import Debrief, Question, save_debrief
from lib.questions import assign_groups, index


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
    """What pages/5_Dashboard.py reads on a view, by section, through `cached` as it does, with the
    filters it starts with: its charts hidden (the page's default) or shown (`charts`, a stored choice).
    Building it reads the filters' choices (timed by the caller as the "filters" section)."""
    choices = cached(db, dashboard.filter_choices)
    chosen = ui_dashboard.filters(choices)  # outside a Streamlit run each widget gives its default
    day, band = settings.today(db), settings.target_band(db)
    as_of = min(chosen.end or day, day)
    return {
        "scores": lambda: (cached(db, dashboard.score_trend, chosen), charts and cached(db, ui_dashboard.scores_figure, chosen)),
        "questions": lambda: cached(db, dashboard.question_groups, chosen),
        "repeats": lambda: prepare_queue(db),  # the queue the page shows without a click (≤ 3,000 wordings)
        "calibration": lambda: cached(db, ui_dashboard.calibration_view, chosen.start, as_of, charts),
        "pipeline": lambda: (cached(db, active_applications_on, day),
                             cached(db, ui_dashboard.active_figure, chosen.start, day, band) if charts
                             else cached(db, dashboard.any_activity)),
        "notes": lambda: (cached(db, ui_dashboard.notes_figures, chosen) if charts
                          else cached(db, dashboard.reflection_kinds, chosen)),
        "thank-yous": lambda: cached(db, ui_dashboard.thank_you_view, clock.now().replace(second=0, microsecond=0), charts),
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
    prepared = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            db = Database(build(size, Path(folder)))
            index.build_index(db)  # as in a database in use: the "Asked before?" index is complete
            for charts in (False, True):
                settings.put(db, "dashboard_charts", "1" if charts else "0")
                times: dict[str, list[float]] = {}
                cpu: dict[str, list[float]] = {}  # this process's CPU, DuckDB's threads included
                for n in range(6):  # the first is a warm-up: imports, the grouping bank, DuckDB's caches
                    save_one(db, n + (10 if charts else 0))
                    start, start_cpu = time.perf_counter(), time.process_time()
                    sections = dashboard_sections(db, charts)
                    times.setdefault("filters", []).append((time.perf_counter() - start) * 1000)
                    cpu.setdefault("filters", []).append((time.process_time() - start_cpu) * 1000)
                    for section, compute in sections.items():
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
                prepared.append((size, shown, *prepared_view(db, charts)))
            db.close()
    print()
    print_header(["interviews", "charts", "preparing after a save ms (background)", "CPU ms",
                  "then the first view ms", "CPU ms"])
    for size, shown, *figures in prepared:
        print(f"{size:,} | {shown} | " + " | ".join(f"{figure:.0f}" for figure in figures))


def prepared_view(db: Database, charts: bool) -> tuple[float, float, float, float]:
    """Medians of 5: the background preparation a save starts (lib.ui.prepare_in_background, from
    the save to the sections being ready, its 0.3 s head start left out) and the view after it."""
    ui.PREPARE_AFTER_S = 0
    runs = []
    for n in range(6):
        save_one(db, n + (20 if charts else 30))
        start, start_cpu = time.perf_counter(), time.process_time()
        ui.prepare_in_background(db).join()
        preparing = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        start, start_cpu = time.perf_counter(), time.process_time()
        for compute in dashboard_sections(db, charts).values():  # the filters' choices included
            compute()
        runs.append((*preparing, (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000))
    return tuple(statistics.median(run[i] for run in runs[1:]) for i in range(4))


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
