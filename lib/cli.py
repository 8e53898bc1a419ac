"""`python -m lib COMMAND …`: the command line, calling the same functions as the pages.

`python -m lib --help` lists the commands; every command takes `--db PATH`.

Decisions: docs/decisions.md, 'The command line'.
"""
from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading
from pathlib import Path

import duckdb

from .db import Database, DatabaseError, explain_error, resolve_db_path
from .questions.embedding import EmbeddingUnavailable


def iso_date(text: str) -> dt.date:
    """A YYYY-MM-DD argument, or a message that says what is wrong with it."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date; write it as YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib", description="Debrief from the command line.")
    commands = parser.add_subparsers(dest="command", required=True)

    importing = commands.add_parser("import-csv", help="import questions/applications CSV files (all or nothing)")
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importing.add_argument("--no-index", action="store_true",
                           help="skip building the 'Asked before?' index after the import (do it later: index)")
    importing.add_argument("--db", type=Path)

    demo = commands.add_parser("demo", help="add a synthetic history of N interviews (deterministic per seed)")
    demo.add_argument("--interviews", type=int, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=0, metavar="S")
    demo.add_argument("--until", type=iso_date, default=None, metavar="YYYY-MM-DD",
                      help="the last day of the history (default: today)")
    # Required, so that synthetic interviews never land in the real database by default.
    demo.add_argument("--db", type=Path, required=True)

    report = commands.add_parser("report", help="the coaching report: text, or JSON per docs/report-json.md")
    report.add_argument("--json", action="store_true", help="machine-readable output")
    report.add_argument("--as-of", type=iso_date, default=None, metavar="YYYY-MM-DD",
                        help="the day the report is computed for (default: today)")
    report.add_argument("--db", type=Path)

    summary = commands.add_parser("summary", help="the review summary: Markdown, or a print-ready HTML page")
    summary.add_argument("--html", action="store_true", help="the print-ready HTML page instead of Markdown")
    summary.add_argument("--last", action="store_true",
                         help="the last finished review (default: the review so far, since the last one)")
    summary.add_argument("--out", type=Path, default=None, metavar="FILE", help="write it here (default: stdout)")
    summary.add_argument("--db", type=Path)

    calendar = commands.add_parser("calendar", help="write an .ics file of deadlines and follow-ups")
    calendar.add_argument("out", type=Path, metavar="OUT.ics")
    calendar.add_argument("--db", type=Path)

    export = commands.add_parser("export", help="write every table and the import-format CSVs to a ZIP")
    export.add_argument("out", type=Path, metavar="FILE.zip")
    export.add_argument("--db", type=Path)

    restore = commands.add_parser("restore", help="load an export ZIP into an empty database")
    restore.add_argument("archive", type=Path, metavar="FILE.zip")
    restore.add_argument("--db", type=Path)

    backup = commands.add_parser("backup", help="a consistent snapshot of the database file")
    backup.add_argument("out", type=Path, nargs="?", default=None, metavar="FILE",
                        help="where to write it (default: a dated file in backups/ next to the database)")
    backup.add_argument("--db", type=Path)

    similar = commands.add_parser("similar", help="the earlier question groups most like each text, best first")
    similar.add_argument("texts", nargs="+", metavar="TEXT")
    similar.add_argument("--limit", type=int, default=3, metavar="N", help="groups per text (default 3)")
    similar.add_argument("--json", action="store_true", help="one JSON object keyed by each text")
    similar.add_argument("--db", type=Path)

    confirm = commands.add_parser("confirm", help="walk the queue of possible repeats: same question or not")
    confirm.add_argument("--db", type=Path)

    index = commands.add_parser("index", help="build the 'Asked before?' index now, with a progress bar")
    index.add_argument("--db", type=Path)
    return parser


class Terminated(SystemExit):
    """SIGTERM, raised where the program is, so that transactions roll back and temporary files go."""


def _stop_on_sigterm(signum, frame) -> None:
    raise Terminated(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        # By default SIGTERM ends the process on the spot: no `finally` runs, so a restore's
        # folder of the user's data would stay behind. As an exception it unwinds like Ctrl-C.
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
    db_path = args.db or resolve_db_path([])
    try:
        db = Database(db_path)
    except DatabaseError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if args.command == "import-csv" and not db.remote:
        # A new process per import: the bank's matcher is loaded from beside the database rather
        # than built each time (lib/questions/matcher.py, keep_in).
        from .questions.matcher import keep_in
        keep_in(Path(db_path).resolve().parent)
    try:
        # Questions written before grouping existed (migration 003) get their group once, here.
        from .questions import assign_missing
        assign_missing(db)
        if args.command == "import-csv":
            from . import importer
            status = importer.run_cli(db, args.files)
            if status == 0 and not args.no_index:
                # The rows are committed already: the index is built after, and Ctrl-C keeps what is done.
                from .questions import commands
                try:
                    commands.run_index(db, quiet=True)
                except KeyboardInterrupt:
                    print("\nIndex stopped; the import is complete. Run `python -m lib index` to finish it.",
                          file=sys.stderr)
                except (EmbeddingUnavailable, duckdb.Error) as problem:
                    # The import is committed: only the index waits (`python -m lib index` later).
                    print(f"warning: the import is complete, but \"Asked before?\" cannot index it: {problem}",
                          file=sys.stderr)
            return status
        if args.command == "demo":
            from . import demo
            return demo.run_cli(db, interviews=args.interviews, seed=args.seed, until=args.until)
        if args.command == "report":
            from . import report
            return report.run_cli(db, as_json=args.json, as_of=args.as_of)
        if args.command == "summary":
            from . import summary
            return summary.run_cli(db, html_page=args.html, last=args.last, out=args.out)
        if args.command == "calendar":
            from . import calendar_ics
            return calendar_ics.run_cli(db, args.out)
        if args.command == "export":
            from . import export
            return export.run_export_cli(db, args.out)
        if args.command == "restore":
            from . import export
            return export.run_restore_cli(db, args.archive)
        if args.command in ("similar", "confirm", "index"):
            from .questions import commands
            try:
                if args.command == "similar":
                    return commands.run_similar(db, args.texts, limit=args.limit, as_json=args.json)
                if args.command == "confirm":
                    return commands.run_confirm(db)
                return commands.run_index(db)
            except EmbeddingUnavailable as problem:
                print(f"error: {problem}", file=sys.stderr)
                return 2
        if args.command == "backup":
            from . import backup
            return backup.run_cli(db, args.out)
    except duckdb.Error as problem:
        # A commit on a full disk or a read-only folder, a file damaged part-way: the message the
        # pages give, never a traceback (a failed commit has rolled back: nothing half-written).
        print(f"error: {explain_error(Path(db_path), problem)}", file=sys.stderr)
        return 1
    finally:
        try:
            db.close()
        except duckdb.Error:
            pass  # already reported above; closing a damaged file can fail again
    return 2
