"""The sentence model's part of the unattended grouping: out-of-bank questions that are each other's nearest.

The matcher (matcher.py) groups a profession's questions only when they share topic words, so
"a reconciliation that won't balance" and "the rec is off and you can't see why" stay apart.
Once their wordings are indexed, two out-of-bank wordings that are each among the other's
JOIN_RANK nearest, at a cosine of JOIN_AT or more, on no two sides of an opposite, join their
groups. Why these values and what they gave: docs/asked-before.md, "Joins by the model".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..db import Database
from .guards import conflicts, sides

JOIN_AT = 0.50             # cosine at or above which two mutual nearest wordings are one question
JOIN_RANK = 1              # "nearest": each the other's first (their first two let chains run through a profession)
ROW_CHUNK = 1024           # wordings compared with all the others at once


def model_joins(db: Database, keys: list[str] | None = None) -> int:
    """Join the groups of out-of-bank wordings (of `keys`, else all) that are each other's nearest; return how many joins.

    Only wordings in groups the matcher made, not pinned by a split and never answered by the user,
    take part; two groups the user called different are never joined. A join is a merge
    (`merged_into`) logged in `model_joins`, made in one transaction.
    """
    stored = db.query("model_join_candidates")
    if len(stored) < 2:
        return 0
    all_keys = stored.wording_key.astype(str).tolist()
    position = {key: n for n, key in enumerate(all_keys)}
    rows = np.arange(len(all_keys)) if keys is None else np.array(sorted({position[k] for k in keys if k in position}),
                                                                   dtype=np.int64)
    if not len(rows):
        return 0
    vectors = np.vstack(stored.vector.map(np.asarray)).astype(np.float32)
    pairs = mutual_pairs(vectors, sides(all_keys), rows)
    return _join(db, pairs, all_keys, stored.group_id.to_numpy(dtype=np.int64))


def mutual_pairs(vectors: np.ndarray, key_sides: np.ndarray, rows: np.ndarray) -> list[tuple[int, int, float]]:
    """(row, other, cosine) for each of `rows` and each wording among its JOIN_RANK nearest, at JOIN_AT or
    more, that has it among its own JOIN_RANK nearest. `vectors` are unit rows; `key_sides` from guards.sides."""
    if len(vectors) < 2 or not len(rows):
        return []
    near, cosine = nearest(vectors, key_sides, rows)
    wanted = np.unique(near[cosine >= JOIN_AT])
    if not len(wanted):
        return []
    their_near, _ = nearest(vectors, key_sides, wanted)
    their = {int(n): set(their_near[i].tolist()) for i, n in enumerate(wanted)}
    return [(int(row), int(other), float(c)) for row, others, cs in zip(rows, near, cosine)
            for other, c in zip(others, cs) if c >= JOIN_AT and int(row) in their[int(other)]]


def nearest(vectors: np.ndarray, key_sides: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of `rows`, its JOIN_RANK nearest other wordings (not across an opposite) and their cosines, best first."""
    rank = min(JOIN_RANK, len(vectors) - 1)
    found, found_cosine = [], []
    for start in range(0, len(rows), ROW_CHUNK):
        chunk = rows[start:start + ROW_CHUNK]
        block = vectors[chunk] @ vectors.T
        block[conflicts(key_sides[chunk], key_sides)] = -1.0
        block[np.arange(len(chunk)), chunk] = -1.0
        top = np.argpartition(-block, rank - 1, axis=1)[:, :rank]
        top_cosine = np.take_along_axis(block, top, axis=1)
        order = np.argsort(-top_cosine, axis=1)
        found.append(np.take_along_axis(top, order, axis=1))
        found_cosine.append(np.take_along_axis(top_cosine, order, axis=1))
    return np.vstack(found), np.vstack(found_cosine)


def _join(db: Database, pairs: list[tuple[int, int, float]], keys: list[str], groups: np.ndarray) -> int:
    """Union the groups of `pairs` (most alike first) into the oldest of each set, in one transaction."""
    if not pairs:
        return 0
    different = {frozenset((int(a), int(b))) for a, b in db.query("model_join_different_pairs").itertuples(index=False)}
    members: dict[int, set[int]] = {}          # a joined set's oldest group -> every group in it
    root: dict[int, int] = {}

    def find(group: int) -> int:
        return root.get(group, group)

    log = []
    for row, other, cosine in sorted(pairs, key=lambda p: -p[2]):
        a, b = find(int(groups[row])), find(int(groups[other]))
        if a == b:
            continue
        these, those = members.get(a, {a}), members.get(b, {b})
        if any(frozenset((x, y)) in different for x in these for y in those):
            continue
        keep, gone = min(a, b), max(a, b)
        members[keep] = these | those
        members.pop(gone, None)
        for group in members[keep]:
            root[group] = keep
        log.append((gone, keys[row], keys[other], cosine))
    if not log:
        return 0
    with db.transaction() as tx:
        for gone, *_ in log:
            tx.execute("grouping_merge", keep=find(gone), other=gone)
        tx.insert_frame("model_joins", pd.DataFrame({
            "group_id": [gone for gone, *_ in log], "into_group_id": [find(gone) for gone, *_ in log],
            "wording_key": [k for _, k, _, _ in log], "other_wording_key": [o for _, _, o, _ in log],
            "similarity": [c for *_, c in log]}))
    return len(log)
