"""Export to a ZIP and restore into an empty database: every table, every type, nothing lost or mixed."""
import contextlib
import csv
import datetime as dt
import io
import json
import os
import zipfile

import pytest

from lib import cli, export, importer, sample, settings, spreadsheet
from lib.db import Database, migrations
from lib.debriefs import Debrief, Interviewer, Question, save_debrief

TRICKY = 'Acme, "Ltd"\nsecond line 😀 שלום <b>bold</b> \'; DROP TABLE questions; --'
ZONE = "Europe/Berlin"


def add_tricky_debrief(db) -> int:
    return save_debrief(db, Debrief(
        company=TRICKY[:150], role="", starts_at=dt.datetime(2026, 3, 2, 10, 30), time_zone=ZONE,
        interviewers=[Interviewer("Zoë O'Neil", "Head of Data"), Interviewer("رضا", "")],
        went_well=["On time", "Kept it short, mostly"], to_improve=[TRICKY[:400]],
        questions=[Question("Why us?", TRICKY, 7), Question("Salary?", "", 3, "salary")],
        key_topics="", next_steps="Call\nnext week", may_follow_up=False,
        expected_response_by=dt.date(2026, 3, 20)), today=dt.date(2026, 3, 30))


@pytest.fixture
def full_db(fresh_db):
    """Sample data (every kind of record) plus a debrief of awkward text, in Berlin time."""
    settings.put(fresh_db, "time_zone", ZONE)
    sample.load_sample(fresh_db, today=dt.date(2026, 3, 30))
    add_tricky_debrief(fresh_db)
    return fresh_db


@pytest.fixture
def restored(full_db, tmp_path):
    """A second, new database with the export of `full_db` restored into it."""
    target = Database(tmp_path / "restored.duckdb")
    export.restore_archive(target, export.export_archive(full_db).data)
    yield target
    target.close()


def contents(db) -> dict[str, list[tuple]]:
    cursor = db.cursor()
    return {table: cursor.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall() for table in db.tables()}


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# -- what the archive holds ------------------------------------------------------------------

def test_the_archive_holds_one_csv_per_table_of_the_catalog_and_a_manifest(full_db):
    files = members(export.export_archive(full_db).data)
    tables = {name.removeprefix("tables/").removesuffix(".csv") for name in files if name.startswith("tables/")}
    assert tables == set(full_db.tables())
    assert "manifest.json" in files


def test_the_manifest_gives_schema_version_row_counts_and_export_time(full_db):
    manifest = json.loads(members(export.export_archive(full_db).data)["manifest.json"])
    assert manifest["format"] == "debrief-export"
    assert manifest["schema_version"] == len(migrations()) == full_db.schema_version()
    assert {table: entry["rows"] for table, entry in manifest["tables"].items()} == full_db.row_counts()
    assert dt.datetime.fromisoformat(manifest["exported_at"]).tzinfo is not None


def test_instants_are_written_in_utc_with_their_offset(full_db):
    interviews = members(export.export_archive(full_db).data)["tables/interviews.csv"].decode()
    # 10:30 in Berlin on 2 March (UTC+1) is 09:30 UTC.
    assert "2026-03-02 09:30:00.000000+00" in interviews


# -- the round trip --------------------------------------------------------------------------

def test_a_restored_database_holds_every_table_exactly_as_exported(full_db, restored):
    assert contents(restored) == contents(full_db)


def test_text_with_commas_quotes_newlines_emoji_and_right_to_left_survives(full_db, restored):
    answers = [row[0] for row in restored.cursor().execute("SELECT answer_note FROM questions "
                                                          "WHERE answer_note LIKE 'Acme%'").fetchall()]
    assert answers == [TRICKY]


def test_empty_text_and_missing_values_stay_different(full_db, restored):
    # role '' (given as blank) is not NULL; source NULL (never given) is not ''.
    row = restored.cursor().execute("SELECT role, source FROM applications WHERE company = $c", {"c": TRICKY[:150]}).fetchone()
    assert row == ("", None)


def test_instants_dates_and_booleans_keep_their_types(full_db, restored):
    query = "SELECT starts_at, expected_response_by, may_follow_up, key_topics FROM interviews WHERE time_zone = $z AND may_follow_up = false"
    before = full_db.cursor().execute(query, {"z": ZONE}).fetchone()
    after = restored.cursor().execute(query, {"z": ZONE}).fetchone()
    assert after == before
    assert after[0] == dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert after[1:] == (dt.date(2026, 3, 20), False, None)


def test_new_records_after_a_restore_get_fresh_ids(full_db, restored):
    highest = restored.cursor().execute("SELECT max(id) FROM interviews").fetchone()[0]
    new_id = save_debrief(restored, Debrief(company="Fabrikam", starts_at=dt.datetime(2026, 3, 25, 9), time_zone=ZONE,
                                            questions=[Question("Why us?", "", 5)]), today=dt.date(2026, 3, 30))
    assert new_id == highest + 1


