"""Fields declared once: what a record holds, and how each value is read, checked, stored and exported.

A feature declares its fields as a tuple of `Field`, in the order of its CSV columns
(docs/import-format.md): lib/applications.py declares an application's (APPLICATION_FIELDS, which
also make the Application dataclass), lib/debriefs.py an interview's own columns (INTERVIEW_FIELDS),
lib/importer.py the questions file's. From that one
declaration come the record's attributes, the form's keys, the validation of each value, the
row written to the table and read back, the import's columns, required columns and parsers, and
the export's columns and their order. Rules that tie two fields together (a closed application
needs its closing day) stay with the feature.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Callable, NamedTuple

import pandas as pd

from .db import cell_date, cell_int, cell_text
from .rules import ROUND_MAX, ROUND_MIN
from .validation import (Invalid, check_date, clean_text, parse_choice, parse_date, parse_date_time, parse_round,
                         parse_score)

# How a value is read from a CSV cell, checked when typed, and read back from its column.
KINDS = ("text", "date", "date_time", "choice", "score", "round", "flag", "custom")


class Field(NamedTuple):
    name: str                       # the attribute, the table column and the CSV column
    label: str                      # as messages and the form name it
    kind: str                       # one of KINDS
    required: bool = False          # required in a CSV file (and on the form)
    max_len: int | None = None      # text: the longest value, in characters
    choices: tuple[str, ...] = ()   # choice: the values allowed
    default: Any = None             # the record's value when none is given (MISSING: must be given);
                                    # choice: None means it may be left unchosen
    identifies: bool = False        # names the record (company, role): blank text stored as '', not NULL
    hint: str = ""                  # how to write it, after the name where the Import page lists the columns
    parse: Callable[[str, dt.date], Any] | None = None  # custom: how a CSV cell is read (cell, today)

    @property
    def python_type(self) -> type:
        return {"text": str, "date": dt.date | None, "date_time": dt.datetime | None, "choice": str,
                "score": int | None, "round": int | None,
                "flag": bool | None}.get(self.kind, Any)


def names(fields: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(field.name for field in fields)


def required(fields: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(field.name for field in fields if field.required)


def record_class(name: str, fields: tuple[Field, ...], doc: str, module: str) -> type:
    """A dataclass with one attribute per field, in declared order, with the declared defaults."""
    cls = dataclasses.make_dataclass(name, [
        (field.name, field.python_type, dataclasses.field(default=field.default)) for field in fields])
    cls.__doc__, cls.__module__ = doc, module
    return cls


def csv_parser(field: Field, today: dt.date) -> Callable[[str], Any]:
    """How one CSV cell of `field` becomes a value, raising Invalid with the message a form would give."""
    if field.parse is not None:
        return lambda cell: field.parse(cell, today)
    kind, label, required_ = field.kind, field.label, field.required
    if kind == "text":
        return lambda cell: clean_text(cell, label, max_len=field.max_len, required=required_)
    if kind == "date":
        return lambda cell: parse_date(cell, label, required=required_, today=today)
    if kind == "date_time":
        return lambda cell: parse_date_time(cell, label, required=required_, today=today)
    if kind == "choice":
        return lambda cell: parse_choice(cell, label, field.choices)  # None: blank, the record's default applies
    if kind == "score":
        return parse_score
    if kind == "round":
        return parse_round
    raise ValueError(f"{field.name}: no CSV parser for kind {kind!r}")


def checked(field: Field, value, today: dt.date | None = None):
    """A value as typed in a form (already a date, a str…), cleaned; Invalid says why it cannot be stored."""
    if field.kind == "text":
        return clean_text(value, field.label, max_len=field.max_len, required=field.required)
    if field.kind == "choice":  # None is no choice at all, unless the field may be left unchosen
        if value is None and field.default is None:
            return None
        if value not in field.choices:
            raise Invalid(f"{field.label} must be one of {', '.join(field.choices)}.")
        return value
    if value is None or value == "":
        if field.required:
            raise Invalid(f"{field.label} is required.")
        return None
    if field.kind == "date":
        return check_date(value, field.label, today=today)
    if field.kind == "round" and not (isinstance(value, int) and ROUND_MIN <= value <= ROUND_MAX):
        raise Invalid(f"{field.label} must be a whole number from {ROUND_MIN} to {ROUND_MAX}.")
    return value


def stored(field: Field, value):
    """The value as its column holds it: blank text is NULL, unless it names the record."""
    if field.kind == "text" and not field.identifies:
        return value or None
    return value


def from_cell(field: Field, value):
    """A value read back from its column (pandas gives NaN or NaT for NULL)."""
    if field.kind == "text":
        return cell_text(value)
    if field.kind == "date":
        return cell_date(value)
    if field.kind == "choice":
        return cell_text(value) or None
    if field.kind in ("round", "score"):
        return cell_int(value)
    if field.kind == "flag":
        return None if value is None or pd.isna(value) else bool(value)
    return value


def column(field: Field, values: list):
    """`values` of one field as a DataFrame column of the type its table column takes."""
    if field.kind in ("round", "score"):
        return pd.array(values, dtype="Int64")
    if field.kind == "flag":
        return pd.array(values, dtype="boolean")
    return values

