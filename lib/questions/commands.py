"""`python -m lib similar | confirm | index`: "Asked before?" from a terminal, the functions the pages call."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable

from ..db import Database
from . import index, suggestions
from .store import GroupingError


def run_similar(db: Database, texts: list[str], *, limit: int, as_json: bool) -> int:
    """For each text, the earlier question groups most like it, best first (JSON: one object keyed by text)."""
    if limit < 1:
        print("error: --limit must be 1 or more", file=sys.stderr)
        return 1
    texts = [t for t in texts if t.strip()]
    if not texts:
        print("error: give at least one question text", file=sys.stderr)
        return 1
    _index_now(db)
    found = suggestions.similar(db, texts, limit=limit)
    if as_json:
        print(json.dumps({text: [s.as_json() for s in found[text]] for text in texts}, ensure_ascii=False, indent=2))
        return 0
    for text in texts:
        print(f"{text}")
        if not found[text]:
            print("  (nothing like it asked before)")
        for s in found[text]:
            print(f"  {s.similarity:.2f}  {s.question}  — asked {s.times_asked}×, average {s.avg_score:.1f}, "
                  f"last {s.last_score}/10 ({s.last_company}, {s.last_asked_on:%d %b %Y})")
    return 0


def run_confirm(db: Database, *, ask: Callable[[str], str] | None = None, limit: int | None = None) -> int:
    """Walk the queue of possible repeats: y = same question, n = different, s = skip, q = quit."""
    ask = ask or input
    _index_now(db)
    answered = skipped = 0
    seen: set[tuple[int, int]] = set()
    while limit is None or answered < limit:
        queue = [p for p in suggestions.possible_repeats(db) if (p.group_id, p.other_group_id, p.wording_key) not in seen]
        if not queue:
            break
        pair = queue[0]
        print(f"\n{len(queue)} possible repeat{'s' if len(queue) != 1 else ''} to confirm.")
        print(f"  1. {pair.wording}\n  2. {pair.other_wording}")
        if pair.is_stray:
            print(f"  (counted together now, as {pair.question!r}; similarity {pair.similarity:.2f})")
        else:
            print(f"  (similarity {pair.similarity:.2f}; groups: {pair.question!r} and {pair.other_question!r})")
        try:
            reply = ask("Same question? [y]es / [n]o / [s]kip / [q]uit: ").strip().lower()[:1]
        except EOFError:
            break
        if reply == "q":
            break
        if reply == "s":
            seen.add((pair.group_id, pair.other_group_id, pair.wording_key))
            skipped += 1
            continue
        if reply not in ("y", "n"):
            print("Please answer y, n, s or q.")
            continue
        try:
            suggestions.answer(db, pair, same=reply == "y")
        except GroupingError as problem:
            print(f"error: {problem}", file=sys.stderr)
            return 1
        answered += 1
    left = len(suggestions.possible_repeats(db))
    print(f"\nAnswered {answered}, skipped {skipped}; {left} left to confirm.")
    return 0


def _index_now(db: Database) -> None:
    """A command answers from the whole index: what is missing is built here, in the foreground (a
    background thread would die with the process, and the answer would miss those wordings)."""
    if index.missing_count(db):
        run_index(db, quiet=True)


def run_index(db: Database, *, out=None, quiet: bool = False) -> int:
    """Build the "Asked before?" index now: a progress bar on stderr when it is a terminal, then the count
    on `out` (stdout) unless `quiet` (so a script reading an import's output sees only the import's)."""
    def bar(done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        print(f"\rIndexing wordings [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr)
    at_terminal = sys.stderr.isatty()
    done = index.build_index(db, progress=bar if at_terminal else None)
    if at_terminal:
        print(file=sys.stderr)
    if quiet:
        return 0
    print(f"Indexed {done} wording{'s' if done != 1 else ''} for \"Asked before?\"; {index.missing_count(db)} left.",
          file=out or sys.stdout)
    return 0