def test_a_table_added_by_a_later_migration_goes_through_without_a_change_to_the_export(tmp_path, monkeypatch):
    later = migrations() + [(999, "later_feature", """
        CREATE TABLE later_feature (id INTEGER, tags VARCHAR[], weight DOUBLE, seen TIMESTAMPTZ, ok BOOLEAN, info STRUCT(a VARCHAR));
        INSERT INTO later_feature VALUES (1, ['a,b', 'c"d', NULL], 0.1, TIMESTAMPTZ '2026-01-02 03:04:05.678901+00', NULL, {'a': 'x,y'}),
                                         (2, [], 1e300, NULL, true, NULL);""")]
    monkeypatch.setattr("lib.db.migrations", lambda: later)
    monkeypatch.setattr("lib.export.migrations", lambda: later)
    source, target = Database(tmp_path / "a.duckdb"), Database(tmp_path / "b.duckdb")
    target.cursor().execute("DELETE FROM later_feature")  # the migration's rows: the target must start empty
    export.restore_archive(target, export.export_archive(source).data)
    assert contents(target)["later_feature"] == contents(source)["later_feature"]


def test_the_report_is_identical_after_a_round_trip(full_db, restored):
    report = pytest.importorskip("lib.report")
    as_of = dt.date(2026, 3, 30)
    assert report.build_report(restored, as_of) == report.build_report(full_db, as_of)


def test_report_json_from_the_command_line_is_identical_after_a_round_trip(db_path, tmp_path, capsys):
    pytest.importorskip("lib.report")
    db = Database(db_path)
    settings.put(db, "time_zone", ZONE)
    sample.load_sample(db, today=dt.date(2026, 3, 30))
    db.close()
    archive, copy = tmp_path / "export.zip", tmp_path / "copy.duckdb"
    assert cli.main(["export", str(archive), "--db", str(db_path)]) == 0
    assert cli.main(["restore", str(archive), "--db", str(copy)]) == 0
    capsys.readouterr()
    outputs = []
    for path in (db_path, copy):
        assert cli.main(["report", "--json", "--as-of", "2026-03-30", "--db", str(path)]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and json.loads(outputs[0])


# -- refusals: a message, and nothing written ------------------------------------------------

def test_restore_refuses_a_database_that_already_holds_data(full_db):
    data = export.export_archive(full_db).data
    before = contents(full_db)
    with pytest.raises(export.RestoreRefused, match="already holds data.*new file"):
        export.restore_archive(full_db, data)
    assert contents(full_db) == before


def test_restore_refuses_an_export_of_another_schema_version(full_db, tmp_path):
    files = members(export.export_archive(full_db).data)
    manifest = json.loads(files["manifest.json"])
    manifest["schema_version"] += 1
    files["manifest.json"] = json.dumps(manifest).encode()
    target = Database(tmp_path / "new.duckdb")
    with pytest.raises(export.RestoreRefused, match="made by a newer Debrief"):
        export.restore_archive(target, rezip(files))
    assert not target.has_data()


def damaged(files: dict[str, bytes], change: str) -> dict[str, bytes]:
    files = dict(files)
    if change == "no manifest":
        del files["manifest.json"]
    elif change == "manifest not JSON":
        files["manifest.json"] = b"{not json"
    elif change == "a table missing":
        del files["tables/questions.csv"]
    elif change == "a row removed":
        files["tables/questions.csv"] = b"\n".join(files["tables/questions.csv"].split(b"\n")[:-2]) + b"\n"
    elif change == "a column renamed":
        files["tables/questions.csv"] = files["tables/questions.csv"].replace(b"wording", b"question", 1)
    elif change == "a score out of range":
        header, first, *rest = files["tables/questions.csv"].split(b"\n")
        files["tables/questions.csv"] = b"\n".join([header, first.rsplit(b",", 2)[0] + b",11,", *rest])
    return files


@pytest.mark.parametrize("change, message", [
    ("no manifest", "no manifest.json"),
    ("manifest not JSON", "damaged"),
    ("a table missing", "lacks tables/questions.csv"),
    ("a row removed", "manifest says"),
    ("a column renamed", "has the columns"),
    ("a score out of range", "could not be loaded"),
])
def test_restore_refuses_a_damaged_archive_and_writes_nothing(full_db, tmp_path, change, message):
    files = damaged(members(export.export_archive(full_db).data), change)
    target = Database(tmp_path / "new.duckdb")
    with pytest.raises(export.RestoreRefused, match=message):
        export.restore_archive(target, rezip(files))
    assert not target.has_data()
    assert target.cursor().execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migrations())


