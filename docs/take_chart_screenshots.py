"""Take screenshots of single charts, as Plotly draws them in Chromium, at desktop and phone width.

Run: .venv/bin/python docs/take_chart_screenshots.py [OUT_DIR]   (needs Debian's chromium)

The figures come from lib/charts.py, built from the sample data (dated around today) and from
a few small frames for the edge cases a chart has to survive (one practice attempt, notes in
two months with empty months between them, an interview whose thank-you is not due yet). The
mouse rests on each chart so that Plotly's toolbar (the modebar) is in the picture, as when a
user points at it.
"""
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pandas as pd  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from lib import charts, dashboard  # noqa: E402
from lib.db import Database  # noqa: E402
from lib.sample import load_sample  # noqa: E402
from server import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def figures(db: Database) -> list[tuple[str, object, int]]:
    """(file name, figure, viewport width) of every chart to photograph."""
    now = dt.datetime.now(dt.timezone.utc)
    items = dashboard.reflections_over_time(db)
    gap = pd.DataFrame({"item": ["Prepared examples", "Prepared examples", "Asked good questions"],
                        "month": pd.to_datetime(["2026-01-01", "2026-06-01", "2026-06-01"]), "interviews": [2, 1, 3]})
    one_answer = pd.DataFrame({"day": pd.to_datetime(["2026-11-20"]), "score": [6], "company": ["Contoso"]})
    one_practice = pd.DataFrame({"practiced_on": pd.to_datetime(["2026-11-24"]), "score": [8]})
    categories = charts.category_scores(dashboard.category_scores(db))
    return [
        ("chart-by-kind.png", categories, 1280),
        ("chart-by-kind-phone.png", categories, 390),
        ("chart-went-well.png", charts.reflections(items[items["kind"] == "went_well"], "What went well, most noted"), 1280),
        ("chart-to-improve.png", charts.reflections(items[items["kind"] == "to_improve"], "What to improve, most noted"),
         1280),
        ("chart-notes-gap.png", charts.reflections(gap, "What went well, most noted"), 1280),
        ("chart-thank-yous.png", charts.thank_you_timeline(dashboard.thank_you_timeline(db, now)), 1280),
        ("chart-practice-one-point.png", charts.practice_vs_interview(one_answer, one_practice, "Why this company?"), 1280),
        ("chart-practice-one-point-phone.png", charts.practice_vs_interview(one_answer, one_practice, "Why this company?"),
         390),
    ]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "sample.duckdb")
        load_sample(db)
        shots = figures(db)
        db.close()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for name, figure, width in shots:
                html = Path(folder) / f"{name}.html"
                figure.write_html(html, include_plotlyjs=True, full_html=True, default_width="100%",
                                  config={"displaylogo": False, "responsive": True})
                page = browser.new_page(viewport={"width": width, "height": int(figure.layout.height or 450) + 40})
                page.goto(html.as_uri())
                page.locator(".main-svg").first.wait_for(timeout=30_000)
                page.mouse.move(width // 2, 5 + int(figure.layout.height or 450) // 2)  # shows the modebar
                time.sleep(1)
                page.screenshot(path=str(out / name), full_page=True)
                print("wrote", out / name)
            browser.close()


if __name__ == "__main__":
    main()
