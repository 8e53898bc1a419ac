"""'Asked before?': the earlier questions most like a new one, the user's same/different answers, and
the queue of possible repeats that came in without typing (imports, older entries).

Ranking: the model's cosine between wordings (embedding.py), plus BANK_BONUS when both are the
same known interview question of the bank; never a wording on the other side of an opposite
(guards.py), never a group the user called different. What was measured: docs/asked-before.md.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import clock, settings
from ..db import Database, cell_text
from . import embedding, index
from .guards import conflicts, sides
from .matcher import matcher
from .normalise import normalise
from .store import GroupingError, merge_groups

SUGGEST_FLOOR = 0.45        # an earlier wording less like the text than this is not shown
BANK_BONUS = 0.30           # added when the text and the earlier group are the same bank intent
NEAREST = 200               # stored wordings looked at per text (then grouped and guarded)
QUEUE_FLOOR = 0.55          # two groups whose closest wordings are less alike never enter the queue
QUEUE_BANK_PAIRS = False    # offer two different bank questions as a possible repeat too
QUEUE_ROW_CHUNK = 1024      # wordings compared with all others at once while building the queue


@dataclass(frozen=True)
class Suggestion:
    """An earlier question group like the text, and how it went the last time."""
    group_id: int
    question: str                 # the group's shown wording
    variants: tuple[str, ...]     # every wording asked in the group
    times_asked: int
    avg_score: float
    last_score: int
    similarity: float             # 0–1: the ranking score (cosine, + BANK_BONUS for the same bank question)
    last_wording: str
    last_company: str
    last_asked_on: dt.date
    last_answer: str
    confirmed: bool = False       # the user already said "same question"

    def as_json(self) -> dict:
        return {"question": self.question, "variants": list(self.variants), "times_asked": self.times_asked,
                "avg_score": round(self.avg_score, 2), "last_score": self.last_score,
                "similarity": round(self.similarity, 3)}


def bank_intent(key: str) -> str | None:
    """The bank intent a normalised wording belongs to, or None."""
    label = matcher().label([key])[0] if key else None
    return label if isinstance(label, str) else None


def similar(db: Database, texts: list[str], *, limit: int = 3,
            exclude_interview: int | None = None) -> dict[str, list[Suggestion]]:
    """For each text, up to `limit` earlier question groups most like it, best first.

    The page and `python -m lib similar` both call this. `exclude_interview`: the interview being
    edited, whose own questions are not "earlier".
    """
    index.ensure_index(db)
    texts = [str(t) for t in texts]
    vectors = embedding.embed(texts) if texts else np.zeros((0, embedding.DIMENSION), dtype=np.float32)
    return {text: _similar_one(db, text, vector, limit, exclude_interview) for text, vector in zip(texts, vectors)}


def _similar_one(db: Database, text: str, vector: np.ndarray, limit: int, exclude_interview: int | None) -> list[Suggestion]:
    key = normalise(text)
    if not key or limit < 1:
        return []
    rows = db.query("asked_before_nearest", vector=vector.tolist(), limit=NEAREST, exclude_interview=exclude_interview)
    intent = bank_intent(key)
    if intent is not None:
        rows = pd.concat([rows, _intent_rows(db, intent, vector, exclude_interview)], ignore_index=True)
    if rows.empty:
        return []
    rows = rows[~conflicts(sides([key]), sides(rows.wording_key.tolist()))[0]]
    rows = rows.assign(score=rows.similarity + np.where(rows.intent.astype(object) == intent, BANK_BONUS, 0.0)
                       if intent is not None else rows.similarity)
    decided = db.query("asked_before_decisions_for_wording", key=key)
    latest = dict(zip(decided.group_id.astype("int64"), decided.same.astype(bool)))
    current = _current_groups(db, list(latest))
    different = {current[g] for g, same in latest.items() if not same and g in current}
    confirmed = {current[g] for g, same in latest.items() if same and g in current}
    rows = rows[~rows.group_id.isin(different) & ((rows.score >= SUGGEST_FLOOR) | rows.group_id.isin(confirmed))]
    best = rows.groupby("group_id").score.max()
    best.loc[best.index.isin(confirmed)] += 10          # the user's own "same" comes first
    chosen = best.sort_values(ascending=False).head(limit)
    if chosen.empty:
        return []
    details = db.query("asked_before_group_details", ids=[int(g) for g in chosen.index],
                       exclude_interview=exclude_interview).set_index("group_id")
    found = []
    for group_id, score in chosen.items():
        if group_id not in details.index:
            continue
        row = details.loc[group_id]
        found.append(Suggestion(
            group_id=int(group_id), question=str(row.canonical), variants=tuple(row.variants),
            times_asked=int(row.times_asked), avg_score=float(row.avg_score), last_score=int(row.last_score),
            similarity=float(min(1.0, score if score < 10 else score - 10)), last_wording=str(row.last_wording),
            last_company=str(row.last_company),
            last_asked_on=clock.local_day(pd.Timestamp(row.last_asked_at).to_pydatetime(), str(row.last_time_zone)),
            last_answer=cell_text(row.last_answer), confirmed=bool(group_id in confirmed)))
    return found


def _intent_rows(db: Database, intent: str, vector: np.ndarray, exclude_interview: int | None) -> pd.DataFrame:
    """The earlier group of a bank intent, scored by its wording most like the text."""
    group = db.query("asked_before_intent_group", intent=intent, exclude_interview=exclude_interview)
    if group.empty:
        return group.assign(intent=[], similarity=[])
    stored = db.query("asked_before_vectors_of", keys=group.wording_keys.iloc[0].tolist())
    cosine = max((float(np.dot(vector, np.asarray(v, dtype=np.float32))) for v in stored.vector), default=SUGGEST_FLOOR)
    return pd.DataFrame({"wording_key": [group.wording_keys.iloc[0][0]], "group_id": [int(group.group_id.iloc[0])],
                         "intent": [intent], "similarity": [cosine]})


def _current_groups(db: Database, group_ids: list[int]) -> dict[int, int]:
    """Where each group counts now (after merges)."""
    found = {}
    for group_id in group_ids:
        row = db.query("grouping_group", id=int(group_id))
        if not row.empty:
            found[int(group_id)] = int(row.current_id.iloc[0])
    return found


def decide(db: Database, text: str, group_id: int, *, same: bool) -> None:
    """Store the user's answer for a typed wording and an earlier group; it wins from then on.

    Same: the wording goes into that group whenever it is saved (store.py reads the decision); if
    the wording is already stored in another group, that group is merged in. Different: the pair is
    never suggested again, and the wording is kept out of that group when saved.
    """
    key = normalise(text)
    if not key:
        raise GroupingError("Type the question first.")
    target = _current_groups(db, [group_id]).get(int(group_id))
    if target is None:
        raise GroupingError("That earlier question no longer exists; it may have been deleted.")
    with db.transaction() as tx:
        tx.execute("asked_before_insert_decision", wording_key=key, other_group_id=None, group_id=target, same=same)
    if same:
        stored = db.query("asked_before_groups_of_wording", key=key)
        for other in stored.group_id.astype("int64"):
            if int(other) != target:
                merge_groups(db, target, int(other))


# -- the queue of possible repeats ------------------------------------------------------------------

@dataclass(frozen=True)
class PossibleRepeat:
    """Two groups that may be one question: the user says yes or no."""
    group_id: int
    other_group_id: int
    question: str
    other_question: str
    wording: str                 # the two wordings that are most alike, one from each group
    other_wording: str
    similarity: float
    impact: int                  # 2: a weak recurring question appears (or goes); 1: the weak list changes otherwise; 0: no change


def possible_repeats(db: Database, *, limit: int | None = None) -> list[PossibleRepeat]:
    """Pairs of groups the unattended grouping left apart but the model finds alike, most telling first.

    Ranked by how much the answer would change the weak-question list (a yes that makes a new weak
    recurring question counts most), then by similarity. Pairs the user answered, pairs on two
    sides of an opposite, and two different bank questions (which the bank keeps apart on
    purpose) are left out.
    """
    index.ensure_index(db)
    stored = db.query("asked_before_all_vectors")
    if len(stored) < 2:
        return []
    pairs = candidate_pairs(stored.wording_key.tolist(), stored.wording.tolist(), stored.group_id.to_numpy(dtype="int64"),
                            stored.intent.astype(object).to_numpy(), np.vstack(stored.vector.map(np.asarray)).astype(np.float32))
    if not pairs:
        return []
    answered = db.query("asked_before_group_pair_decisions")
    current = _current_groups(db, sorted(set(answered.group_id.astype(int)) | set(answered.other_group_id.astype(int))))
    skip = {frozenset((current.get(int(a)), current.get(int(b)))) for a, b in zip(answered.group_id, answered.other_group_id)}
    scores = db.query("asked_before_group_scores").set_index("group_id")
    min_times, weak_below = settings.min_times(db), settings.weak_below(db)
    found = []
    for (a, b), (similarity, wording, other) in pairs.items():
        if frozenset((a, b)) in skip or a not in scores.index or b not in scores.index:
            continue
        found.append(PossibleRepeat(int(a), int(b), str(scores.canonical[a]), str(scores.canonical[b]), wording, other,
                                    similarity, _impact(scores.loc[a], scores.loc[b], min_times, weak_below)))
    found.sort(key=lambda p: (-p.impact, -p.similarity, p.group_id, p.other_group_id))
    return found if limit is None else found[:limit]


def candidate_pairs(keys: list[str], wordings: list[str], groups: np.ndarray, intents: np.ndarray, vectors: np.ndarray,
                    *, floor: float = QUEUE_FLOOR) -> dict[tuple[int, int], tuple[float, str, str]]:
    """(group, other group) → (best cosine, the two wordings) for every pair at or above `floor`.

    `keys` are the normalised wordings (for the opposite guard), `wordings` the text shown.

    Compared wording by wording in row blocks, so 10,000 wordings never need a 10,000² matrix at once.
    """
    key_sides = sides(keys)
    has_intent = np.array([isinstance(i, str) for i in intents])
    best: dict[tuple[int, int], tuple[float, str, str]] = {}
    for start in range(0, len(keys), QUEUE_ROW_CHUNK):
        rows = slice(start, start + QUEUE_ROW_CHUNK)
        block = vectors[rows] @ vectors.T
        block[groups[rows, None] == groups[None, :]] = -1.0
        block[conflicts(key_sides[rows], key_sides)] = -1.0
        if not QUEUE_BANK_PAIRS:
            block[has_intent[rows, None] & has_intent[None, :]] = -1.0     # two bank intents: kept apart on purpose
        for i, j in zip(*np.nonzero(block >= floor)):
            n = start + int(i)
            if n >= j:
                continue                                               # each pair once
            a, b = sorted((int(groups[n]), int(groups[j])))
            similarity = float(block[i, j])
            if (a, b) not in best or similarity > best[(a, b)][0]:
                pair = (wordings[n], wordings[j]) if a == groups[n] else (wordings[j], wordings[n])
                best[(a, b)] = (similarity, *pair)
    return best


def _impact(a: pd.Series, b: pd.Series, min_times: int, weak_below: float) -> int:
    def weak(interviews, total, answers) -> int:
        return int(interviews >= min_times and total / answers < weak_below)
    before = weak(a.interviews, a.score_sum, a.answers) + weak(b.interviews, b.score_sum, b.answers)
    after = weak(a.interviews + b.interviews, a.score_sum + b.score_sum, a.answers + b.answers)
    if after and not before:
        return 2
    if after != before:
        return 1
    return 0


def answer_repeat(db: Database, group_id: int, other_group_id: int, *, same: bool) -> int:
    """Store the user's answer for a queued pair; a yes merges the two groups. Return the group that stays."""
    current = _current_groups(db, [group_id, other_group_id])
    if len(current) < 2:
        raise GroupingError("One of those question groups no longer exists; reload and pick again.")
    keep, other = current[int(group_id)], current[int(other_group_id)]
    with db.transaction() as tx:
        tx.execute("asked_before_insert_decision", wording_key=None, other_group_id=other, group_id=keep, same=same)
    return merge_groups(db, keep, other) if same else keep


def repeats_left(db: Database) -> int:
    return len(possible_repeats(db))
