"""Fields declared once (lib/fields.py): the declarations drive the record, the import and the export."""
import csv
import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from lib import export, fields, importer
from lib.applications import APPLICATION_FIELDS, Application, add_application, application_row, get_application

DOCS = Path(__file__).resolve().parent.parent / "docs" / "import-format.md"


def test_the_application_record_has_the_declared_fields_in_order():
    assert tuple(f.name for f in dataclasses.fields(Application)) == fields.names(APPLICATION_FIELDS)
    assert tuple(application_row(Application("Contoso"))) == fields.names(APPLICATION_FIELDS)


@pytest.mark.parametrize("kind, declared", [(importer.APPLICATIONS, APPLICATION_FIELDS),
                                            (importer.QUESTIONS, importer.QUESTION_FIELDS)])
def test_the_import_columns_required_columns_and_template_come_from_the_declaration(kind, declared):
    assert importer.COLUMNS[kind] == tuple(field.name for field in declared)
    assert importer.REQUIRED[kind] == tuple(field.name for field in declared if field.required)
    assert importer.template(kind) == ",".join(field.name for field in declared) + "\n"
    listed = re.findall(r"`([a-z_]+)`(\\\*)?", importer.column_list(kind))
    assert [(name, bool(star)) for name, star in listed] == [(field.name, field.required) for field in declared]


def test_every_declared_parser_reads_a_blank_optional_cell():
    for declared in importer.FIELDS.values():
        for field in declared:
            if not field.required:
                fields.csv_parser(field, dt.date(2026, 3, 1))("")  # no Invalid


def import_format_headers(db) -> dict[str, list[str]]:
    with zipfile.ZipFile(io.BytesIO(export.export_archive(db).data)) as archive:
        return {name: next(csv.reader(io.StringIO(archive.read(f"import-format/{name}").decode())))
                for name in ("applications.csv", "questions.csv")}


def test_the_export_columns_are_the_declared_fields_in_declared_order(fresh_db):
    add_application(fresh_db, Application("Contoso", "Analyst", dt.date(2026, 3, 1), source="Referral"))
    headers = import_format_headers(fresh_db)
    assert headers["applications.csv"] == list(fields.names(APPLICATION_FIELDS))
    assert headers["questions.csv"] == list(fields.names(importer.QUESTION_FIELDS))


def test_an_exported_application_imports_back_field_for_field(fresh_db, tmp_path):
    from lib.db import Database
    app = Application("Contoso", "Analyst", dt.date(2026, 3, 1), status="offer", closed_on=dt.date(2026, 3, 20),
                      source="Referral, via Ana", notes="=SUM(A1)\nsecond line")
    add_application(fresh_db, app)
    with zipfile.ZipFile(io.BytesIO(export.export_archive(fresh_db).data)) as archive:
        data = archive.read("import-format/applications.csv")
    target = Database(tmp_path / "target.duckdb")
    target.migrate()
    importer.apply_import(target, importer.plan_import(target, [("applications.csv", data)], today=dt.date(2026, 4, 1)))
    assert get_application(target, 1) == app
    target.close()


def test_the_import_format_doc_lists_every_application_field_in_order():
    text = DOCS.read_text(encoding="utf-8")
    table = text[text.index("## Applications file"):].split("\n\n")[2]
    rows = re.findall(r"^\| `([a-z_]+)` \| (yes|no) \|", table, re.MULTILINE)
    assert rows == [(field.name, "yes" if field.required else "no") for field in APPLICATION_FIELDS]


def test_an_interviews_declared_fields_are_debrief_attributes_stored_and_read_back(fresh_db):
    from lib.debriefs import INTERVIEW_FIELDS, Debrief, load_debrief, save_debrief
    debrief_fields = {f.name for f in dataclasses.fields(Debrief)}
    assert set(fields.names(INTERVIEW_FIELDS)) <= debrief_fields
    assert set(fields.names(INTERVIEW_FIELDS)) <= {name for name, _ in fresh_db.columns("interviews")}
    given = dict(round=2, stage="Panel", format="video", key_topics="SQL", next_steps="Wait",
                 timeline_given="next week", may_follow_up=False)
    interview_id = save_debrief(fresh_db, Debrief("Contoso", "Analyst", starts_at=dt.datetime(2026, 3, 2, 10), **given))
    stored = load_debrief(fresh_db, interview_id)
    assert {name: getattr(stored, name) for name in given} == given
    blank = load_debrief(fresh_db, save_debrief(fresh_db, Debrief("Contoso", "Analyst", starts_at=dt.datetime(2026, 3, 3, 10))))
    assert {name: getattr(blank, name) for name in given} == {f.name: f.default for f in INTERVIEW_FIELDS}
