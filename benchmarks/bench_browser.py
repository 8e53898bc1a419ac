"""Full page loads in a real browser, each against a bare Streamlit page served the same way. Run on purpose.

    .venv/bin/python benchmarks/bench_browser.py [--runs 5] [--no-cold] [--before DIR]

Two servers, both `streamlit run` with the flags of tests/server.py (`make run`'s): Debrief on a
database holding the sample data, and a bare page (one title, one line) from a temporary folder
with a copy of .streamlit/config.toml, so the two differ only in the script. With `--before DIR`
(a checkout of an earlier commit, e.g. `git archive b1506ee | tar -x -C DIR`) a third server runs
that checkout's app.py on its own copy of the database, and its loads are interleaved with this
checkout's, so a before/after comparison shares the machine's load.

A full load is what a person waits for when opening a page: `goto` the page's address, then wait
until its title is shown, Streamlit has finished the run (`stApp`'s data-test-script-state is
"notRunning") and every chart and table has drawn. Timed from `goto` to then.

- empty s: the median of `--runs` full loads, each in a new browser context (empty HTTP cache, no
  session), in a server that has already shown every page once (the app is running and a person
  opens a page in a fresh browser). Pages are loaded in turn, round after round, so a change in the
  machine's load touches them all alike.
- ratio: over the bare page's, measured the same way in the same run.
- busy s: the median time the page's renderer main thread was busy (Chromium's TaskDuration):
  the browser's CPU time, less sensitive to the machine's load than the wall clock.
- cached s: the same, in one browser context per server kept for the whole run (a new page, hence
  a new Streamlit session, each time): the static chunks come from the HTTP cache, as a person's
  own browser keeps them between visits. An extra column; the empty-cache one is the target's.
- cold s: the first load of that page in a freshly started server (module imports, the database
  opened and its caches filled), one load each; the bare page's first load the same way.
- The Debrief page again at phone width (390 px), against the bare page at 390 px.
- server CPU s: the CPU time each server process used over the whole run, read from /proc before
  it is stopped: the server's share beside the browser's busy time.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, print_header

sys.path.insert(0, str(ROOT / "tests"))
from server import CHROMIUM, CHROMIUM_FLAGS, Server  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

from lib.ui import (APPLICATIONS_PAGE, DASHBOARD_PAGE, DEBRIEF_PAGE, FOLLOW_UPS_PAGE, HOME_PAGE, IMPORT_PAGE,  # noqa: E402
                    INTERVIEWS_PAGE, PREPARE_PAGE, REVIEW_PAGE, YOUR_DATA_PAGE, url_path)

# (name in the table, address path, the page's title); the pages are lib.ui.PAGES
PAGES = [
    ("Home", url_path(HOME_PAGE), "Debrief"),
    ("Debrief", url_path(DEBRIEF_PAGE), "Debrief an interview"),
    ("Interviews", url_path(INTERVIEWS_PAGE), "Interviews"),
    ("Applications", url_path(APPLICATIONS_PAGE), "Applications"),
    ("Import", url_path(IMPORT_PAGE), "Import"),
    ("Dashboard", url_path(DASHBOARD_PAGE), "Dashboard"),
    ("Follow-ups", url_path(FOLLOW_UPS_PAGE), "Thank-yous & follow-ups"),
    ("Your data", url_path(YOUR_DATA_PAGE), "Your data"),
    ("Prepare", url_path(PREPARE_PAGE), "Prepare for an interview"),
    ("Review", url_path(REVIEW_PAGE), "Review session"),
]
BARE = ("bare page", "", "Bare page")
BARE_SCRIPT = 'import streamlit as st\n\nst.title("Bare page")\nst.write("One line of text.")\n'
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Streamlit marks its root element with the script's state; plotly charts draw an SVG and the
# data grid a canvas once their code has loaded, which can be after the run has finished (those
# in a closed expander are not drawn until it opens).
DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (chart.checkVisibility() && !chart.querySelector('.main-svg')) return false;
  for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]'))
    if (grid.checkVisibility() && !grid.querySelector('canvas')) return false;
  return !document.querySelector('[data-testid="stSkeleton"]');
}"""


class BareServer(Server):
    """`streamlit run bare.py` with the same flags and configuration as the app's server."""

    def __init__(self, folder: Path, artifacts: Path):
        super().__init__(folder / "unused.duckdb", artifacts)
        self.folder = folder
        (folder / "bare.py").write_text(BARE_SCRIPT)
        shutil.copytree(ROOT / ".streamlit", folder / ".streamlit", dirs_exist_ok=True)

    def start(self) -> "BareServer":
        # Server.start runs app.py from the repository; the same command, with the bare script.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "bare.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=self.folder, stdout=self.log, stderr=subprocess.STDOUT, env=os.environ.copy())
        return self.wait_until_healthy()


class CheckoutServer(Server):
    """`streamlit run app.py` as Server starts it, from another checkout (the --before commit)."""

    def __init__(self, root: Path, db_path: Path, artifacts: Path):
        super().__init__(db_path, artifacts)
        self.root = root

    def start(self) -> "CheckoutServer":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--", "--db", str(self.db_path)],
            cwd=self.root, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, "DEBRIEF_TZ": "Europe/London"})
        return self.wait_until_healthy()


