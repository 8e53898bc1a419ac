"""One real-browser test: `streamlit run` on a temporary database, driven by headless Chromium.

Modelled on datasette's test suite: a fixture starts the real server as a subprocess, waits
until it answers, and stops it at the end. Chromium comes from Debian's `chromium` package
(.ci/run installs it); without it the test is skipped with a reason, except under CI.
"""
import os
from pathlib import Path

import pytest

from server import CHROMIUM, CHROMIUM_FLAGS, Server

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser test: install Debian's chromium package (see .ci/run)")
    pytest.skip("Chromium is not installed (apt-get install chromium); skipping the browser test", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402  (only once we know we can run)


@pytest.fixture
def artifacts(tmp_path) -> Path:
    folder = Path(os.environ.get("DEBRIEF_TEST_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def type_into(page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True).first
    field.fill(text)
    field.press("Tab")  # Streamlit commits a text field when it loses focus


def test_a_debrief_saved_in_the_browser_is_listed_and_survives_a_restart(browser, tmp_path, artifacts):
    server = Server(tmp_path / "browser.duckdb", artifacts).start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{server.url}/Debrief")
        expect(page.get_by_role("heading", name="1 · How did it go?")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="On time").click()
        type_into(page, "Company *", "Contoso")
        type_into(page, "Role", "Data Analyst")
        type_into(page, "Name", "Ann Lee")
        type_into(page, "Their position", "Head of Data")
        type_into(page, "Question 1", "Tell me about yourself")
        type_into(page, "Self-score (1–10)", "7")
        page.get_by_role("button", name="Save debrief").click()
        expect(page.get_by_text("Saved. Next: send your thank-you")).to_be_visible(timeout=20_000)
        page.screenshot(path=str(artifacts / "debrief-saved.png"), full_page=True)

        page.goto(f"{server.url}/Interviews")
        expect(page.get_by_role("heading", name="Contoso – Data Analyst")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("average 7.0/10 over 1 question")).to_be_visible()
    finally:
        server.stop()

    restarted = Server(tmp_path / "browser.duckdb", artifacts).start()
    try:
        page = browser.new_page()
        page.goto(f"{restarted.url}/Interviews")
        expect(page.get_by_role("heading", name="Contoso – Data Analyst")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("with Ann Lee (Head of Data)")).to_be_visible()
        page.screenshot(path=str(artifacts / "interviews-after-restart.png"), full_page=True)
    finally:
        restarted.stop()
