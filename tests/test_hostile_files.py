"""Hostile files (issue 13): archives to restore, outputs pointed at inputs, other programs' DuckDB
files and spreadsheet cells. Each case asserts the message a person sees and that the database
is unchanged."""
import datetime as dt
import hashlib
import io
import json
import os
import random
import signal
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest
import time_machine

from lib import cli, export, importer, sample
from lib.db import Database
from lib.debriefs import Debrief, Question, save_debrief

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 3, 30)


# -- archives ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def good_export(tmp_path_factory) -> bytes:
    """One real export (sample data) that the cases below damage."""
    db = Database(tmp_path_factory.mktemp("source") / "source.duckdb")
    sample.load_sample(db, today=TODAY)
    data = export.export_archive(db).data
    db.close()
    return data


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_manifest(data: bytes, change) -> bytes:
    files = members(data)
    manifest = json.loads(files["manifest.json"])
    change(manifest)
    files["manifest.json"] = json.dumps(manifest).encode()
    return rezip(files)


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    return rezip({**members(data), name: content})


def central_entries(raw: bytes):
    """(offset, name) of each entry of a ZIP's central directory."""
    at = raw.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack("<H", raw[at + 28:at + 30])[0]
        yield at, bytes(raw[at + 46:at + 46 + name_length]).decode()
        at = raw.find(b"PK\x01\x02", at + 46 + name_length)


def claimed_size(data: bytes, member: str, size: int, compressed: int | None = None) -> bytes:
    """The archive with `member`'s uncompressed (and compressed) size in the central directory changed: a lie."""
    raw = bytearray(data)
    for at, name in central_entries(raw):
        if name == member:
            struct.pack_into("<I", raw, at + 24, size)
            if compressed is not None:
                struct.pack_into("<I", raw, at + 20, compressed)
            return bytes(raw)
        at = raw.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{member} not in the central directory")


def unknown_method(data: bytes) -> bytes:
    """Every member marked as compressed with method 99, which no ZIP reader knows."""
    raw = bytearray(data)
    for at, _ in list(central_entries(raw)):
        struct.pack_into("<H", raw, at + 10, 99)
        local = struct.unpack("<I", raw[at + 42:at + 46])[0]
        struct.pack_into("<H", raw, local + 8, 99)
    return bytes(raw)


def zeros_member(size: int) -> bytes:
    """A deflated ZIP holding one table file of `size` zero bytes (compresses about 1,000 times)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("tables/questions.csv", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                member.write(block)
        archive.writestr("manifest.json", "{}")
    return buffer.getvalue()


def manifest_case(change):
    return lambda data: with_manifest(data, change)


def set_in(path: list, value):
    def change(manifest):
        target = manifest
        for key in path[:-1]:
            target = target[key] if not callable(key) else key(target)
        last = path[-1]
        target[last(target) if callable(last) else last] = value
    return manifest_case(change)


def first_key(mapping):
    return next(iter(mapping))


def edited_migrations_csv(edit):
    """schema_migrations.csv edited, and the manifest's row count with it (so only the content differs)."""
    def damage(data):
        files = members(data)
        lines = edit(files["tables/schema_migrations.csv"].decode().splitlines())
        files["tables/schema_migrations.csv"] = ("\n".join(lines) + "\n").encode()
        manifest = json.loads(files["manifest.json"])
        manifest["tables"]["schema_migrations"]["rows"] = len(lines) - 1
        files["manifest.json"] = json.dumps(manifest).encode()
        return rezip(files)
    return damage


def renamed_migration(lines):
    header, first, *rest = lines
    version, name, applied = first.split(",", 2)
    return [header, f"{version},mine,{applied}", *rest]


def extra_migration(lines):
    return [*lines, f"999,from_the_future,{lines[1].split(',', 2)[2]}"]


