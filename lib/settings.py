"""User settings stored in the database, with their defaults."""
from __future__ import annotations

from .clock import local_zone_name
from .db import Database

DEFAULTS = {
    # Keep two or three applications going at once (good practice; see DEVELOPERS.md).
    "target_low": "2",
    "target_high": "3",
    # Silence longer than this counts as ghosted (shared/spec/import-csv.md).
    "stale_after_days": "30",
    # A recurring question: asked in at least this many different interviews (shared/spec/report-json.md).
    "min_times": "2",
    # A recurring question is weak when its average self-score is below this.
    "weak_below": "6",
}


def get(db: Database, key: str) -> str:
    value = db.scalar("get_setting", key=key)
    if value is not None:
        return value
    if key == "time_zone":
        return local_zone_name()
    return DEFAULTS[key]


def put(db: Database, key: str, value: str) -> None:
    with db.transaction() as tx:
        tx.execute("put_setting", key=key, value=str(value))


def target_band(db: Database) -> tuple[int, int]:
    return int(get(db, "target_low")), int(get(db, "target_high"))


def stale_after_days(db: Database) -> int:
    return int(get(db, "stale_after_days"))


def time_zone(db: Database) -> str:
    return get(db, "time_zone")


def min_times(db: Database) -> int:
    return int(get(db, "min_times"))


def weak_below(db: Database) -> float:
    return float(get(db, "weak_below"))
