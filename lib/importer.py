"""CSV import (docs/import-format.md): read, check every row, then write all or nothing.

`plan_import` reads the files, checks every cell with the parsers the forms use
(lib/validation.py, so the messages match), and looks applications and interviews up in the
database; it writes nothing. `apply_import` writes a plan without errors in one transaction,
inserting DataFrames (a 50,000-row file takes seconds). `run_cli` is `python -m lib import-csv`.

Decisions: docs/decisions.md, 'CSV import'.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import islice
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import fields, settings
from .applications import (APPLICATION_FIELDS, CLOSED_STATUSES, Application, ValidationError, application_from_row,
                           application_row, update_application_row, validate_application)
from .follow_ups import settled_since
from .clock import default_expected_response, now, to_instant
from .db import Database, Transaction, cell_date
from .debriefs import INTERVIEW_FIELDS, MAX_ITEMS
from .questions import assign_groups
from .spreadsheet import typed_cell
from .fields import Field
from .validation import MAX_NAME, MAX_NOTE, MAX_QUESTION, MAX_SHORT, Invalid, clean_text, parse_date_time
from .words import plural

QUESTIONS, APPLICATIONS = "questions", "applications"
# The questions file's columns, declared once in their order (lib/fields.py): the import's columns,
# required columns and parsers, the Import page's list and the export's columns come from here.
# A questions file fills several tables (interviews, questions, interviewers…), written below;
# the interview's own columns it has are those declared in lib/debriefs.py (INTERVIEW_FIELDS).
_INTERVIEW = {field.name: field for field in INTERVIEW_FIELDS}
QUESTION_FIELDS = (
    Field("company", "Company", "text", required=True, max_len=MAX_NAME),
    Field("role", "Role", "text", max_len=MAX_NAME),
    Field("interview_at", "Interview date", "custom", required=True,
          hint="`YYYY-MM-DD HH:MM` in your time zone, or just the date",
          parse=lambda cell, today: _interview_start(cell, today)),
    _INTERVIEW["round"],
    _INTERVIEW["stage"],
    _INTERVIEW["format"],
    Field("interviewer", "Interviewer", "custom", hint="`Name (Position)`, several separated by `;`",
          parse=lambda cell, today: _parse_interviewers(cell)),
    Field("question", "Question", "text", required=True, max_len=MAX_QUESTION),
    Field("answer", "Answer", "text", max_len=MAX_NOTE),
    Field("score", "Score", "score", required=True, hint="1 to 10"),
    Field("went_well", "What went well", "custom", parse=lambda cell, today: _parse_items(cell, "What went well")),
    Field("to_improve", "What to improve", "custom", hint="items separated by `;`",
          parse=lambda cell, today: _parse_items(cell, "What to improve")),
    Field("thank_you_sent_at", "Thank-you sent", "date_time"),
    Field("expected_response_by", "Expected response date", "date"),
)
FIELDS = {QUESTIONS: QUESTION_FIELDS, APPLICATIONS: APPLICATION_FIELDS}
COLUMNS = {kind: fields.names(declared) for kind, declared in FIELDS.items()}
REQUIRED = {kind: fields.required(declared) for kind, declared in FIELDS.items()}
# The interview's declared fields the file has, stored as they are (lib/debriefs.py).
FILE_INTERVIEW_FIELDS = tuple(field for field in QUESTION_FIELDS if field in INTERVIEW_FIELDS)
# Columns that describe the interview rather than one question of it.
INTERVIEW_LEVEL = (*fields.names(FILE_INTERVIEW_FIELDS), "interviewer", "went_well", "to_improve",
                   "thank_you_sent_at", "expected_response_by")
MAX_ROWS = 100_000
# Uploads in the app are capped here as well as by server.maxUploadSize (.streamlit/config.toml,
# the same 5 MB), so a file that reaches plan_import some other way is refused too. The command
# line passes no cap: its files are the user's own, limited by MAX_ROWS.
MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
DATE_ONLY_STARTS_AT = dt.time(9, 0)
# Statuses an interview moves along to "interviewing" (as mark_application_interviewing does).
BEFORE_INTERVIEWS = ("applied", "screening")
# Python's csv refuses a cell over 128 KiB with a bare "field larger than field limit"; a higher
# ceiling lets an over-long answer reach clean_text, whose message gives the real limit.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


@dataclass(frozen=True)
class RowError:
    """One reason an import is refused; `line` is None when it concerns the whole file."""
    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}" if self.line else f"{self.file}: {self.reason}"


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote (or, in a plan, would write)."""
    applications_added: int = 0
    applications_updated: int = 0
    interviews_added: int = 0
    questions_added: int = 0
    already_present: int = 0  # rows that matched what is stored
    # Follow-ups long overdue at import time, kept off the Today list (lib/follow_ups.py: settled_since).
    settled: tuple[str, ...] = ()

    def summary(self) -> str:
        text = (f"Imported {plural(self.applications_added, 'application')}, "
                f"{plural(self.interviews_added, 'interview')}, {plural(self.questions_added, 'question')}")
        if self.applications_updated:
            text += f"; updated {plural(self.applications_updated, 'application')}"
        text = f"{text}; {plural(self.already_present, 'row')} already present."
        if self.settled:
            text += (f" Treated as settled history, so not put on Today: {plural(len(self.settled), 'follow-up')} "
                     f"due over a week before this import ({'; '.join(self.settled)}).")
        return text

    @property
    def changes_anything(self) -> bool:
        """False when every row is already stored as it is (e.g. the same files, just imported)."""
        return bool(self.applications_added or self.applications_updated or self.interviews_added
                    or self.questions_added)


