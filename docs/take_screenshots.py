"""Take the README's screenshots: the real app on a temporary database with the sample data.

Run: .venv/bin/python docs/take_screenshots.py [NAME.png ...]   (needs Debian's chromium)
"""
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.sync_api import sync_playwright  # noqa: E402

from lib.db import Database  # noqa: E402
from lib.sample import load_sample  # noqa: E402
from lib.ui import (APPLICATIONS_PAGE, DASHBOARD_PAGE, DEBRIEF_PAGE, FOLLOW_UPS_PAGE, HOME_PAGE, IMPORT_PAGE,  # noqa: E402
                    INTERVIEWS_PAGE, PREPARE_PAGE, REVIEW_PAGE, YOUR_DATA_PAGE, url_path)
from server import CHROMIUM, CHROMIUM_FLAGS, Server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
ONLY = sys.argv[1:]  # file names to retake; all by default
SHOTS = [  # (file, page, viewport width, height[, toggles a person turns on first: charts drawn on request])
    ("home.png", HOME_PAGE, 1280, 900),
    ("debrief.png", DEBRIEF_PAGE, 1280, 1000),
    ("interviews.png", INTERVIEWS_PAGE, 1280, 1000),
    ("applications.png", APPLICATIONS_PAGE, 1280, 900),
    ("import.png", IMPORT_PAGE, 1280, 800),
    ("debrief-phone.png", DEBRIEF_PAGE, 390, 844),
    ("dashboard.png", DASHBOARD_PAGE, 1280, 2900, ["Show the charts"]),
    ("follow-ups.png", FOLLOW_UPS_PAGE, 1280, 2200),
    ("your-data.png", YOUR_DATA_PAGE, 1280, 1500),
    ("prepare.png", PREPARE_PAGE, 1280, 1800),
    ("review.png", REVIEW_PAGE, 1280, 2000, ["Chart your interview and practice scores"]),
]
# Plotly draws an SVG once its code has loaded, which can be well after the run has ended.
# A chart still loading is a grey placeholder (stSkeleton) with no stPlotlyChart yet: wait for both.
CHARTS_DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"]')
  && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(chart => chart.querySelector('.main-svg'))"""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "sample.duckdb"
        db = Database(db_path)
        load_sample(db)
        db.close()
        server = Server(db_path, Path(folder)).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                for name, path, width, height, *toggles in SHOTS:
                    if ONLY and name not in ONLY:
                        continue
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(f"{server.url}/{url_path(path)}")
                    page.get_by_role("heading").first.wait_for(timeout=30_000)
                    settle(page)
                    for label in toggles[0] if toggles else []:
                        page.locator("label").filter(has_text=label).first.click()
                        settle(page)
                    if toggles:  # the toggles draw charts: the first one has to arrive before CHARTS_DRAWN means anything
                        page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=60_000)
                    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
                    time.sleep(1)
                    page.screenshot(path=str(OUT / name))
                    print("wrote", OUT / name)
                browser.close()
        finally:
            server.stop()


def settle(page, timeout: float = 30.0) -> None:
    """Wait until the run has ended and no element is still a grey placeholder (charts and tables
    arrive last on a busy machine), then a second more for the charts to draw."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = page.locator("[data-testid='stSkeleton'], [data-testid='stStatusWidget'] img").count()
        stale = page.locator("[data-stale='true']").count()
        if not busy and not stale:
            break
        time.sleep(0.5)
    time.sleep(1.5)


if __name__ == "__main__":
    main()
