"""Time: the user's zone, instants, the 24-hour thank-you deadline and business-day defaults.

Interview start times are stored as instants (TIMESTAMPTZ, UTC inside DuckDB) together with the
IANA zone they were entered in. Deadlines are computed on instants, never on wall-clock time:
a thank-you is due 24 real hours after the start, even across a daylight-saving change.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pandas as pd

UTC = dt.timezone.utc
THANK_YOU_WITHIN = dt.timedelta(hours=24)
# Good practice: if no timeline was given, expect to hear within a working week.
DEFAULT_RESPONSE_BUSINESS_DAYS = 5


def local_zone_name() -> str:
    """The user's zone: $DEBRIEF_TZ, else $TZ, else the system's /etc/localtime, else UTC."""
    for name in (os.environ.get("DEBRIEF_TZ"), os.environ.get("TZ")):
        if name and is_zone(name):
            return name
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            if is_zone(name):
                return name
    return "UTC"


def is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_names() -> list[str]:
    return sorted(available_timezones())


def to_instant(local: dt.datetime, zone: str) -> dt.datetime:
    """A wall-clock time in `zone` as an aware instant in UTC."""
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_local(instant: dt.datetime, zone: str) -> dt.datetime:
    """An instant as naive wall-clock time in `zone`."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def thank_you_due_at(starts_at: dt.datetime) -> dt.datetime:
    """24 real hours after the interview starts (computed in UTC, so DST cannot shift it)."""
    return starts_at.astimezone(UTC) + THANK_YOU_WITHIN


def default_expected_response(interview_day: dt.date) -> dt.date:
    """Five business days (Mon–Fri) after the interview: when no timeline was given."""
    return (pd.Timestamp(interview_day) + pd.offsets.BDay(DEFAULT_RESPONSE_BUSINESS_DAYS)).date()


def now() -> dt.datetime:
    return dt.datetime.now(UTC)