def full_load(browser, url: str, title: str, viewport: dict, context=None) -> tuple[float, float]:
    """(seconds from `goto` until the page is drawn and Streamlit is idle, seconds its main thread was busy),
    in a new browser context unless one is given (then only a new page in it)."""
    own = context is None
    context = browser.new_context(viewport=viewport) if own else context
    page = context.new_page()
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        start = time.perf_counter()
        page.goto(url)
        page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=60_000)
        page.wait_for_function(DRAWN, polling="raf", timeout=60_000)
        elapsed = time.perf_counter() - start
        busy = next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")
        return elapsed, busy
    finally:
        page.close()
        if own:
            context.close()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux /proc), to print beside the wall clock."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cold_loads(browser, db_path: Path, folder: Path, artifacts: Path) -> dict[str, float]:
    """Each page's first load in a server started for it alone."""
    cold = {}
    bare = BareServer(folder, artifacts).start()
    try:
        cold[BARE[0]] = full_load(browser, bare.url, BARE[2], DESKTOP)[0]
    finally:
        bare.stop()
    for name, path, title in PAGES:
        server = Server(db_path, artifacts).start()
        try:
            cold[name] = full_load(browser, f"{server.url}/{path}", title, DESKTOP)[0]
        finally:
            server.stop()
    return cold


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-cold", action="store_true", help="skip the first loads in fresh servers")
    parser.add_argument("--before", type=Path, help="a checkout of an earlier commit, measured alongside")
    args = parser.parse_args()

    from lib.db import Database
    from lib.sample import load_sample

    with tempfile.TemporaryDirectory() as temporary, sync_playwright() as playwright:
        folder = Path(temporary)
        db_path = folder / "sample.duckdb"
        db = Database(db_path)
        load_sample(db)
        db.close()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        version = browser.version
        cold = {} if args.no_cold else cold_loads(browser, db_path, folder, folder)

        servers = {"": Server(db_path, folder)}
        if args.before:  # its own copy of the database: one process per DuckDB file
            shutil.copy(db_path, folder / "before.duckdb")
            servers["before: "] = CheckoutServer(args.before.resolve(), folder / "before.duckdb", folder)
        bare = BareServer(folder, folder)
        try:
            for server in [bare, *servers.values()]:
                server.start()
            loads = [(BARE[0], bare.url, BARE[2], DESKTOP, bare)]
            for prefix, app in servers.items():
                loads += [(prefix + name, f"{app.url}/{path}", title, DESKTOP, app) for name, path, title in PAGES]
            loads.append(("bare page, 390 px", bare.url, BARE[2], PHONE, bare))
            for prefix, app in servers.items():
                loads.append((prefix + "Debrief, 390 px", f"{app.url}/{url_path(DEBRIEF_PAGE)}", "Debrief an interview",
                              PHONE, app))
            order = sorted(loads, key=lambda load: load[0].removeprefix("before: "))  # before and after side by side
            # One kept context per server and viewport: the HTTP cache of a person's own browser.
            kept = {(id(server), str(viewport)): browser.new_context(viewport=viewport)
                    for *_, viewport, server in loads}
            for _, url, title, viewport, server in order:  # the warm-up: every page once in each process and context
                full_load(browser, url, title, viewport)
                full_load(browser, url, title, viewport, kept[id(server), str(viewport)])
            empty = {name: [] for name, *_ in loads}
            cached = {name: [] for name, *_ in loads}
            for _ in range(args.runs):
                for name, url, title, viewport, server in order:
                    empty[name].append(full_load(browser, url, title, viewport))
                    cached[name].append(full_load(browser, url, title, viewport, kept[id(server), str(viewport)]))
            server_cpu = {name: cpu_seconds(server.process.pid) for name, server in [(BARE[0], bare), *servers.items()]}
        finally:
            for server in [bare, *servers.values()]:
                if server.process is not None:
                    server.stop()
            browser.close()

    def median(samples, which):
        return statistics.median(sample[which] for sample in samples)

    print(f"Chromium {version}; load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    print("server CPU s over the run (start, warm-up and every load): "
          + "; ".join(f"{name.removesuffix(': ') or 'this checkout'} {seconds:.1f}" for name, seconds in server_cpu.items()))
    print_header(["page", "empty s (median)", "ratio to bare", "busy s", "cached s (median)", "cached ratio",
                  "cold s (first load)"])
    for name, _, _, viewport, _ in order:
        base = "bare page, 390 px" if viewport is PHONE else BARE[0]
        first = f"{cold[name]:.2f}" if name in cold else "—"
        print(f"{name} | {median(empty[name], 0):.2f} | {median(empty[name], 0) / median(empty[base], 0):.2f}× | "
              f"{median(empty[name], 1):.2f} | {median(cached[name], 0):.2f} | "
              f"{median(cached[name], 0) / median(cached[base], 0):.2f}× | {first}")


if __name__ == "__main__":
    main()
