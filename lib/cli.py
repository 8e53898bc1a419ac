"""`python -m lib COMMAND …`: the command line, calling the same functions as the pages.

Commands:
  import-csv FILE... [--db PATH]   import spreadsheets (shared/spec/import-csv.md); all or nothing
  demo --interviews N [--seed S] [--until DATE] --db PATH
                                   add a synthetic job-search history (for benchmarks)

Every command takes `--db PATH` (required for demo); without it, $DEBRIEF_DB, else data/debrief.duckdb.
Exit status: 0 done, 1 invalid input (nothing written), 2 usage or database problem.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .db import Database, DatabaseError, resolve_db_path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib", description="Debrief from the command line.")
    commands = parser.add_subparsers(dest="command", required=True)

    importing = commands.add_parser("import-csv", help="import questions/applications CSV files (all or nothing)")
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importing.add_argument("--db", type=Path)

    demo = commands.add_parser("demo", help="add a synthetic history of N interviews (deterministic per seed)")
    demo.add_argument("--interviews", type=int, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=0, metavar="S")
    demo.add_argument("--until", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                      help="the last day of the history (default: today)")
    # Required, so that synthetic interviews never land in the real database by default.
    demo.add_argument("--db", type=Path, required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    db_path = args.db or resolve_db_path([])
    try:
        db = Database(db_path)
    except DatabaseError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        if args.command == "import-csv":
            from . import importer
            return importer.run_cli(db, args.files)
        if args.command == "demo":
            from . import demo
            return demo.run_cli(db, interviews=args.interviews, seed=args.seed, until=args.until)
    finally:
        db.close()
    return 2