def test_restore_refuses_a_file_that_is_not_a_zip(fresh_db):
    with pytest.raises(export.RestoreRefused, match="not a ZIP file"):
        export.restore_archive(fresh_db, b"company,role\nContoso,Analyst\n")


def damaged_on_disk(data: bytes, member: str, stored: bool) -> bytes:
    """The archive with bytes flipped inside one member: stored, a bad CRC; compressed, a broken stream."""
    if stored:
        data = rezip(members(data))
    header = zipfile.ZipFile(io.BytesIO(data)).getinfo(member).header_offset
    name_length, extra_length = (int.from_bytes(data[header + at:header + at + 2], "little") for at in (26, 28))
    start = header + 30 + name_length + extra_length  # the member's data, after its local header
    damaged = bytearray(data)
    for i in range(start + 10, start + 40):
        damaged[i] ^= 0xFF
    return bytes(damaged)


@pytest.mark.parametrize("member", ["manifest.json", "tables/questions.csv"])
@pytest.mark.parametrize("stored", [True, False], ids=["bad CRC", "broken compressed data"])
def test_restore_refuses_a_zip_damaged_on_disk_and_writes_nothing(full_db, tmp_path, member, stored):
    data = damaged_on_disk(export.export_archive(full_db).data, member, stored)
    target = Database(tmp_path / "new.duckdb")
    with pytest.raises(export.RestoreRefused, match=f"ZIP is damaged: {member} cannot be read"):
        export.restore_archive(target, data)
    assert not target.has_data()


def test_the_cli_refuses_a_damaged_zip_without_a_traceback(full_db, tmp_path, capsys):
    archive = tmp_path / "export.zip"
    archive.write_bytes(damaged_on_disk(export.export_archive(full_db).data, "tables/questions.csv", stored=True))
    assert cli.main(["restore", str(archive), "--db", str(tmp_path / "new.duckdb")]) == 1
    assert "ZIP is damaged" in capsys.readouterr().err


MANIFEST_EDITS = {
    "a table without rows": lambda manifest: manifest["tables"]["questions"].pop("rows"),
    "rows as text": lambda manifest: manifest["tables"]["questions"].update(rows="12"),
    "a table entry that is a list": lambda manifest: manifest["tables"].update(questions=["questions.csv", 12]),
    "columns that are not pairs": lambda manifest: manifest["tables"]["questions"].update(columns=["id", "wording"]),
    "a sequence value as text": lambda manifest: manifest["sequences"].update({name: "7" for name in manifest["sequences"]}),
    "sequences as a list": lambda manifest: manifest.update(sequences=[1, 2, 3]),
}


@pytest.mark.parametrize("edit", MANIFEST_EDITS)
def test_restore_refuses_an_edited_manifest_and_writes_nothing(full_db, tmp_path, edit):
    files = members(export.export_archive(full_db).data)
    manifest = json.loads(files["manifest.json"])
    MANIFEST_EDITS[edit](manifest)
    files["manifest.json"] = json.dumps(manifest).encode()
    target = Database(tmp_path / "new.duckdb")
    with pytest.raises(export.RestoreRefused, match="changed after export"):
        export.restore_archive(target, rezip(files))
    assert not target.has_data()


# -- the import-format files -----------------------------------------------------------------

def test_the_import_format_files_import_back_into_an_empty_database(full_db, tmp_path):
    files = members(export.export_archive(full_db).data)
    target = Database(tmp_path / "spreadsheet.duckdb")
    settings.put(target, "time_zone", ZONE)
    plan = importer.plan_import(target, [(name, files[f"import-format/{name}"]) for name in ("applications.csv", "questions.csv")],
                                today=dt.date(2026, 3, 30))
    assert [str(error) for error in plan.errors] == []
    importer.apply_import(target, plan)
    query = ("SELECT a.company, i.starts_at, q.wording, q.answer_note, q.score FROM questions q "
             "JOIN interviews i ON i.id = q.interview_id JOIN applications a ON a.id = i.application_id "
             "WHERE NOT i.is_sample ORDER BY ALL")
    assert target.cursor().execute(query).fetchall() == full_db.cursor().execute(query).fetchall()


def test_the_import_format_leaves_out_sample_data_and_says_so(full_db):
    export_ = export.export_archive(full_db)
    questions = members(export_.data)["import-format/questions.csv"].decode()
    assert questions.startswith(importer.template(importer.QUESTIONS).strip())
    assert questions.count("Why us?") == 1  # only the tricky debrief; the sample's questions are left out
    assert export_.manifest["import_format"]["left_out"]["sample_applications"] > 0


# -- files and the command line --------------------------------------------------------------

