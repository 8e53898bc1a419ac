"""Shared fixtures: every test gets its own temporary database; none touches data/."""
from pathlib import Path

import pytest

from lib.db import Database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "debrief.duckdb"


@pytest.fixture
def fresh_db(db_path):
    db = Database(db_path)
    yield db
    db.close()