NOT_A_ZIP = "This is not a ZIP file, or a damaged one."
CHANGED = "was changed after export"
ARCHIVES = {
    # sizes, from the ZIP directory, before anything is decompressed
    "a member that claims 2 GB": (lambda d: claimed_size(d, "tables/questions.csv", 2 ** 31), "would expand to 2,048 MB"),
    "members that claim 3 GB together": (
        lambda d: claimed_size(claimed_size(claimed_size(d, "tables/questions.csv", 2 ** 30 - 1, 2 ** 25),
                                            "tables/interviews.csv", 2 ** 30 - 1, 2 ** 25),
                               "tables/applications.csv", 2 ** 30 - 1, 2 ** 25),
        "The ZIP would expand to 3,072 MB"),
    "a member compressed 1,000 times over": (lambda d: zeros_member(64 << 20), "looks like a ZIP bomb"),
    "1,001 members": (lambda d: rezip({f"f{n}": b"" for n in range(1001)}, zipfile.ZIP_STORED), "holds 1,001 files"),
    "a member that holds more than its header says": (
        lambda d: claimed_size(d, "tables/questions.csv", 10), "tables/questions.csv"),
    "a manifest over 1 MB": (lambda d: with_member(d, "manifest.json", random.Random(0).randbytes(2 << 20)),
                             "manifest.json is over 1,048,576 bytes"),
    # numbers in the manifest
    "a sequence at 10**12": (set_in(["sequences", first_key], 10 ** 12), "is at 1,000,000,000,000"),
    "a negative sequence": (set_in(["sequences", first_key], -5), "is at -5"),
    "a sequence as a fraction": (set_in(["sequences", first_key], 7.5), "whole number (or null)"),
    "a sequence as true": (set_in(["sequences", first_key], True), "whole number (or null)"),
    "a sequence of 5,000 digits": (
        lambda d: with_member(d, "manifest.json", members(d)["manifest.json"].replace(
            b'"sequences": {', b'"sequences": {"x": ' + b"9" * 5000 + b", ", 1)), "not valid JSON"),
    "rows 10**12": (set_in(["tables", "questions", "rows"], 10 ** 12), "the limit is 100,000,000"),
    "negative rows": (set_in(["tables", "questions", "rows"], -1), "needs a whole number of rows"),
    "rows off by one": (set_in(["tables", "applications", "rows"], 0), "the manifest says 0"),
    "schema version 10**12": (set_in(["schema_version"], 10 ** 12), "schema version 1000000000000"),
    "schema version as text": (set_in(["schema_version"], "5"), "schema version '5'"),
    "schema version below ours": (set_in(["schema_version"], 1), "has schema version 1"),
    "migrations as text": (set_in(["migrations"], "all"), "list of [number, name]"),
    "a renamed migration in the manifest": (
        manifest_case(lambda m: m["migrations"][0].__setitem__(1, "mine")), "lists the migrations"),
    "a negative import-format count": (set_in(["import_format", "rows", "questions.csv"], -3), "import_format counts"),
    "an import-format count of 10**12": (set_in(["import_format", "rows", "questions.csv"], 10 ** 12),
                                         "import_format counts"),
    "a manifest nested 100,000 deep": (lambda d: with_member(d, "manifest.json", b"[" * 100_000 + b"]" * 100_000),
                                       "not valid JSON"),
    "a manifest that is a list": (lambda d: with_member(d, "manifest.json", b"[]"), "not a Debrief export's"),
    "format version 2": (set_in(["format_version"], 2), "format version 2"),
    "no manifest": (lambda d: rezip({k: v for k, v in members(d).items() if k != "manifest.json"}), "has no manifest"),
    # schema_migrations as restored
    "an edited schema_migrations row": (edited_migrations_csv(renamed_migration),
                                        "schema_migrations.csv does not match this Debrief"),
    "an extra schema_migrations row": (edited_migrations_csv(extra_migration), "newer Debrief"),
    "a missing schema_migrations row": (edited_migrations_csv(lambda lines: [lines[0], *lines[2:]]),
                                        "skips migration 1"),
    # tables
    "a header of 100 KB": (lambda d: with_member(d, "tables/questions.csv", b"x" * 100_000 + b"\n"), "has the columns"),
    "a table file that is binary": (lambda d: with_member(d, "tables/questions.csv", bytes(range(256)) * 40),
                                    "has the columns"),
    "a table file missing": (lambda d: rezip({k: v for k, v in members(d).items() if k != "tables/questions.csv"}),
                             "lacks tables/questions.csv"),
    "an id that is not a number": (
        lambda d: with_member(d, "tables/questions.csv", members(d)["tables/questions.csv"].replace(b"\n", b"\nx", 1)),
        "could not be loaded"),
    # not a ZIP at all
    "no bytes": (lambda d: b"", NOT_A_ZIP),
    "random bytes": (lambda d: random.Random(1).randbytes(5000), NOT_A_ZIP),
    "a ZIP's end record alone": (lambda d: b"PK\x05\x06" + b"\0" * 18, "has no manifest"),
    "a cut-off ZIP": (lambda d: d[: len(d) // 2], NOT_A_ZIP),
    "a DuckDB file": (lambda d: b"\0" * 8 + b"DUCK" + b"\0" * 4084, NOT_A_ZIP),
    "an unknown compression method": (unknown_method, "The ZIP is damaged: manifest.json cannot be read"),
}


@pytest.mark.parametrize("case", ARCHIVES)
def test_a_hostile_archive_is_refused_with_its_reason_and_the_database_unchanged(good_export, tmp_path, case):
    damage, message = ARCHIVES[case]
    target = Database(tmp_path / "target.duckdb")
    before = target.row_counts()
    with pytest.raises(export.RestoreRefused) as refused:
        export.restore_archive(target, damage(good_export))
    assert message in str(refused.value)
    assert target.row_counts() == before
    assert [path.name for path in tmp_path.iterdir() if "restore" in path.name] == []  # no work folder left
    target.close()


def test_a_zip_bomb_is_refused_from_its_directory_in_milliseconds(tmp_path):
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(zeros_member(64 << 20))
    target = Database(tmp_path / "target.duckdb")
    started = time.perf_counter()
    with pytest.raises(export.RestoreRefused, match="ZIP bomb"):
        export.restore_archive(target, bomb)
    # Generous: the check reads the directory only (about 1 ms); a decompression would take seconds.
    assert time.perf_counter() - started < 1.0


def test_the_command_line_refuses_a_hostile_archive_without_a_traceback(good_export, tmp_path, capsys):
    archive = tmp_path / "hostile.zip"
    archive.write_bytes(with_manifest(good_export, lambda m: m["sequences"].update(x=10 ** 12)))
    db_path = tmp_path / "new.duckdb"
    assert cli.main(["restore", str(archive), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: The manifest.json in the ZIP was changed after export")
    assert "Traceback" not in err and err.rstrip().endswith("Nothing was written.")


def test_a_restore_stopped_by_sigterm_leaves_no_temporary_folder(good_export, tmp_path):
    archive = tmp_path / "export.zip"
    archive.write_bytes(good_export)
    ready = tmp_path / "ready"
    db_path = tmp_path / "db" / "new.duckdb"
    # The child stops inside the load, after the tables are extracted, and waits to be killed.
    child = subprocess.Popen([sys.executable, "-c", (
        "import sys, time, pathlib\n"
        "from lib import cli, export\n"
        "load = export._load\n"
        "def slow_load(*args):\n"
        f"    pathlib.Path({str(ready)!r}).touch()\n"
        "    time.sleep(60)\n"
        "export._load = slow_load\n"
        f"sys.exit(cli.main(['restore', {str(archive)!r}, '--db', {str(db_path)!r}]))\n")],
        cwd=ROOT, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    assert ready.exists(), child.stderr.read().decode()
    assert [p.name for p in db_path.parent.iterdir() if "restore" in p.name]  # the folder is there now
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 128 + signal.SIGTERM
    assert [p.name for p in db_path.parent.iterdir() if "restore" in p.name] == []
    assert not Database(db_path).has_data()


def test_a_folder_left_by_a_killed_restore_is_removed_by_the_next(good_export, tmp_path):
    db_path = tmp_path / "new.duckdb"
    leftover = tmp_path / ".new-restore-1-abcd"
    leftover.mkdir()
    (leftover / "000.csv").write_text("someone's notes")
    target = Database(db_path)
    export.restore_archive(target, good_export)
    assert not leftover.exists()
    assert target.has_data()


# -- outputs never destroy inputs -------------------------------------------------------------

def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def saved_db(tmp_path) -> Path:
    """A database with a debrief and a backup beside it, closed, ready for commands to open."""
    db_path = tmp_path / "debrief.duckdb"
    db = Database(db_path)
    save_debrief(db, Debrief(company="Contoso", starts_at=dt.datetime(2026, 3, 2, 10), time_zone="UTC",
                             questions=[Question("Why us?", "BEGIN:VEVENT\nEND:VEVENT", 6)]), today=TODAY)
    from lib import backup
    backup.write_backup(db, tmp_path / "backups" / "debrief-2026-03-01-000000.duckdb")
    db.close()
    return db_path


TARGETS = {
    "the database": lambda db: db,
    "the database by another path": lambda db: db.parent / "sub" / ".." / db.name,
    "a symlink to the database": lambda db: _link(db.parent / "link.ics", db, symbolic=True),
    "a hard link to the database": lambda db: _link(db.parent / "hard.ics", db, symbolic=False),
    "the database's .wal": lambda db: db.with_name(db.name + ".wal"),
    "a backup": lambda db: db.parent / "backups" / "debrief-2026-03-01-000000.duckdb",
    "another DuckDB file": lambda db: _other_duckdb(db.parent / "other.duckdb"),
}


def _link(link: Path, target: Path, *, symbolic: bool) -> Path:
    (link.symlink_to if symbolic else link.hardlink_to)(target)
    return link


def _other_duckdb(path: Path) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE t (x INTEGER)")
    return path


COMMANDS = {
    "calendar": lambda out: ["calendar", str(out)],
    "summary": lambda out: ["summary", "--out", str(out)],
    "export": lambda out: ["export", str(out)],
    "backup": lambda out: ["backup", str(out)],
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("command", COMMANDS)
def test_no_command_writes_over_the_database_its_log_or_a_backup(saved_db, capsys, command, target):
    (saved_db.parent / "sub").mkdir()
    out = TARGETS[target](saved_db)
    watched = [saved_db, saved_db.parent / "backups" / "debrief-2026-03-01-000000.duckdb"]
    if out.exists():
        watched.append(out)
    before = {path: fingerprint(path) for path in watched}
    status = cli.main([*COMMANDS[command](out), "--db", str(saved_db)])
    err = capsys.readouterr().err
    assert status != 0
    assert "Debrief never writes an output over it" in err or "already exists" in err, err
    assert {path: fingerprint(path) for path in watched} == before
    db = Database(saved_db)
    assert db.row_counts()["questions"] == 1
    db.close()


@pytest.mark.parametrize("command", ["calendar", "summary"])
def test_a_full_disk_leaves_the_old_output_and_no_partial_file(saved_db, capsys, monkeypatch, command):
    out = saved_db.parent / "out.txt"
    out.write_text("yesterday's file")

    def full(_descriptor):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    assert cli.main([*COMMANDS[command](out), "--db", str(saved_db)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_text() == "yesterday's file"
    assert sorted(path.name for path in saved_db.parent.iterdir() if ".partial" in path.name) == []


def test_wrote_n_events_counts_events_not_the_words_begin_vevent_in_a_name(tmp_path, capsys):
    db_path = tmp_path / "debrief.duckdb"
    db = Database(db_path)
    save_debrief(db, Debrief(company="BEGIN:VEVENT Ltd", starts_at=dt.datetime(2026, 3, 2, 10), time_zone="UTC",
                             questions=[Question("Why us?", "", 6)]), today=TODAY)
    db.close()
    out = tmp_path / "debrief.ics"
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False):
        assert cli.main(["calendar", str(out), "--db", str(db_path)]) == 0
    assert out.read_bytes().count(b"BEGIN:VEVENT") > 3  # the company's name is in the events' text
    # The thank-you deadline, the expected response and the follow-up.
    assert capsys.readouterr().out.startswith("Wrote 3 events to ")


# -- other programs' DuckDB files -------------------------------------------------------------

FOREIGN = {
    "unrelated tables": "CREATE TABLE sales (id INTEGER); INSERT INTO sales VALUES (1)",
    "a clashing applications table": "CREATE TABLE applications (id INTEGER, name VARCHAR)",
    "a clashing questions table with rows": "CREATE TABLE questions (id INTEGER); INSERT INTO questions VALUES (1)",
    "a view only": "CREATE VIEW v AS SELECT 1 AS x",
    "a sequence only": "CREATE SEQUENCE applications_id_seq",
    "a table in another schema": "CREATE SCHEMA s; CREATE TABLE s.t (x INTEGER)",
    "a schema_migrations of other columns": "CREATE TABLE schema_migrations (id UUID, applied BOOLEAN)",
    "an empty schema_migrations beside a table": "CREATE TABLE schema_migrations (version INTEGER, name VARCHAR); "
                                                 "CREATE TABLE applications (x INTEGER)",
}


@pytest.mark.parametrize("case", FOREIGN)
@pytest.mark.parametrize("command", [["report"], ["calendar", "{out}"], ["import-csv", "{csv}"]])
def test_another_programs_duckdb_file_is_refused_by_every_command(tmp_path, capsys, case, command):
    db_path = tmp_path / "theirs.duckdb"
    with duckdb.connect(str(db_path)) as connection:
        connection.execute(FOREIGN[case])
    before = fingerprint(db_path)
    csv_file = tmp_path / "q.csv"
    csv_file.write_text("company,interview_at,question,score\nContoso,2026-03-12,Why?,7\n")
    args = [part.format(out=tmp_path / "out.ics", csv=csv_file) for part in command]
    assert cli.main([*args, "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: The file {db_path} is a DuckDB database, but not one this Debrief can use")
    assert "Debrief has not changed it" in err
    assert fingerprint(db_path) == before
    assert not (tmp_path / "out.ics").exists() and not (tmp_path / "backups").exists()


# -- spreadsheet cells and digits in the import -----------------------------------------------

HEADER = "company,role,interview_at,round,question,score"


@pytest.mark.parametrize("cell, message", [
    ("٧", "type '7'"), ("۹", "type '9'"), ("７", "type '7'"), ("१", "type '1'"), ("১০", "type '10'"),
    ("๕", "type '5'"), ("߃", "type '3'"), ("𝟕", "type '7'"), ("7٠", "type '70'"), ("²", "not '²'"),
])
def test_a_score_in_other_digits_is_refused_at_its_line(fresh_db, cell, message):
    data = f"{HEADER}\nContoso,Analyst,2026-03-12 14:30,,Why?,{cell}\n".encode()
    plan = importer.plan_import(fresh_db, [("q.csv", data)], today=TODAY)
    assert [str(error).split(": ", 1)[0] for error in plan.errors] == ["q.csv:2"]
    assert message in str(plan.errors[0])
    assert fresh_db.row_counts()["questions"] == 0


@pytest.mark.parametrize("cell", ["'=1+1", "'+SUM(A1)", "'-2", "'@x", "''=twice"])
def test_a_quoted_formula_cell_is_imported_without_its_first_quote(fresh_db, cell):
    data = f"{HEADER}\n{cell},Analyst,2026-03-12 14:30,,Why?,7\n".encode()
    importer.apply_import(fresh_db, importer.plan_import(fresh_db, [("q.csv", data)], today=TODAY))
    assert fresh_db.cursor().execute("SELECT company FROM applications").fetchall() == [(cell[1:],)]


# -- database errors on the command line are messages (a full disk, a file damaged part-way) ----------

EXAMPLE_QUESTIONS = Path(__file__).parent / "fixtures" / "import-example" / "questions.csv"


@pytest.mark.parametrize("error, message", [
    (duckdb.IOException("Could not write file: No space left on device"), "Check that the disk has free space"),
    (duckdb.IOException("Could not write file: Read-only file system"), "the folder can be written to"),
    (duckdb.Error("Corrupt database file: block checksum mismatch"), "damaged"),
])
@pytest.mark.parametrize("command", [
    ["import-csv", str(EXAMPLE_QUESTIONS), "--no-index"],
    ["report", "--json"],
    ["calendar", "{tmp}/diary.ics"],
])
def test_a_database_error_mid_command_is_a_message_and_nothing_is_half_written(
        tmp_path, monkeypatch, capsys, error, message, command):
    db_path = tmp_path / "debrief.duckdb"
    Database(db_path).close()

    class FailsOnceOpen(Database):
        """Opens as usual, then every read and every commit meets `error`."""
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.opened = True

        def query(self, *args, **kwargs):
            if getattr(self, "opened", False):
                raise error
            return super().query(*args, **kwargs)

        def transaction(self, *args, **kwargs):
            if getattr(self, "opened", False):
                raise error
            return super().transaction(*args, **kwargs)
    monkeypatch.setattr(cli, "Database", FailsOnceOpen)
    argv = [part.format(tmp=tmp_path) for part in command] + ["--db", str(db_path)]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    monkeypatch.undo()
    db = Database(db_path)
    assert not db.has_data()
    db.close()
    assert not (tmp_path / "diary.ics").exists()
