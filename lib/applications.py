"""Applications: the jobs applied for, their status, and how many are running at once."""
from __future__ import annotations

import datetime as dt
from dataclasses import MISSING

import pandas as pd

from . import fields, settings
from .db import Database, Transaction, identifier
from .fields import Field
from .validation import MAX_NAME, MAX_NOTE, MAX_SHORT, Invalid
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


# An application's fields, declared once, in the order of the applications file's columns
# (docs/import-format.md). The Application record, its validation, the row stored and read back,
# the import's columns and parsers and the export's columns all come from here (lib/fields.py).
# A new field: a migration adding the column, a line here, its widget on the form (lib/ui/applications.py),
# a line in docs/import-format.md; it must be optional (required=False) so that older files still import.
APPLICATION_FIELDS = (
    Field("company", "Company", "text", required=True, max_len=MAX_NAME, default=MISSING, identifies=True),
    Field("role", "Role", "text", max_len=MAX_NAME, default="", identifies=True),
    Field("applied_on", "Applied on", "date", required=True),
    Field("status", "Status", "choice", choices=STATUSES, default="applied"),
    Field("closed_on", "Closed on", "date"),
    Field("source", "Source", "text", max_len=MAX_SHORT, default=""),
    Field("notes", "Notes", "text", max_len=MAX_NOTE, default=""),
)
FIELD_NAMES = fields.names(APPLICATION_FIELDS)
Application = fields.record_class("Application", APPLICATION_FIELDS, "One application, as typed or stored (APPLICATION_FIELDS).",
                                   __name__)
# The {placeholders} of insert_application and update_application (lib/sql/applications.sql).
_SQL_PARTS = {"columns": ", ".join(identifier(name) for name in FIELD_NAMES),
              "values": ", ".join(f"${name}" for name in FIELD_NAMES),
              "assignments": ", ".join(f"{identifier(name)} = ${name}" for name in FIELD_NAMES)}


def validate_application(app: Application, *, today: dt.date | None = None) -> Application:
    """A cleaned copy of `app`, or ValidationError naming each bad field."""
    errors: dict[str, str] = {}
    clean: dict = {}
    # The text fields first, then the dates and the status: the order the messages have always come in.
    for field in sorted(APPLICATION_FIELDS, key=lambda field: field.kind != "text"):
        try:
            clean[field.name] = fields.checked(field, getattr(app, field.name), today)
        except Invalid as problem:
            errors[field.name] = str(problem)
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
    """The columns of the applications table for `app` (blank text stored as NULL, but company and role)."""
    return {field.name: fields.stored(field, getattr(app, field.name)) for field in APPLICATION_FIELDS}


def insert_application_row(tx: Transaction, row: dict, *, is_sample: bool = False) -> int:
    """Insert an application_row(); its new id."""
    return tx.execute_on("insert_application", _SQL_PARTS, **row, is_sample=is_sample)[0][0]


def update_application_row(tx: Transaction, application_id: int, row: dict) -> None:
    tx.execute_on("update_application", _SQL_PARTS, id=application_id, **row)


def find_application(tx: Transaction, company: str, role: str) -> int | None:
    return tx.scalar("find_application", company=company, role=role)


def add_application(db: Database, app: Application, *, is_sample: bool = False) -> int:
    """Store a new application; refuses a second one with the same company and role."""
    app = validate_application(app)
    with db.transaction() as tx:
        if find_application(tx, app.company, app.role) is not None:
            raise ValidationError({"company": f"{app.company} – {app.role or 'no role'} is already in your applications; edit it instead."})
        return insert_application_row(tx, application_row(app), is_sample=is_sample)


def update_application(db: Database, application_id: int, app: Application) -> None:
    app = validate_application(app)
    with db.transaction() as tx:
        other = find_application(tx, app.company, app.role)
        if other is not None and other != application_id:
            raise ValidationError({"company": f"Another application is already {app.company} – {app.role or 'no role'}."})
        update_application_row(tx, application_id, application_row(app))


def get_application(db: Database, application_id: int) -> Application | None:
    rows = db.query("get_application", id=application_id)
    if rows.empty:
        return None
    return application_from_row(rows.iloc[0])


def application_from_row(row) -> Application:
    """An Application from a row of the applications table."""
    return Application(**{field.name: fields.from_cell(field, getattr(row, field.name)) for field in APPLICATION_FIELDS})


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

