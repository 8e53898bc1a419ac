"""Applications: the jobs applied for, their status, and how many are running at once."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from . import settings
from .db import Database, Transaction, cell_date, cell_text
from .validation import MAX_NAME, MAX_NOTE, MAX_SHORT, Invalid, check_date, clean_text
from .words import plural

# The statuses, and which close an application, are rules (lib/rules.py). The original import
# spec's wording ("the last five statuses") would close an offer too; its report example (now
# docs/report-json.md) counts the example's offer, with no closed_on, as active with a follow-up
# due. We follow the example.
from .rules import CLOSED_STATUSES, MAY_CLOSE_STATUSES, STATUSES  # noqa: E402,F401


class ValidationError(ValueError):
    """Several fields at once are invalid: `errors` maps a field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Application:
    company: str
    role: str = ""
    applied_on: dt.date | None = None
    status: str = "applied"
    closed_on: dt.date | None = None
    source: str = ""
    notes: str = ""


def validate_application(app: Application, *, today: dt.date | None = None) -> Application:
    """A cleaned copy of `app`, or ValidationError naming each bad field."""
    errors: dict[str, str] = {}
    clean: dict = {}

    def take(field, parse):
        try:
            clean[field] = parse()
        except Invalid as problem:
            errors[field] = str(problem)

    take("company", lambda: clean_text(app.company, "Company", max_len=MAX_NAME, required=True))
    take("role", lambda: clean_text(app.role, "Role", max_len=MAX_NAME))
    take("source", lambda: clean_text(app.source, "Source", max_len=MAX_SHORT))
    take("notes", lambda: clean_text(app.notes, "Notes", max_len=MAX_NOTE))
    if app.applied_on is None:
        errors["applied_on"] = "Applied on is required."
    else:
        take("applied_on", lambda: check_date(app.applied_on, "Applied on", today=today))
    if app.status not in STATUSES:
        errors["status"] = f"Status must be one of {', '.join(STATUSES)}."
    clean["status"] = app.status
    if app.closed_on is not None:
        take("closed_on", lambda: check_date(app.closed_on, "Closed on", today=today))
    clean.setdefault("closed_on", None)
    if app.status in CLOSED_STATUSES and app.closed_on is None:
        errors["closed_on"] = f"An application that is {app.status} needs the day it ended (closed on)."
    if app.status not in MAY_CLOSE_STATUSES and app.closed_on is not None:
        errors["closed_on"] = f"An application that is still {app.status} has no closing day; clear it."
    if clean.get("closed_on") and clean.get("applied_on") and clean["closed_on"] < clean["applied_on"]:
        errors["closed_on"] = "Closed on cannot be before applied on."
    if errors:
        raise ValidationError(errors)
    return Application(**clean)


def application_row(app: Application) -> dict:
    """The columns of the applications table for `app` (blank text stored as NULL)."""
    return dict(company=app.company, role=app.role, source=app.source or None, applied_on=app.applied_on,
                status=app.status, closed_on=app.closed_on, notes=app.notes or None)


def find_application(tx: Transaction, company: str, role: str) -> int | None:
    return tx.scalar("find_application", company=company, role=role)


def add_application(db: Database, app: Application, *, is_sample: bool = False) -> int:
    """Store a new application; refuses a second one with the same company and role."""
    app = validate_application(app)
    with db.transaction() as tx:
        if find_application(tx, app.company, app.role) is not None:
            raise ValidationError({"company": f"{app.company} – {app.role or 'no role'} is already in your applications; edit it instead."})
        return tx.scalar("insert_application", **application_row(app), is_sample=is_sample)


def update_application(db: Database, application_id: int, app: Application) -> None:
    app = validate_application(app)
    with db.transaction() as tx:
        other = find_application(tx, app.company, app.role)
        if other is not None and other != application_id:
            raise ValidationError({"company": f"Another application is already {app.company} – {app.role or 'no role'}."})
        tx.execute("update_application", id=application_id, **application_row(app))


def get_application(db: Database, application_id: int) -> Application | None:
    rows = db.query("get_application", id=application_id)
    if rows.empty:
        return None
    return application_from_row(rows.iloc[0])


def application_from_row(row) -> Application:
    """An Application from a row of the applications table."""
    return Application(company=row.company, role=row.role, applied_on=cell_date(row.applied_on), status=row.status,
                       closed_on=cell_date(row.closed_on), source=cell_text(row.source), notes=cell_text(row.notes))


def list_applications(db: Database) -> pd.DataFrame:
    return db.query("list_applications")


def application_choices(db: Database, *, include_id: int | None = None, max_choices: int = 500) -> pd.DataFrame:
    """id, company, role, status, is_open: for pickers, open applications first, recent first."""
    return db.query("application_choices", include_id=include_id if include_id is not None else -1,
                    max_choices=max_choices)


def active_applications_on(db: Database, day: dt.date, *, stale_after_days: int | None = None) -> int:
    """How many applications are active on `day` (the definition in docs/import-format.md)."""
    if stale_after_days is None:
        stale_after_days = settings.stale_after_days(db)
    return int(db.scalar("active_applications_on", day=day, stale_after_days=stale_after_days))


def record_counts(db: Database) -> pd.Series:
    """How many applications, interviews and questions are stored; `sample_applications` of them sample data."""
    return db.query("count_all").iloc[0]


def pipeline_message(active: int, band: tuple[int, int]) -> str:
    """One line on applications running at once against the target band, in plain words."""
    low, high = band
    running = f"{plural(active, 'application')} active today"
    if active < low:
        return f"{running}, below your {low}–{high} target: start another so no single one carries your hopes."
    if active > high:
        return f"{running}, above your {low}–{high} target: make sure each still gets your best."
    return f"{running}, within your {low}–{high} target."

