"""Property-based tests (Hypothesis) of the CSV import and the restore.

Each property runs a bounded number of examples (`BOUNDED`), so that `make test` gains seconds,
not minutes; the databases are shared per module, since a new one per example would dominate.
"""
import csv
import datetime as dt
import io
import itertools
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lib import export, importer, sample, spreadsheet
from lib.db import Database
from lib.debriefs import Debrief, Question, save_debrief
from lib.validation import MAX_NAME, clean_text

TODAY = dt.date(2026, 3, 30)
BOUNDED = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                   derandomize=True)  # the same examples on every run: a failure is reproducible
# Any text a person can store: every character but lone surrogates (not encodable in UTF-8),
# cleaned the way the forms clean it.
typed_text = (st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
              | st.sampled_from(["=1+1", "+x", "-2", "@SUM(A1)", "'=x", "''-y", "'", "\t=x", "a\r\n=b", "٧", "\"q\""])
              | st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(["=", "+", "-", "@", "'", "''="]),
                          st.text(max_size=20)))
stored_text = typed_text.map(lambda text: clean_text(text, "Text", max_len=MAX_NAME)).filter(bool)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.text())
def test_a_spreadsheet_cell_never_starts_a_formula_and_gives_back_what_was_typed(text):
    cell = spreadsheet.safe_cell(text)
    assert not cell.startswith(spreadsheet.FORMULA_START)
    assert spreadsheet.typed_cell(cell) == text


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """A database written through the forms, and one filled only from its exports' import-format files."""
    folder = tmp_path_factory.mktemp("round-trip")
    source, target = Database(folder / "source.duckdb"), Database(folder / "target.duckdb")
    yield source, target
    source.close()
    target.close()


MINUTES = itertools.count()
WHAT_WAS_TYPED = ("SELECT a.company, a.role, q.wording, q.answer_note FROM questions q "
                  "JOIN interviews i ON i.id = q.interview_id JOIN applications a ON a.id = i.application_id ORDER BY ALL")


@settings(BOUNDED, max_examples=12)  # each example exports the whole database and imports it: ~1 s
@given(company=stored_text, role=stored_text, question=stored_text, answer=stored_text)
def test_any_text_comes_back_exactly_from_export_then_import(pair, company, role, question, answer):
    source, target = pair
    # A new minute each time: two examples with the same company would otherwise be one interview.
    starts_at = dt.datetime(2026, 3, 2, 10) + dt.timedelta(minutes=next(MINUTES))
    save_debrief(source, Debrief(company=company, role=role, starts_at=starts_at, time_zone="UTC",
                                 questions=[Question(question, answer, 6)]), today=TODAY)
    files = {}
    with zipfile.ZipFile(io.BytesIO(export.export_archive(source).data)) as archive:
        for name in ("applications.csv", "questions.csv"):
            files[name] = archive.read(f"import-format/{name}")
            cells = [cell for row in csv.reader(io.StringIO(files[name].decode(), newline="")) for cell in row]
            assert not [cell for cell in cells if cell.startswith(spreadsheet.FORMULA_START)]
    plan = importer.plan_import(target, list(files.items()), today=TODAY)
    assert [str(error) for error in plan.errors] == []
    importer.apply_import(target, plan)
    assert target.cursor().execute(WHAT_WAS_TYPED).fetchall() == source.cursor().execute(WHAT_WAS_TYPED).fetchall()


GOOD_FILE = ("company,role,interview_at,round,interviewer,question,answer,score,thank_you_sent_at\n"
             "Contoso,Analyst,2026-03-12 14:30,1,Ana (CTO),Why us?,\"Growth, and data\",7,2026-03-12\n"
             "Contoso,Analyst,2026-03-12 14:30,,,Tell me about a conflict,,4,\n"
             "Fabrikam,,2026-03-20,2,,Salary?,,9,\n").encode()
LOCATED = re.compile(r"^q\.csv(:\d+)?: \S")


@pytest.fixture(scope="module")
def import_target(tmp_path_factory):
    db = Database(tmp_path_factory.mktemp("mutated") / "target.duckdb")
    yield db
    db.close()


def mutated(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """`data` with each (kind, position, byte) edit: 0 replaces a byte, 1 inserts one, 2 deletes one."""
    data = bytearray(data)
    for kind, position, byte in edits:
        at = position % (len(data) + 1)
        if kind == 0 and at < len(data):
            data[at] = byte
        elif kind == 1:
            data.insert(at, byte)
        elif at < len(data):
            del data[at]
    return bytes(data)


edits = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10_000), st.sampled_from(b",\"\n\r;'=-0123456789aZ\x00\xff\xc3")),
                 min_size=1, max_size=6)


@settings(BOUNDED, max_examples=25)
@given(edits)
def test_a_mutated_file_is_imported_or_refused_at_its_line_with_nothing_written(import_target, changes):
    data = mutated(GOOD_FILE, changes)
    before = import_target.row_counts()
    plan = importer.plan_import(import_target, [("q.csv", data)], today=TODAY)
    if plan.errors:
        assert all(LOCATED.match(str(error)) for error in plan.errors), plan.errors
        with pytest.raises(importer.ImportRefused):
            importer.apply_import(import_target, plan)
        assert import_target.row_counts() == before
    else:
        result = importer.apply_import(import_target, plan)
        after = import_target.row_counts()
        assert after["questions"] - before["questions"] == result.questions_added


@pytest.fixture(scope="module")
def restore_case(tmp_path_factory):
    """A real export, and a factory of empty databases to restore it into."""
    folder = tmp_path_factory.mktemp("restore")
    source = Database(folder / "source.duckdb")
    sample.load_sample(source, today=TODAY)
    data = export.export_archive(source).data
    expected = {table: source.cursor().execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
                for table in source.tables() if table != "schema_migrations"}
    source.close()
    state = {"db": Database(folder / "empty-0.duckdb"), "n": 0}

    def empty() -> Database:
        if state["db"].has_data():  # a mutation that did not matter restored it: take a new empty one
            state["db"].close()
            state["n"] += 1
            state["db"] = Database(folder / f"empty-{state['n']}.duckdb")
        return state["db"]
    yield data, expected, empty
    state["db"].close()


@BOUNDED
@given(st.binary(max_size=3000))
def test_random_bytes_are_refused_as_an_archive_and_write_nothing(restore_case, data):
    _, _, empty = restore_case
    target = empty()
    with pytest.raises(export.RestoreRefused):
        export.restore_archive(target, data)
    assert not target.has_data()


@BOUNDED
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10 ** 6), st.integers(0, 255)), min_size=1, max_size=4))
def test_a_mutated_archive_is_restored_exactly_or_refused_with_nothing_written(restore_case, changes):
    data, expected, empty = restore_case
    target = empty()
    try:
        export.restore_archive(target, mutated(data, changes))
    except export.RestoreRefused:
        assert not target.has_data()
    else:  # the bytes changed were ones a reader ignores (a timestamp, a comment): every row is as exported
        assert {table: target.cursor().execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
                for table in expected} == expected