@dataclass
class ParsedFile:
    """One file as read: its kind and its rows (the trimmed cells of its known columns, by line)."""
    name: str
    kind: str
    rows: pd.DataFrame


@dataclass
class _Interview:
    """One interview of a questions file: where it belongs, when, and its interview-level values."""
    app_key: str
    company: str
    role: str
    starts_local: dt.datetime
    time_zone: str
    declared: dict = field(default_factory=dict)  # FILE_INTERVIEW_FIELDS given, by name
    interviewer: tuple = ()
    went_well: tuple = ()
    to_improve: tuple = ()
    thank_you_sent_at: tuple = (None, False)
    expected_response_by: dt.date | None = None

    declared_names = fields.names(FILE_INTERVIEW_FIELDS)

    @cached_property
    def starts_at(self) -> dt.datetime:
        """The start as an instant (worked out once: a plan is resolved twice, and written)."""
        return to_instant(self.starts_local, self.time_zone)


@dataclass
class _Checked:
    """The rows that passed every check, ready to be looked up and written."""
    questions: pd.DataFrame
    interviews: dict[int, _Interview]
    applications: pd.DataFrame


@dataclass
class ImportPlan:
    """What `plan_import` found: every file and its rows, every error, and what applying would do."""
    files: list[ParsedFile]
    errors: list[RowError]
    warnings: list[str]
    expected: ImportResult | None  # None while there are errors
    today: dt.date
    checked: _Checked

    @property
    def row_count(self) -> int:
        return sum(len(file.rows) for file in self.files)

    def errors_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"file": [e.file for e in self.errors],
                             "line": pd.array([e.line for e in self.errors], dtype="Int64"),
                             "reason": [e.reason for e in self.errors]})


class ImportRefused(Exception):
    """The import was refused and nothing was written; `errors` says why."""

    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


