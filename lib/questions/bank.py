"""The question bank: interview question intents and the ways of asking each, read from bank.toml.

`BANK` holds one `Intent` per [[intent]] of bank.toml, in the file's order, read once at import.
Edit bank.toml (its header gives the rules), not this module; a malformed file fails at import
with a message naming the file and the entry.
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import NamedTuple

BANK_FILE = Path(__file__).with_name("bank.toml")
_FIELDS = ("key", "category", "canonical", "phrasings")


class Intent(NamedTuple):
    key: str                        # stored in question_groups.intent: never renamed once shipped
    category: str                   # one of lib.debriefs.CATEGORIES
    canonical: str                  # the wording shown for the intent's group
    phrasings: tuple[str, ...]


class BankError(ValueError):
    """The bank file cannot be read as a question bank."""


def load_bank(path: Path = BANK_FILE) -> tuple[Intent, ...]:
    """Every intent of the TOML file at `path`, in order; BankError (naming the file) if it is malformed."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as problem:
        raise BankError(f"{path}: cannot read the question bank: {problem}") from problem
    entries = data.get("intent")
    if set(data) != {"intent"} or not isinstance(entries, list) or not entries:
        raise BankError(f"{path}: expected only [[intent]] entries, found {sorted(data) or 'nothing'}")
    intents: list[Intent] = []
    keys: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        where = f"{path}, intent {n}"
        if not isinstance(entry, dict) or set(entry) != set(_FIELDS):
            found = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise BankError(f"{where}: expected exactly the fields {', '.join(_FIELDS)}; found {found}")
        where += f" ({entry['key']!r})"
        phrasings = entry["phrasings"]
        if not all(isinstance(entry[field], str) and entry[field].strip() for field in _FIELDS[:3]):
            raise BankError(f"{where}: key, category and canonical must be non-empty strings")
        if not isinstance(phrasings, list) or not phrasings \
                or not all(isinstance(p, str) and p.strip() for p in phrasings):
            raise BankError(f"{where}: phrasings must be a non-empty list of non-empty strings")
        if len(set(phrasings)) != len(phrasings):
            raise BankError(f"{where}: a phrasing is listed twice")
        if entry["key"] in keys:
            raise BankError(f"{where}: the key is used by an earlier intent")
        keys.add(entry["key"])
        intents.append(Intent(entry["key"], entry["category"], entry["canonical"], tuple(phrasings)))
    return tuple(intents)


BANK: tuple[Intent, ...] = load_bank()
