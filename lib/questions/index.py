"""The "Asked before?" index: one stored vector per distinct wording, built after the questions commit.

Saving never waits for the model. `ensure_index` fills in a few missing vectors at once (a
debrief's worth); a bulk import leaves thousands, which `build_index` works through in batches,
each committed on its own, with a progress callback (the Import page runs it in a background
thread and shows a bar; `python -m lib index` prints one). Grouping and the dashboard never need
the index, so they work meanwhile.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

import pandas as pd

from ..db import Database
from . import embedding

BATCH = 256                 # wordings embedded and committed together while building
AT_ONCE = 64                # ensure_index embeds up to this many at once; more go to the background

_building: dict[str, threading.Thread] = {}
_failures: dict[str, str] = {}       # the last background build's error per database file, for the page
_building_lock = threading.Lock()


def missing_count(db: Database) -> int:
    return int(db.scalar("asked_before_missing_count") or 0)


def build_index(db: Database, *, progress: Callable[[int, int], None] | None = None, limit: int | None = None) -> int:
    """Embed and store every wording that has no vector yet (or the first `limit`); return how many.

    Batches commit one by one, so stopping half-way loses nothing already done.
    """
    total = missing_count(db) if limit is None else min(limit, missing_count(db))
    done = 0
    if progress:
        progress(0, total)
    while done < total:
        todo = db.query("asked_before_missing_vectors", limit=min(BATCH, total - done))
        if todo.empty:
            break
        vectors = embedding.embed(todo.wording.astype(str).tolist())
        with db.transaction() as tx:
            # A wording may have been indexed meanwhile by another thread: insert only what is still missing.
            tx.insert_frame("wording_vectors", _missing_only(tx, todo.wording_key.tolist(), vectors))
        done += len(todo)
        if progress:
            progress(done, total)
    return done


def _missing_only(tx, keys: list[str], vectors) -> pd.DataFrame:
    present = set(tx.query("asked_before_vectors_of", keys=keys).wording_key)
    keep = [n for n, key in enumerate(keys) if key not in present]
    return pd.DataFrame({"wording_key": [keys[n] for n in keep], "vector": [vectors[n].tolist() for n in keep]})


def ensure_index(db: Database) -> int:
    """Index what is missing now if it is a few wordings; else start `build_index` in the background.

    Returns the number still missing afterwards (0 when the index is complete).
    """
    missing = missing_count(db)
    if not missing:
        return 0
    if missing <= AT_ONCE:
        build_index(db)
        return missing_count(db)
    start_in_background(db)
    return missing


def start_in_background(db: Database) -> bool:
    """Build the index in a daemon thread, one per database file at a time; False if one is running."""
    key = str(db.path)
    with _building_lock:
        running = _building.get(key)
        if running is not None and running.is_alive():
            return False
        thread = threading.Thread(target=_build_quietly, args=(db,), name=f"debrief-index-{key}", daemon=True)
        _building[key] = thread
        thread.start()
        return True


def is_building(db: Database) -> bool:
    thread = _building.get(str(db.path))
    return thread is not None and thread.is_alive()


def _build_quietly(db: Database) -> None:
    # A background thread has nobody to show an error to: it is kept for `last_failure`, and the
    # next ensure_index starts the thread again (a closed database or a full disk stops it).
    try:
        build_index(db)
        _failures.pop(str(db.path), None)
    except Exception as problem:  # noqa: BLE001
        _failures[str(db.path)] = str(problem)


def last_failure(db: Database) -> str | None:
    """Why the last background build stopped, if it failed (e.g. the model file is not the pinned one)."""
    return _failures.get(str(db.path))