class _FileRefused(Exception):
    """A problem with a whole file: reading it stops there."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


# -- entry points ----------------------------------------------------------------------------

def run_cli(db: Database, paths: list[Path]) -> int:
    """`python -m lib import-csv FILE…`: 0 imported; 1 refused (each reason on stderr, nothing written)."""
    files, errors = [], []
    for path in paths:
        try:
            files.append((str(path), Path(path).read_bytes()))
        except OSError as problem:
            errors.append(RowError(str(path), None, f"cannot be read ({problem.strerror or problem})."))
    plan = plan_import(db, files, max_file_bytes=None)
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    errors += plan.errors
    if not errors:
        try:
            print(apply_import(db, plan).summary())
            return 0
        except ImportRefused as refused:
            errors = refused.errors
    for error in errors:
        print(error, file=sys.stderr)
    return 1


def plan_import(db: Database, files: list[tuple[str, bytes]], *, today: dt.date | None = None,
                max_file_bytes: int | None = MAX_UPLOAD_BYTES) -> ImportPlan:
    """Read and check `files` (name, content) and look them up in `db`; nothing is written."""
    today = today or dt.date.today()
    parsed, errors, warnings = [], [], []
    for name, data in files:
        if max_file_bytes is not None and len(data) > max_file_bytes:
            errors.append(RowError(name, None, f"is {len(data) / 1024 / 1024:.1f} MB; the limit for an upload is "
                                               f"{max_file_bytes / 1024 / 1024:g} MB. Split it into smaller files."))
            continue
        file, problems, notes = read_file(name, data)
        errors += problems
        warnings += notes
        if file is not None:
            parsed.append(file)
    questions, interviews, problems = _check_questions(_rows_of(parsed, QUESTIONS), settings.time_zone(db), today)
    errors += problems
    applications, problems = _check_applications(_rows_of(parsed, APPLICATIONS), today)
    errors += problems
    checked = _Checked(questions, interviews, applications)
    writes = _resolve(db, checked, today)
    errors += writes.errors
    order = {name: n for n, (name, _) in enumerate(files)}
    errors.sort(key=lambda e: (order.get(e.file, -1), e.line or 0))
    return ImportPlan(parsed, errors, warnings, None if errors else writes.result(), today, checked)


def apply_import(db: Database, plan: ImportPlan) -> ImportResult:
    """Write a plan in one transaction, or raise ImportRefused and write nothing.

    The lookups are made again inside the transaction: a plan shown on the page may be minutes
    old, and another tab may have imported the same file since.
    """
    if plan.errors:
        raise ImportRefused(plan.errors)
    imported_at = now()
    with db.transaction() as tx:
        writes = _resolve(tx, plan.checked, plan.today)
        if writes.errors:
            raise ImportRefused(writes.errors)
        result = _write(tx, writes, imported_at)
    db.checkpoint()  # into the file itself before anyone is told "Imported…" (lib/db.py, Durability)
    settled = settled_since(db, imported_at, settings.today(db))
    return replace(result, settled=tuple(f"{item.company}, due {item.due:%a %d %b %Y}" for item in settled))


def column_list(kind: str) -> str:
    """The columns of one kind of file as Markdown, in order: `name`\\* when required, then how to write it."""
    def column(field: Field) -> str:
        hint = field.hint or ", ".join(field.choices)
        return f"`{field.name}`" + ("\\*" if field.required else "") + (f" ({hint})" if hint else "")
    return ", ".join(map(column, FIELDS[kind]))


def template(kind: str) -> str:
    """An empty file of one kind: just its header row, to fill in."""
    return ",".join(COLUMNS[kind]) + "\n"


# -- reading a file --------------------------------------------------------------------------

def read_file(name: str, data: bytes) -> tuple[ParsedFile | None, list[RowError], list[str]]:
    """One CSV file's rows, its row errors and warnings; or None and the reason it cannot be read."""
    warnings: list[str] = []
    try:
        records = _records(name, _decode(name, data))
        header = next(records, None)
        if header is None:
            raise _FileRefused(RowError(name, None, "the file is empty; it needs a header row naming the columns."))
        kind, columns = _header(name, *header, warnings)
        rows, problems = _rows(name, kind, columns, records)
    except _FileRefused as refused:
        return None, [refused.error], warnings
    return ParsedFile(name, kind, rows), problems, warnings


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = problem.object[:problem.start].count(b"\n") + 1
        raise _FileRefused(RowError(name, line, "not UTF-8: save it as 'CSV UTF-8' (in Excel: Save As, "
                                                "CSV UTF-8) and import that file.")) from None


