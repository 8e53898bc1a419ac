"""Take the README's screenshots: the real app on a temporary database with the sample data.

Run: .venv/bin/python docs/take_screenshots.py   (needs Debian's chromium)
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
from server import CHROMIUM, CHROMIUM_FLAGS, Server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SHOTS = [  # (file, path, viewport width, height)
    ("home.png", "", 1280, 900),
    ("debrief.png", "Debrief", 1280, 1000),
    ("interviews.png", "Interviews", 1280, 1000),
    ("applications.png", "Applications", 1280, 900),
    ("import.png", "Import", 1280, 800),
    ("debrief-phone.png", "Debrief", 390, 844),
    ("dashboard.png", "Dashboard", 1280, 2700),
    ("follow-ups.png", "Follow_ups", 1280, 1400),
    ("your-data.png", "Your_data", 1280, 1500),
    ("prepare.png", "Prepare", 1280, 1800),
    ("review.png", "Review", 1280, 2000),
]


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
                for name, path, width, height in SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(f"{server.url}/{path}")
                    page.get_by_role("heading").first.wait_for(timeout=30_000)
                    time.sleep(2)  # let the last elements and charts settle
                    page.screenshot(path=str(OUT / name))
                    print("wrote", OUT / name)
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
