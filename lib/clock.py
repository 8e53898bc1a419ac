"""Time: the user's zone, instants, the thank-you deadline and business-day defaults (rules.py).

Interview start times are stored as instants with the zone they were entered in; deadlines are
computed on instants, and an instant is shown as wall-clock time in the user's zone.

Decisions: docs/decisions.md, 'Time'.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pandas as pd

from . import rules

UTC = dt.timezone.utc


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
    """rules.THANK_YOU_WITHIN (24 real hours) after the start, computed in UTC so DST cannot shift it."""
    return starts_at.astimezone(UTC) + rules.THANK_YOU_WITHIN


def default_expected_response(interview_day: dt.date) -> dt.date:
    """Five business days (Mon–Fri) after the interview: when no timeline was given."""
    return business_days_after(interview_day, rules.DEFAULT_RESPONSE_BUSINESS_DAYS)


def business_days_after(day: dt.date, days: int) -> dt.date:
    """`days` business days (Mon–Fri, pandas BDay) after `day`; from a weekend, counting starts Monday."""
    return (pd.Timestamp(day) + pd.offsets.BDay(days)).date()


def follow_up_due_on(expected_response_by: dt.date) -> dt.date:
    """A follow-up falls due the next business day after the expected-response date passes."""
    return business_days_after(expected_response_by, 1)


def follow_ups_due_on(expected_response_by) -> list[dt.date]:
    """`follow_up_due_on` for a column of dates at once (pandas applies BDay to a whole index)."""
    days = pd.DatetimeIndex(pd.to_datetime(pd.Series(list(expected_response_by), dtype=object)))
    return list((days + pd.offsets.BDay(1)).date)


def local_day(instant: dt.datetime, zone: str) -> dt.date:
    """The calendar day an instant falls on in `zone`."""
    return to_local(instant, zone).date()


def today_in(zone: str, *, at: dt.datetime | None = None) -> dt.date:
    """Today's date in `zone` (at the instant `at`, default now)."""
    return local_day(at or now(), zone)


def now() -> dt.datetime:
    return dt.datetime.now(UTC)