def _records(name: str, text: str):
    """(line, cells) of every CSV record that is not blank; `line` is where the record starts."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(islice(reader, MAX_ROWS + 2))
    except csv.Error:
        records = None   # read again one record at a time below, to say where
    if records is not None and len(records) < MAX_ROWS + 2 and reader.line_num == len(records):
        # As many lines as records (no quoted line break): record n is on line n + 1. Read whole,
        # as one list: a file over the row limit, or one with line breaks in cells, goes one by one.
        return iter([(line, cells) for line, cells in enumerate(records, start=1) if "".join(cells).strip()])
    return _records_one_by_one(name, text)


def _records_one_by_one(name: str, text: str):
    reader = csv.reader(io.StringIO(text, newline=""))
    end_of_previous = 0
    try:
        for cells in reader:
            start, end_of_previous = end_of_previous + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                yield start, cells
    except csv.Error as problem:
        raise _FileRefused(RowError(name, reader.line_num, f"cannot be read as CSV ({problem}).")) from None


def _column_name(cell: str) -> str:
    return re.sub(r"\s+", "_", cell.strip().lower())


def _header(name: str, line: int, cells: list[str], warnings: list[str]) -> tuple[str, list[str]]:
    """The kind of file and its column names; unknown columns are reported in `warnings`."""
    def refuse(reason: str):
        raise _FileRefused(RowError(name, line, reason))

    columns = [_column_name(cell) for cell in cells]
    if len(cells) == 1 and (";" in cells[0] or "\t" in cells[0]):
        separator = "semicolons" if ";" in cells[0] else "tabs"
        refuse(f"the columns are separated by {separator}; use commas (save it as 'CSV UTF-8', comma-separated).")
    kind = QUESTIONS if "question" in columns else APPLICATIONS if "applied_on" in columns else None
    if kind is None:
        refuse("no header naming the columns: the first line must name them, with a 'question' column "
               "(a questions file) or an 'applied_on' column (an applications file).")
    twice = sorted(column for column, times in Counter(filter(None, columns)).items() if times > 1)
    if twice:
        refuse(f"the header names {', '.join(twice)} more than once; keep one column of each.")
    missing = [column for column in REQUIRED[kind] if column not in columns]
    if missing:
        several = len(missing) > 1
        refuse(f"the required column{'s' if several else ''} {', '.join(missing)} {'are' if several else 'is'} "
               f"missing from the header of this {kind} file.")
    for position, (cell, column) in enumerate(zip(cells, columns), start=1):
        if column not in COLUMNS[kind]:
            what = f"{cell.strip()!r} is not a {kind}-file column" if column else "has no name"
            warnings.append(f"{name}: column {position} {what}; it was ignored.")
    return kind, columns


def _rows(name: str, kind: str, columns: list[str], records) -> tuple[pd.DataFrame, list[RowError]]:
    """The trimmed cells of the known columns of each well-formed row, with its line."""
    width = len(columns)
    keep = {column: columns.index(column) for column in COLUMNS[kind] if column in columns}
    lines, rows, problems = [], [], []
    for line, cells in records:
        if len(cells) != width:
            problems.append(RowError(name, line, f"has {len(cells)} values but the header has {width} columns; "
                                                 "a value that contains a comma must be in double quotes."))
            continue
        if len(rows) == MAX_ROWS:
            raise _FileRefused(RowError(name, None, f"has more than {MAX_ROWS:,} rows; split it into smaller files."))
        lines.append(line)
        rows.append(cells)
    table = np.array(rows, dtype=object).reshape(len(rows), width)
    frame = pd.DataFrame({column: pd.Series(_typed_cells(table[:, i]), dtype=object) for column, i in keep.items()},
                         columns=list(keep))
    frame.insert(0, "line", pd.Series(lines, dtype="int64"))
    return frame, problems


def _typed_cells(cells: np.ndarray) -> np.ndarray:
    """Each cell trimmed and unquoted (typed_cell); a column repeats most of its values, done once each."""
    codes, distinct = pd.factorize(cells)
    trimmed = list(map(str.strip, distinct))
    done = np.array([typed_cell(cell) if cell[:1] == "'" else cell for cell in trimmed], dtype=object)
    return done[codes] if len(cells) else np.empty(0, dtype=object)


def _rows_of(files: list[ParsedFile], kind: str) -> pd.DataFrame:
    """The rows of every file of one kind, with their file, all columns present (blank when absent)."""
    columns = ["file", "line", *COLUMNS[kind]]
    frames = [file.rows.assign(file=file.name).reindex(columns=columns, fill_value="")
              for file in files if file.kind == kind]
    if not frames:
        return pd.DataFrame(columns=columns, dtype=object)
    return pd.concat(frames, ignore_index=True)


# -- checking rows ---------------------------------------------------------------------------

def _parse_cells(rows: pd.DataFrame, parsers: dict[str, Callable]) -> tuple[pd.DataFrame, list[RowError]]:
    """Every cell through its column's parser; the rows where all passed, and an error per cell that did not.

    Each distinct value is parsed once: a long file repeats most of its dates, companies and scores.
    """
    parsed = rows[["file", "line"]].copy()
    valid = np.ones(len(rows), dtype=bool)
    errors = []
    files, lines = rows.file.tolist(), rows.line.tolist()
    for column, parse in parsers.items():
        codes, cells = pd.factorize(rows[column].to_numpy(dtype=object))
        values = np.empty(len(cells), dtype=object)
        problems = np.empty(len(cells), dtype=object)
        for n, cell in enumerate(cells):
            values[n], problems[n] = _outcome(parse, cell)
        for position in np.flatnonzero(problems[codes] != None):  # noqa: E711 (element-wise)
            errors.append(RowError(files[position], int(lines[position]), problems[codes[position]]))
            valid[position] = False
        parsed[column] = pd.Series(values[codes], index=rows.index, dtype=object)
    return parsed[pd.Series(valid, index=rows.index, dtype=bool)].copy(), errors


def _outcome(parse: Callable, cell: str) -> tuple:
    try:
        return parse(cell), None
    except Invalid as problem:
        return None, str(problem)


def _parsers(kind: str, today: dt.date) -> dict[str, Callable]:
    return {field.name: fields.csv_parser(field, today) for field in FIELDS[kind]}


def _interview_start(cell: str, today: dt.date) -> dt.datetime:
    start, has_time = parse_date_time(cell, "Interview date", required=True, today=today)
    return start if has_time else dt.datetime.combine(start.date(), DATE_ONLY_STARTS_AT)


_PERSON = re.compile(r"(?P<name>[^()]*?)\s*(?:\((?P<position>[^()]*)\))?")


def _parse_interviewers(cell: str) -> tuple[tuple[str, str], ...]:
    """`Name (Position); Name …` as (name, position) pairs; the position is optional."""
    people = []
    for item in filter(str.strip, cell.split(";")):
        match = _PERSON.fullmatch(item.strip())
        name, position = (match["name"], match["position"] or "") if match else (item, "")
        name = clean_text(name, "Interviewer name", max_len=MAX_NAME)
        position = clean_text(position, "Position", max_len=MAX_NAME)
        if not name:
            raise Invalid(f"Interviewer {item.strip()!r} has no name; write Name (Position).")
        people.append((name, position))
    return tuple(people)


def _parse_items(cell: str, label: str) -> tuple[str, ...]:
    """`;`-separated reflection items, without blanks or repeats (as the debrief form keeps them)."""
    items: dict[str, str] = {}
    for part in cell.split(";"):
        text = clean_text(part, label, max_len=MAX_SHORT)
        if text:
            items.setdefault(text.lower(), text)
    if len(items) > MAX_ITEMS:
        raise Invalid(f"{label}: {len(items)} items is more than {MAX_ITEMS}; keep the ones that matter.")
    return tuple(items.values())


def _check_questions(rows: pd.DataFrame, zone: str, today: dt.date):
    """The valid rows of questions files, numbered by interview; the interviews; the errors."""
    questions, errors = _parse_cells(rows, _parsers(QUESTIONS, today))
    questions["app_key"] = _app_keys(questions.company, questions.role)
    questions["interview"] = questions.groupby(["app_key", "interview_at"], sort=False).ngroup()
    interviews, problems = _interviews_of(questions, zone)
    return questions, interviews, errors + problems


def _interviews_of(questions: pd.DataFrame, zone: str) -> tuple[dict[int, _Interview], list[RowError]]:
    """Each interview with the first non-blank value of each interview-level column; a row error
    for each row that gives another value, repeats a question, or dates something before the interview.

    Column by column over the whole file (a row is visited in Python only to compare or to report),
    so 100,000 rows take a fraction of a second."""
    rows = questions.reset_index(drop=True)
    where = list(zip(rows.file.tolist(), rows.line.tolist()))
    position = np.arange(len(rows))
    numbers = rows.interview.to_numpy()
    found: list[tuple[int, int, RowError]] = []  # (row, order within the row, error): reported in that order
    wording_keys = [_wording_key(wording) for wording in rows.question]
    first_asked = pd.Series(position).groupby([numbers, wording_keys], sort=False).transform("first").to_numpy()
    for row in np.flatnonzero(first_asked != position):
        file = where[row][0]
        found.append((row, 0, RowError(file, where[row][1], f"this question is already on "
                                                           f"{_where(where[first_asked[row]], file)}, for the same "
                                                           "interview; keep one row per question.")))
    first_row = pd.Series(position).groupby(numbers, sort=False).first()
    app_keys, companies, roles, starts = (rows[column].tolist() for column in ("app_key", "company", "role",
                                                                                "interview_at"))
    interviews = {int(number): _Interview(app_keys[row], companies[row], roles[row], starts[row], zone)
                  for number, row in first_row.items()}
    for order, column in enumerate(INTERVIEW_LEVEL, start=1):
        values = rows[column].tolist()
        given = np.array([value not in _BLANKS for value in values], dtype=bool)
        if not given.any():
            continue
        given_rows = np.flatnonzero(given)
        first_given = pd.Series(given_rows).groupby(numbers[given_rows], sort=False).transform("first").to_numpy()
        for row in given_rows[first_given == given_rows]:
            interview = interviews[int(numbers[row])]
            if column in interview.declared_names:
                interview.declared[column] = values[row]
            else:
                setattr(interview, column, values[row])
        comparable = {}
        for value in values:
            if value not in comparable and value not in _BLANKS:
                comparable[value] = _comparable(value)
        later = given_rows != first_given
        for row, first in zip(given_rows[later], first_given[later]):
            if comparable[values[row]] != comparable[values[first]]:
                file = where[row][0]
                found.append((row, order, RowError(file, where[row][1], f"{column} differs from "
                                                   f"{_where(where[first], file)}, for the same interview; "
                                                   "give interview-level values once, or the same on every row.")))
    days = [start.date() for start in starts]
    for row, (expected, day) in enumerate(zip(rows.expected_response_by, days)):
        if expected is not None and expected < day:
            found.append((row, 100, RowError(*where[row], "The expected response date cannot be before the interview.")))
    for row, ((sent, _), day) in enumerate(zip(rows.thank_you_sent_at, days)):
        if sent is not None and sent.date() < day:
            found.append((row, 101, RowError(*where[row], "The thank-you cannot have been sent before the interview.")))
    found.sort(key=lambda item: item[:2])
    return interviews, [error for _, _, error in found]


# What an interview-level cell holds when it gives nothing.
_BLANKS = (None, "", (), (None, False))


def _where(first: tuple, file: str) -> str:
    """'line 3', or 'line 3 of other.csv' when the earlier row is in another file."""
    return f"line {first[1]}" + (f" of {first[0]}" if first[0] != file else "")


def _comparable(value):
    """Interview-level values compare ignoring case: 'Video' on one row and 'video' on the next agree."""
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, tuple):
        return tuple(_comparable(part) for part in value)
    return value


def _check_applications(rows: pd.DataFrame, today: dt.date) -> tuple[pd.DataFrame, list[RowError]]:
    """The valid rows of applications files, one per application; an error for each repeat."""
    applications, errors = _parse_cells(rows, _parsers(APPLICATIONS, today))
    applications["app_key"] = _app_keys(applications.company, applications.role)
    first = applications.drop_duplicates("app_key").set_index("app_key")
    for row in applications[applications.duplicated("app_key")].itertuples(index=False):
        earlier = first.loc[row.app_key]
        errors.append(RowError(row.file, row.line, f"{row.company} – {row.role or 'no role'} is already on "
                                                   f"{_where((earlier.file, earlier.line), row.file)}; "
                                                   "keep one row per application."))
    return applications.drop_duplicates("app_key"), errors


def _app_keys(companies, roles) -> list[str]:
    # Company and role identify an application ignoring case and surrounding spaces, as the
    # find_application query does. clean_text removes control characters, so \x1f cannot occur.
    # Worked out once per distinct pair: a questions file repeats its applications on every row.
    pairs = list(zip(companies.tolist(), roles.tolist()))
    keys = {pair: f"{pair[0].strip().lower()}\x1f{pair[1].strip().lower()}" for pair in set(pairs)}
    return [keys[pair] for pair in pairs]


def _wording_key(wording: str) -> str:
    return " ".join(wording.split()).lower()


# -- matching against the database -----------------------------------------------------------

@dataclass
class _Writes:
    """What an import adds or changes, worked out against the database as it is now."""
    application_ids: dict[str, int] = field(default_factory=dict)  # stored applications, by key
    new_applications: list[dict] = field(default_factory=list)
    updated_applications: list[dict] = field(default_factory=list)
    promoted: list[int] = field(default_factory=list)  # stored ids that move to interviewing
    new_interviews: dict[int, _Interview] = field(default_factory=dict)
    interview_ids: dict[int, int] = field(default_factory=dict)  # interview number -> stored id
    new_questions: pd.DataFrame | None = None
    already_present: int = 0
    errors: list[RowError] = field(default_factory=list)

    def result(self) -> ImportResult:
        return ImportResult(len(self.new_applications), len(self.updated_applications), len(self.new_interviews),
                            len(self.new_questions), self.already_present)


def _resolve(reader: Database | Transaction, checked: _Checked, today: dt.date) -> _Writes:
    stored = _stored_applications(reader)
    writes = _Writes(application_ids={key: int(row.id) for key, row in stored.items()})
    _plan_applications(writes, checked, stored, today)
    _plan_interviews(writes, reader, checked)
    return writes


def _stored_applications(reader) -> dict:
    frame = reader.query("import_existing_applications")
    stored = {}
    for key, row in zip(_app_keys(frame.company, frame.role), frame.itertuples(index=False)):
        stored.setdefault(key, row)  # the oldest wins, as in find_application
    return stored


def _plan_applications(writes: _Writes, checked: _Checked, stored: dict, today: dt.date) -> None:
    """Applications to add, update or move to interviewing: from the applications file, then
    those only the questions file names."""
    by_start = sorted(checked.interviews.values(), key=lambda interview: interview.starts_local)
    first_interview = {}
    last_interview_day = {}
    for interview in by_start:
        first_interview.setdefault(interview.app_key, interview)
        last_interview_day[interview.app_key] = interview.starts_local.date()
    for row in checked.applications.itertuples(index=False):
        current = stored.get(row.app_key)
        try:
            app = _merged(row, current, last_interview_day.get(row.app_key), today)
        except ValidationError as problem:
            writes.errors += [RowError(row.file, row.line, reason) for reason in problem.errors.values()]
            continue
        if current is None:
            writes.new_applications.append({"app_key": row.app_key, **application_row(app)})
        elif app != application_from_row(current):
            writes.updated_applications.append({"id": int(current.id), **application_row(app)})
        else:
            writes.already_present += 1
    listed = set(checked.applications.app_key)
    for key, interview in first_interview.items():
        if key in listed:
            continue
        current = stored.get(key)
        if current is None:
            writes.new_applications.append({"app_key": key, **application_row(Application(
                company=interview.company, role=interview.role, applied_on=interview.starts_local.date(),
                status="interviewing"))})
        elif current.status in BEFORE_INTERVIEWS:
            writes.promoted.append(int(current.id))


def _merged(row, current, interview_day: dt.date | None, today: dt.date) -> Application:
    """The application a file row asks for: written cells win, blank ones keep what is stored (or the default)."""
    base = application_from_row(current) if current is not None else Application(company=row.company)
    has_interview = interview_day is not None or (current is not None and bool(current.has_interview))
    status = row.status or base.status
    if status in BEFORE_INTERVIEWS and has_interview:
        status = "interviewing"
    closed_on = row.closed_on
    if closed_on is None and status in CLOSED_STATUSES:
        stored_activity = cell_date(current.last_activity_on) if current is not None else None
        closed_on = base.closed_on or max(d for d in (row.applied_on, interview_day, stored_activity) if d)
    given = {name: getattr(row, name) or getattr(base, name) for name in fields.names(APPLICATION_FIELDS)}
    return validate_application(Application(**(given | {"status": status, "closed_on": closed_on})), today=today)


def _plan_interviews(writes: _Writes, reader, checked: _Checked) -> None:
    """New interviews, and the questions neither stored nor already under their stored interview."""
    stored = _stored_interviews(reader, writes.application_ids, checked.interviews.values())
    for number, interview in checked.interviews.items():
        found = stored.get((writes.application_ids.get(interview.app_key), interview.starts_at))
        if found is None:
            writes.new_interviews[number] = interview
        else:
            writes.interview_ids[number] = found
    known, next_seq = _stored_questions(reader, list(writes.interview_ids.values()))
    questions = checked.questions
    stored_keys = [known.get(writes.interview_ids.get(number)) for number in questions.interview]
    present = [bool(keys) and _wording_key(wording) in keys for keys, wording in zip(stored_keys, questions.question)]
    new = questions[~pd.Series(present, index=questions.index, dtype=bool)].copy()
    new["seq"] = new.groupby("interview").cumcount() + new.interview.map(
        lambda n: next_seq.get(writes.interview_ids.get(n), 0))
    writes.new_questions = new
    writes.already_present += sum(present)


def _stored_interviews(reader, application_ids: dict[str, int], interviews) -> dict[tuple, int]:
    """(application id, start instant) -> id of the stored interviews of the applications imported into."""
    ids = sorted({application_ids[i.app_key] for i in interviews if i.app_key in application_ids})
    if not ids:
        return {}
    frame = reader.query("import_existing_interviews", application_ids=ids)
    return {(int(a), pd.Timestamp(start).to_pydatetime()): int(i)
            for i, a, start in zip(frame.id, frame.application_id, frame.starts_at)}


def _stored_questions(reader, interview_ids: list[int]) -> tuple[dict[int, set[str]], dict[int, int]]:
    """The wordings stored under each interview, and the next free seq of each."""
    if not interview_ids:
        return {}, {}
    frame = reader.query("import_existing_questions", interview_ids=interview_ids)
    known: dict[int, set[str]] = {}
    for interview_id, wording in zip(frame.interview_id, frame.wording):
        known.setdefault(int(interview_id), set()).add(_wording_key(wording))
    next_seq = {int(i): int(s) + 1 for i, s in frame.groupby("interview_id").seq.max().items()}
    return known, next_seq


# -- writing ---------------------------------------------------------------------------------

def _write(tx: Transaction, writes: _Writes, imported_at: dt.datetime) -> ImportResult:
    application_ids = writes.application_ids | _insert_applications(tx, writes.new_applications)
    for row in writes.updated_applications:
        update_application_row(tx, row["id"], {name: value for name, value in row.items() if name != "id"})
    if writes.promoted:
        tx.execute("import_mark_interviewing", ids=writes.promoted)
    interview_ids = writes.interview_ids | _insert_interviews(tx, writes.new_interviews, application_ids, imported_at)
    _insert_questions(tx, writes.new_questions, interview_ids)
    assign_groups(tx)  # the new questions, in this same transaction
    return writes.result()


def _insert_applications(tx: Transaction, rows: list[dict]) -> dict[str, int]:
    if not rows:
        return {}
    ids = tx.new_ids("applications", len(rows))
    frame = pd.DataFrame(rows).drop(columns="app_key")
    tx.insert_frame("applications", frame.assign(id=ids))
    return {row["app_key"]: new_id for row, new_id in zip(rows, ids)}


@lru_cache(maxsize=4096)
def _default_response(day: dt.date) -> dt.date:
    """default_expected_response, worked out once per day (an import's interviews share few days)."""
    return default_expected_response(day)


def _insert_interviews(tx: Transaction, interviews: dict[int, _Interview], application_ids: dict,
                       imported_at: dt.datetime) -> dict[int, int]:
    """The interviews with their interviewers, reflections and thank-yous; their ids by interview number."""
    items = list(interviews.values())
    ids = tx.new_ids("interviews", len(items))
    tx.insert_frame("interviews", pd.DataFrame({
        "id": ids,
        "application_id": [application_ids[i.app_key] for i in items],
        **{declared.name: fields.column(declared, [fields.stored(declared, i.declared.get(declared.name, declared.default))
                                                  for i in items]) for declared in FILE_INTERVIEW_FIELDS},
        "starts_at": pd.Series([i.starts_at for i in items], dtype="datetime64[us, UTC]"),
        "time_zone": [i.time_zone for i in items],
        "expected_response_by": pd.Series([i.expected_response_by or _default_response(i.starts_local.date())
                                           for i in items], dtype=object),
        "expected_response_is_default": [i.expected_response_by is None for i in items],
        "imported_at": pd.Series([imported_at] * len(items), dtype="datetime64[us, UTC]"),
    }))
    people_ids = _insert_interviewers(tx, items, ids)
    _insert_reflections(tx, items, ids)
    _insert_thank_yous(tx, items, ids, people_ids)
    return dict(zip(interviews, ids))


def _insert_interviewers(tx: Transaction, items: list[_Interview], ids: list[int]) -> list[list[int]]:
    rows = [(interview_id, seq, name, position) for interview_id, interview in zip(ids, items)
            for seq, (name, position) in enumerate(interview.interviewer)]
    people_ids = tx.new_ids("interviewers", len(rows))
    tx.insert_frame("interviewers", pd.DataFrame({
        "id": people_ids, "interview_id": [r[0] for r in rows], "seq": [r[1] for r in rows],
        "name": [r[2] for r in rows], "position": [r[3] or None for r in rows]}))
    taken = iter(people_ids)
    return [[next(taken) for _ in interview.interviewer] for interview in items]


def _insert_reflections(tx: Transaction, items: list[_Interview], ids: list[int]) -> None:
    rows = [(interview_id, kind, seq, text) for interview_id, interview in zip(ids, items)
            for kind in ("went_well", "to_improve") for seq, text in enumerate(getattr(interview, kind))]
    tx.insert_frame("reflections", pd.DataFrame({
        "id": tx.new_ids("reflections", len(rows)), "interview_id": [r[0] for r in rows],
        "kind": [r[1] for r in rows], "seq": [r[2] for r in rows], "item": [r[3] for r in rows]}))


def _insert_thank_yous(tx: Transaction, items: list[_Interview], ids: list[int], people_ids: list[list[int]]) -> None:
    """One per interviewer (one for the interview when nobody is named); sent when the file says so."""
    rows = []
    for interview_id, interview, people in zip(ids, items, people_ids):
        sent, has_time = interview.thank_you_sent_at
        sent_at = to_instant(sent, interview.time_zone) if has_time else None
        sent_on = sent.date() if sent is not None else None
        rows += [(interview_id, person, sent_at, sent_on) for person in (people or [None])]
    tx.insert_frame("thank_yous", pd.DataFrame({
        "id": tx.new_ids("thank_yous", len(rows)), "interview_id": [r[0] for r in rows],
        "interviewer_id": pd.array([r[1] for r in rows], dtype="Int64"), "channel": "email",
        "sent_at": pd.Series([r[2] for r in rows], dtype="datetime64[us, UTC]"),
        "sent_on": pd.Series([r[3] for r in rows], dtype=object)}))


def _insert_questions(tx: Transaction, questions: pd.DataFrame, interview_ids: dict[int, int]) -> None:
    tx.insert_frame("questions", pd.DataFrame({
        "id": tx.new_ids("questions", len(questions)),
        "interview_id": questions.interview.map(interview_ids).to_numpy(dtype="int64"),
        "seq": questions.seq.to_numpy(dtype="int64"),
        "wording": list(questions.question),
        "answer_note": [answer or None for answer in questions.answer],
        "score": questions.score.to_numpy(dtype="int64"),
    }))


# -- small helpers ---------------------------------------------------------------------------
