"""Shared fixtures: every test gets its own temporary database; none touches data/."""
import datetime as dt
import os
from pathlib import Path

import pytest
import time_machine
from streamlit.testing.v1 import AppTest

from lib import sample
from lib.db import Database

ROOT = Path(__file__).resolve().parent.parent
# An ISO instant (2028-02-29T12:00Z) to run the tests at instead of the real clock: `make test`
# runs the page and report tests again at instants where dates go wrong (README, Testing).
TEST_NOW = os.environ.get("DEBRIEF_TEST_NOW")
# No dashboard prepared in the background after a write (lib.ui.prepare_in_background): a thread
# still reading a test's database after the test has moved on. The tests of it turn it on; the
# browser tests' servers (tests/server.py) run with it, as `make run` does.
os.environ["DEBRIEF_PREPARE"] = "0"


@pytest.fixture(autouse=True)
def clock_at_test_now():
    """Each test starts at $DEBRIEF_TEST_NOW when it is set. The clock ticks on from there (AppTest
    waits with real timeouts), and a test that travels to its own instant inside this one wins."""
    if not TEST_NOW:
        yield
        return
    with time_machine.travel(dt.datetime.fromisoformat(TEST_NOW), tick=True):
        yield


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "debrief.duckdb"


@pytest.fixture
def fresh_db(db_path):
    db = Database(db_path)
    yield db
    db.close()


@pytest.fixture
def app(db_path, monkeypatch):
    """The app on a fresh temporary database, opened at the home page (AppTest, London time)."""
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    monkeypatch.setenv("DEBRIEF_TZ", "Europe/London")
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def db(db_path, monkeypatch):
    """For page tests: the database the app under AppTest opens (London time), open here as well so
    a test can write data first (DuckDB shares one instance per file within the process).
    Unit-test modules that need a different `db` define their own."""
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    monkeypatch.setenv("DEBRIEF_TZ", "Europe/London")
    database = Database(db_path)
    yield database
    database.close()


@pytest.fixture
def with_sample(db):
    """`db` holding the sample data."""
    sample.load_sample(db)
    return db


def open_app(page: str | None = None) -> AppTest:
    """A fresh AppTest of the app at the home page, then at `page` if given; no exception either time."""
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return open_page(at, page) if page else at


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at
