"""Turn what a person typed (in a form, a CSV cell or a command line) into clean values, or say why not.

Every parser returns the clean value or raises `Invalid` with a message meant to be shown beside
the field. The same rules serve the Debrief page, the CSV import and the CLI.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

# The limits (text lengths, the date window, the score range) are rules: lib/rules.py.
from .rules import (EARLIEST_DATE, LATEST_YEARS_AHEAD, MAX_EMAIL, MAX_NAME, MAX_NOTE, MAX_QUESTION,  # noqa: F401
                    MAX_SHORT, ROUND_MAX, ROUND_MIN, SCORE_MAX, SCORE_MIN)

# Control characters other than tab and newline (a NUL from a bad paste, say) are dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Invalid(ValueError):
    """A value that cannot be stored; the message says what to do about it."""


def clean_text(value, label: str, *, max_len: int, required: bool = False) -> str:
    """Trimmed text with control characters removed; '' when blank and not required."""
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        value = ""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", str(value))).strip()
    if required and not text:
        raise Invalid(f"{label} is required.")
    if len(text) > max_len:
        raise Invalid(f"{label} is {len(text):,} characters long; the limit is {max_len:,}. Shorten it.")
    return text


# Numbers and dates are read in the digits 0-9 only. Python's int() also takes every other
# Unicode decimal digit ("٧" is 7, "７" is 7), but DuckDB, spreadsheets and the export write
# 0-9, and a digit of another script in a date was refused with a misleading "not a real date".
# So other digits are refused everywhere, with their 0-9 reading in the message.
def _refuse_other_digits(text: str, label: str) -> None:
    """Refuse a number or date written with digits other than 0-9, and say how it reads in 0-9."""
    if any(not ch.isascii() and unicodedata.decimal(ch, None) is not None for ch in text):
        in_ascii = "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
                           for ch in text)
        raise Invalid(f"{label} must be written with the digits 0-9: type {in_ascii!r}, not {text!r}.")


def parse_score(value) -> int:
    """A self-score: a whole number from 1 to 10 ("7" and 7.0 are fine; 7.5, "seven", 0, 11 are not)."""
    if value is None or (isinstance(value, str) and not value.strip()) or value != value:
        raise Invalid("Give this answer a self-score from 1 to 10.")
    if isinstance(value, bool):
        raise Invalid(f"Score must be a whole number from 1 to 10, not {value!r}.")
    if isinstance(value, str):
        text = value.strip()
        _refuse_other_digits(text, "Score")
        if not re.fullmatch(r"[+-]?\d+(\.0+)?", text, re.ASCII):
            raise Invalid(f"Score must be a whole number from 1 to 10, not {text!r}.")
        number = int(float(text))
    elif isinstance(value, float):
        if not value.is_integer():
            raise Invalid(f"Score must be a whole number from 1 to 10, not {value:g}.")
        number = int(value)
    else:
        number = int(value)
    if not SCORE_MIN <= number <= SCORE_MAX:
        raise Invalid(f"Score must be from 1 to 10; {number} is out of range.")
    return number


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_date(day: dt.date, label: str, *, today: dt.date | None = None) -> dt.date:
    """A calendar date inside the plausible window (from 2000 to two years ahead)."""
    today = today or dt.date.today()
    latest = years_after(today, LATEST_YEARS_AHEAD)
    if day < EARLIEST_DATE or day > latest:
        raise Invalid(f"{label} {day.isoformat()} is outside {EARLIEST_DATE.year}–{latest.year}; check the year.")
    return day


def parse_date(value, label: str, *, required: bool = False, today: dt.date | None = None) -> dt.date | None:
    """A `YYYY-MM-DD` date (a date object passes through); impossible dates such as 2026-02-30 are refused."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return check_date(value, label, today=today)
    text = clean_text(value, label, max_len=40)
    if not text:
        if required:
            raise Invalid(f"{label} is required (YYYY-MM-DD).")
        return None
    _refuse_other_digits(text, label)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        raise Invalid(f"{label} must be a date written YYYY-MM-DD, not {text!r}.")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{label} {text} is not a real date (check the day and month).") from None
    return check_date(day, label, today=today)


def parse_date_time(value, label: str, *, required: bool = False,
                    today: dt.date | None = None) -> tuple[dt.datetime | None, bool]:
    """`YYYY-MM-DD` or `YYYY-MM-DD HH:MM` (naive, local). Returns (value, has_time)."""
    text = clean_text(value, label, max_len=40)
    if not text:
        if required:
            raise Invalid(f"{label} is required (YYYY-MM-DD or YYYY-MM-DD HH:MM).")
        return None, False
    _refuse_other_digits(text, label)
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?", text, re.ASCII)
    if not match:
        raise Invalid(f"{label} must be YYYY-MM-DD or YYYY-MM-DD HH:MM, not {text!r}.")
    day = parse_date(match.group(1), label, today=today)
    if match.group(2) is None:
        return dt.datetime.combine(day, dt.time(0, 0)), False
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise Invalid(f"{label} {text} has an impossible time of day.")
    return dt.datetime.combine(day, dt.time(hour, minute)), True


def parse_choice(value, label: str, choices: tuple[str, ...], *, default: str | None = None) -> str | None:
    """One of `choices`, case-insensitive; blank gives `default`."""
    text = clean_text(value, label, max_len=40).lower()
    if not text:
        return default
    if text not in choices:
        raise Invalid(f"{label} must be one of {', '.join(choices)}; not {text!r}.")
    return text


def parse_round(value) -> int | None:
    """An interview round: blank, or a whole number from ROUND_MIN to ROUND_MAX (1 to 50)."""
    if value is None or value != value or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    _refuse_other_digits(text, "Round")
    if not re.fullmatch(r"\d+(\.0+)?", text, re.ASCII) or not ROUND_MIN <= int(float(text)) <= ROUND_MAX:
        raise Invalid(f"Round must be a whole number from {ROUND_MIN} to {ROUND_MAX}, not {text!r}.")
    return int(float(text))


# One address, as a person types it: something@host.tld, no spaces, no second @, nothing that
# would end the mailto: link's recipient (?, &, #, comma) or open markup (<, >, quotes).
_EMAIL = re.compile(r"[^\s@<>\"'(),;:?&#\\]+@[^\s@<>\"'(),;:?&#\\/]+\.[^\s@<>\"'(),;:?&#\\/.]{2,}")


def clean_email(value, label: str = "E-mail") -> str:
    """'' when blank; else one e-mail address (trimmed), or Invalid saying what is wrong."""
    text = clean_text(value, label, max_len=MAX_EMAIL)
    if text and not _EMAIL.fullmatch(text):
        raise Invalid(f"{label}: {text!r} is not an e-mail address; write one address, such as ann.lee@example.com, or leave it empty.")
    return text
