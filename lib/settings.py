"""User settings stored in the database, with their defaults."""
from __future__ import annotations

import datetime as dt

from . import clock
from .db import Database

DEFAULTS = {
    # Keep two or three applications going at once (good practice).
    "target_low": "2",
    "target_high": "3",
    # Silence longer than this counts as ghosted (docs/import-format.md).
    "stale_after_days": "30",
    # A recurring question: asked in at least this many different interviews (docs/report-json.md).
    "min_times": "2",
    # A recurring question is weak when its average self-score is below this.
    "weak_below": "6",
    # The dashboard opens with its charts ("1") or without them, as the user last left it.
    "dashboard_charts": "0",
}


def get(db: Database, key: str) -> str:
    value = db.scalar("get_setting", key=key)
    if value is not None:
        return value
    if key == "time_zone":
        return clock.local_zone_name()
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


def today(db: Database) -> dt.date:
    """Today in the user's time zone: the default day of the report, the Today list and the dashboard."""
    return clock.today_in(time_zone(db))


def min_times(db: Database) -> int:
    return int(get(db, "min_times"))


def weak_below(db: Database) -> float:
    return float(get(db, "weak_below"))


# What each number may be, as (lowest, highest, whole numbers only, label); checked by `update`.
LIMITS = {
    "target_low": (1, 20, True, "The low end of the target band"),
    "target_high": (1, 20, True, "The high end of the target band"),
    "stale_after_days": (1, 365, True, "Days of silence before an application counts as ghosted"),
    "min_times": (1, 50, True, "Times asked before a question counts as recurring"),
    "weak_below": (1, 10, False, "The average below which a recurring question is weak"),
}


def update(db: Database, values: dict) -> dict[str, str]:
    """Check and store numeric settings together; returns {key: message} and stores nothing if any is wrong."""
    errors, clean = {}, {}
    for key, value in values.items():
        low, high, whole, label = LIMITS[key]
        try:
            number = float(value)
        except (TypeError, ValueError):
            errors[key] = f"{label} must be a number."
            continue
        if whole and number != int(number):
            errors[key] = f"{label} must be a whole number."
        elif not low <= number <= high:
            errors[key] = f"{label} must be between {low} and {high}."
        else:
            clean[key] = str(int(number)) if whole else f"{number:g}"
    low = int(clean.get("target_low", get(db, "target_low")))
    high = int(clean.get("target_high", get(db, "target_high")))
    if not errors and low > high:
        errors["target_high"] = f"The target band must run from low to high ({low} is above {high})."
    if not errors:
        with db.transaction() as tx:
            for key, value in clean.items():
                tx.execute("put_setting", key=key, value=value)
    return errors