def test_the_cli_writes_an_owner_only_export_and_restores_it(db_path, tmp_path, capsys):
    Database(db_path).close()
    archive = tmp_path / "export.zip"
    assert cli.main(["export", str(archive), "--db", str(db_path)]) == 0
    assert "Exported" in capsys.readouterr().out
    assert os.stat(archive).st_mode & 0o077 == 0
    assert cli.main(["restore", str(archive), "--db", str(tmp_path / "copy.duckdb")]) == 0
    assert "Restored" in capsys.readouterr().out


def test_the_cli_says_an_export_could_not_be_written_without_a_traceback(db_path, tmp_path, monkeypatch, capsys):
    @contextlib.contextmanager
    def a_folder_gone_missing(db, purpose):  # DuckDB's COPY of each table into it fails, as on a full disk
        yield tmp_path / "gone"

    Database(db_path).close()
    monkeypatch.setattr(export, "work_folder", a_folder_gone_missing)
    archive = tmp_path / "export.zip"
    assert cli.main(["export", str(archive), "--db", str(db_path)]) == 2
    assert "export could not be written" in capsys.readouterr().err
    assert not archive.exists()


def test_the_cli_never_overwrites_an_existing_file(db_path, tmp_path, capsys):
    archive = tmp_path / "export.zip"
    archive.write_text("my other file")
    assert cli.main(["export", str(archive), "--db", str(db_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert archive.read_text() == "my other file"


def test_the_cli_refuses_to_restore_into_a_database_with_data(full_db, db_path, tmp_path, capsys):
    archive = tmp_path / "export.zip"
    archive.write_bytes(export.export_archive(full_db).data)
    full_db.close()
    assert cli.main(["restore", str(archive), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "already holds data" in err and "Nothing was written" in err and "Traceback" not in err


# -- text a spreadsheet would run as a formula --------------------------------------------------

FORMULAS = ['=HYPERLINK("http://example.com/x","open")', "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)",
            "'=already quoted", "''-twice", "a = b, not a formula"]


def add_formula_debrief(db) -> None:
    for n, text in enumerate(FORMULAS):
        save_debrief(db, Debrief(
            company=text, role=text, starts_at=dt.datetime(2026, 3, 2 + n, 10, 30), time_zone=ZONE,
            interviewers=[Interviewer(text, "")], went_well=[text], to_improve=[],
            questions=[Question(text, text, 5)], key_topics=text, next_steps="", may_follow_up=False,
            expected_response_by=None), today=dt.date(2026, 3, 30))


def spreadsheet_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode())) for cell in row]


@pytest.mark.parametrize("member", ["import-format/questions.csv", "import-format/applications.csv",
                                    "tables/applications.csv", "tables/questions.csv", "tables/interviews.csv"])
def test_no_exported_cell_starts_like_a_formula(fresh_db, member):
    add_formula_debrief(fresh_db)
    cells = spreadsheet_cells(members(export.export_archive(fresh_db).data)[member])
    assert "'" + FORMULAS[0] in cells  # the text is there, quoted
    assert [cell for cell in cells if cell[:1] in spreadsheet.FORMULA_START] == []


def test_formula_text_comes_back_exactly_through_restore(fresh_db, tmp_path):
    add_formula_debrief(fresh_db)
    target = Database(tmp_path / "restored.duckdb")
    export.restore_archive(target, export.export_archive(fresh_db).data)
    assert contents(target) == contents(fresh_db)


def test_formula_text_comes_back_exactly_through_the_import_format(fresh_db, tmp_path):
    add_formula_debrief(fresh_db)
    files = members(export.export_archive(fresh_db).data)
    target = Database(tmp_path / "spreadsheet.duckdb")
    plan = importer.plan_import(target, [(name, files[f"import-format/{name}"])
                                         for name in ("applications.csv", "questions.csv")], today=dt.date(2026, 3, 30))
    importer.apply_import(target, plan)
    query = "SELECT a.company, a.role, q.wording, q.answer_note FROM questions q JOIN interviews i ON i.id = q.interview_id " \
            "JOIN applications a ON a.id = i.application_id ORDER BY ALL"
    assert target.cursor().execute(query).fetchall() == fresh_db.cursor().execute(query).fetchall()
    assert sorted(row[0] for row in target.cursor().execute(query).fetchall()) == sorted(FORMULAS)


@pytest.mark.parametrize("text", [*FORMULAS, "", "'", "'x", "\t=x", "\r\n-", "'''@", "plain", "-"])
def test_the_sql_and_python_spreadsheet_rules_agree_and_invert(fresh_db, text):
    sql = export._fragment("spreadsheet_safe_text", column="$text")
    back = export._fragment("spreadsheet_text_as_typed", column=f"({sql})")
    safe, typed = fresh_db.cursor().execute(f"SELECT {sql}, {back}", {"text": text}).fetchone()
    assert safe == spreadsheet.safe_cell(text)
    assert typed == spreadsheet.typed_cell(safe) == text
