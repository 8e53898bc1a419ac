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
from .store import GroupingError, current_groups, merge_groups

SUGGEST_FLOOR = 0.35        # an earlier wording less like the text than this is not shown...
LIKELY = 0.45               # ...and one less like it than this is shown as "perhaps" (a weaker match)
BANK_BONUS = 0.30           # added when the text and the earlier group are the same bank intent
NEAREST = 200               # stored wordings looked at per text (then grouped and guarded)
QUEUE_FLOOR = 0.55          # two groups whose closest wordings are less alike never enter the queue...
MUTUAL_FLOOR = 0.50         # ...unless they are each other's nearest wording, at this or more: those come first
STRAY_BELOW = 0.35          # a wording less like every other wording of its group than this may not belong there
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

    @property
    def likely(self) -> bool:
        """Alike enough to say "asked before"; below LIKELY it is shown as "perhaps asked before"."""
        return self.confirmed or self.similarity >= LIKELY

    def as_json(self) -> dict:
        return {"question": self.question, "variants": list(self.variants), "times_asked": self.times_asked,
                "avg_score": round(self.avg_score, 2), "last_score": self.last_score,
                "similarity": round(self.similarity, 3)}


def bank_intent(key: str) -> str | None:
    """The bank intent a normalised wording belongs to, or None."""
    return matcher().bank_intents([key])[0] if key else None


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
    current = current_groups(db, list(latest))
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


def _current_or_refuse(db: Database, group_id: int) -> int:
    """Where a group counts now, or a message if it was deleted meanwhile (another tab, an edit)."""
    current = current_groups(db, [group_id]).get(int(group_id))
    if current is None:
        raise GroupingError("That earlier question no longer exists (deleted since?); reload the page and pick again.")
    return current


def decide(db: Database, text: str, group_id: int, *, same: bool) -> None:
    """Store the user's answer for a typed wording and an earlier group; it wins from then on.

    Same: the wording goes into that group whenever it is saved (store.py reads the decision), and
    the questions already stored in that wording move there, pinned (their group's other wordings
    stay where they are). Different: the pair is never suggested again, and the wording is kept out
    of that group when saved.
    """
    key = normalise(text)
    if not key:
        raise GroupingError("Type the question first.")
    target = _current_or_refuse(db, group_id)
    with db.transaction() as tx:
        tx.execute("asked_before_insert_decision", wording_key=key, other_group_id=None, group_id=target, same=same)
        if same:
            for other in tx.query("asked_before_groups_of_wording", key=key).group_id.astype("int64"):
                if int(other) != target:
                    tx.execute("asked_before_move_wording", key=key, group_id=int(other), new_group=target)


# -- the queue of possible repeats ------------------------------------------------------------------

@dataclass(frozen=True)
class PossibleRepeat:
    """Two groups that may be one question, or a wording that may not belong in its group: yes or no.

    A join (`wording_key` None): `wording` and `other_wording` are the most alike wordings of the two
    groups; yes merges them. A stray (`wording_key` set): `wording` is in the group of
    `other_wording`, its closest neighbour there, but little like it; no takes it out.
    """
    group_id: int
    other_group_id: int          # the same as group_id for a stray
    question: str
    other_question: str
    wording: str
    other_wording: str
    similarity: float
    impact: int                  # 2: a weak recurring question appears (or goes); 1: the weak list changes otherwise; 0: no change
    wording_key: str | None = None
    mutual: bool = False         # a join whose two wordings are each other's nearest (the likeliest yes)

    @property
    def is_stray(self) -> bool:
        return self.wording_key is not None


def possible_repeats(db: Database, *, limit: int | None = None) -> list[PossibleRepeat]:
    """What the user may confirm, most telling first: joins and strays (see PossibleRepeat).

    Joins: pairs of groups the grouping left apart whose wordings the model finds alike (cosine at
    least QUEUE_FLOOR, or MUTUAL_FLOOR for two wordings that are each other's nearest). Strays:
    wordings the grouping put with others the model finds unlike them (below STRAY_BELOW with
    every other wording of the group). Ranked by how much the answer would change the
    weak-question list (a new weak recurring question counts most), then joins (each other's
    nearest first, then the most alike), before strays, least alike first. Left out: what the user
    answered, pairs on two sides of an opposite, and two different bank questions (which the bank
    keeps apart on purpose).
    """
    index.ensure_index(db)
    stored = db.query("asked_before_all_vectors")
    if len(stored) < 2:
        return []
    pairs = candidate_pairs(stored.wording_key.tolist(), stored.wording.tolist(), stored.group_id.to_numpy(dtype="int64"),
                            stored.intent.astype(object).to_numpy(), np.vstack(stored.vector.map(np.asarray)).astype(np.float32))
    answered = db.query("asked_before_group_pair_decisions")
    current = current_groups(db, sorted(set(answered.group_id.astype(int)) | set(answered.other_group_id.astype(int))))
    skip = {frozenset((current.get(int(a)), current.get(int(b)))) for a, b in zip(answered.group_id, answered.other_group_id)}
    scores = db.query("asked_before_group_scores").set_index("group_id")
    min_times, weak_below = settings.min_times(db), settings.weak_below(db)
    found = []
    for (a, b), (similarity, wording, other, mutual) in pairs.items():
        if frozenset((a, b)) in skip or a not in scores.index or b not in scores.index:
            continue
        found.append(PossibleRepeat(int(a), int(b), str(scores.canonical[a]), str(scores.canonical[b]), wording, other,
                                    similarity, _impact(scores.loc[a], scores.loc[b], min_times, weak_below),
                                    mutual=mutual))
    found += _strays(db, stored, scores, min_times, weak_below)
    # By impact; then joins of two wordings that are each other's nearest, then other joins, most
    # alike first, then strays, least alike first (the likeliest to be wrong).
    found.sort(key=lambda p: (-p.impact, not p.mutual, p.is_stray, -(1 - p.similarity if p.is_stray else p.similarity),
                              p.group_id, p.other_group_id, p.wording))
    return found if limit is None else found[:limit]


def _strays(db: Database, stored: pd.DataFrame, scores: pd.DataFrame, min_times: int, weak_below: float) -> list[PossibleRepeat]:
    """Wordings that the grouping put with others the model finds unlike them (below STRAY_BELOW).

    In a group of two such wordings only one is offered (the one whose key sorts last): a "no"
    parts the two either way."""
    answered = {(k, int(g)) for k, g in db.query("asked_before_answered_wordings").itertuples(index=False)}
    stats = db.query("asked_before_wording_stats").set_index(["wording_key", "group_id"])
    found = []
    for group_id, members in stored.groupby("group_id"):
        if len(members) < 2 or group_id not in scores.index:
            continue
        vectors = np.vstack(members.vector.map(np.asarray)).astype(np.float32)
        similar_ = vectors @ vectors.T
        np.fill_diagonal(similar_, -1.0)
        for n, (key, wording) in enumerate(zip(members.wording_key, members.wording)):
            if len(members) == 2 and key == min(members.wording_key):
                continue        # two wordings unlike each other are one question to ask, not two
            nearest = int(similar_[n].argmax())
            if similar_[n, nearest] >= STRAY_BELOW or (key, int(group_id)) in answered or (key, group_id) not in stats.index:
                continue
            group, mine = scores.loc[group_id], stats.loc[(key, group_id)]
            rest = pd.Series({"interviews": group.interviews - mine.interviews, "score_sum": group.score_sum - mine.score_sum,
                              "answers": group.answers - mine.answers})
            found.append(PossibleRepeat(int(group_id), int(group_id), str(group.canonical), str(group.canonical),
                                        str(wording), str(members.wording.iloc[nearest]), float(similar_[n, nearest]),
                                        _impact(rest, mine, min_times, weak_below), wording_key=str(key)))
    return found


def answer_stray(db: Database, wording_key: str, group_id: int, *, same: bool) -> int:
    """Store the user's answer for a wording that may not belong in its group; no moves it to a group of its own.

    Either way the answer is kept (the pair is not asked again) and wins when the wording is saved again.
    Returns the group the wording counts in now.
    """
    current = _current_or_refuse(db, group_id)
    with db.transaction() as tx:
        tx.execute("asked_before_insert_decision", wording_key=wording_key, other_group_id=None, group_id=current, same=same)
        if same:
            return current
        first = tx.query("asked_before_first_wording", key=wording_key, group_id=current)
        if first.empty:
            return current
        category = cell_text(first.category.iloc[0]) or None
        new_group = int(tx.scalar("grouping_insert_group", canonical=str(first.wording.iloc[0]), category=category,
                                  made_by="split"))
        tx.execute("asked_before_move_wording", key=wording_key, group_id=current, new_group=new_group)
        return new_group


def answer(db: Database, item: PossibleRepeat, *, same: bool) -> int:
    """The user's yes or no to one item of the queue, a join or a stray."""
    if item.is_stray:
        return answer_stray(db, item.wording_key, item.group_id, same=same)
    return answer_repeat(db, item.group_id, item.other_group_id, same=same)


def candidate_pairs(keys: list[str], wordings: list[str], groups: np.ndarray, intents: np.ndarray, vectors: np.ndarray,
                    *, floor: float = QUEUE_FLOOR) -> dict[tuple[int, int], tuple[float, str, str, bool]]:
    """(group, other group) → (best cosine, the two wordings, mutual) for every pair worth asking about.

    A pair is worth asking about when its closest wordings are at `floor` or more, or when they are
    each other's nearest wording (no opposite between them) at MUTUAL_FLOOR or more: `mutual`, the
    likeliest to be one question. `keys` are the normalised wordings (for the opposite guard),
    `wordings` the text shown. Compared in row blocks, so 10,000 wordings never need a 10,000²
    matrix at once; the best pair of each two groups is found with array operations.
    """
    key_sides = sides(keys)
    key_array = np.array(keys, dtype=object)
    has_intent = np.array([isinstance(i, str) for i in intents])
    nearest = np.zeros(len(keys), dtype=np.int64)
    nearest_cosine = np.full(len(keys), -1.0, dtype=np.float32)
    found_i, found_j, found_s, found_m = [], [], [], []

    def worth_asking(i_all, j):
        keep = groups[i_all] != groups[j]                                # two different groups
        keep &= key_array[i_all] != key_array[j]                         # one wording in two groups: a split by hand
        keep &= ~(has_intent[i_all] & has_intent[j])                     # two bank intents: kept apart on purpose
        return keep

    for start in range(0, len(keys), QUEUE_ROW_CHUNK):
        rows = slice(start, start + QUEUE_ROW_CHUNK)
        block = vectors[rows] @ vectors.T
        block[conflicts(key_sides[rows], key_sides)] = -1.0                 # never two sides of an opposite
        block[np.arange(block.shape[0]), np.arange(start, start + block.shape[0])] = -1.0
        i, j = np.nonzero(block >= floor)
        i_all = start + i
        keep = (i_all < j) & worth_asking(i_all, j)                        # each pair once
        found_i.append(start + i[keep])
        found_j.append(j[keep])
        found_s.append(block[i[keep], j[keep]])
        found_m.append(np.zeros(int(keep.sum()), dtype=bool))
        nearest[rows] = block.argmax(axis=1)                               # each wording's nearest other wording
        nearest_cosine[rows] = block[np.arange(block.shape[0]), nearest[rows]]
    i = np.flatnonzero((nearest[nearest] == np.arange(len(keys))) & (nearest_cosine >= MUTUAL_FLOOR))
    j = nearest[i]
    keep = (i < j) & worth_asking(i, j)
    found_i.append(i[keep])
    found_j.append(j[keep])
    found_s.append(nearest_cosine[i[keep]])
    found_m.append(np.ones(int(keep.sum()), dtype=bool))
    i, j, similarity, mutual = (np.concatenate(found) for found in (found_i, found_j, found_s, found_m))
    if not len(i):
        return {}
    swap = groups[i] > groups[j]
    first, second = np.where(swap, j, i), np.where(swap, i, j)         # wording of the lower group id first
    pairs = pd.DataFrame({"a": groups[first], "b": groups[second], "first": first, "second": second,
                          "similarity": similarity, "mutual": mutual})
    # A pair of groups is mutual when any of its wording pairs is (that pair is shown), else it shows its most alike.
    best = pairs.loc[(pairs.similarity + 2.0 * pairs.mutual).groupby([pairs.a, pairs.b]).idxmax()]
    return {(int(a), int(b)): (float(s), wordings[f], wordings[t], bool(m))
            for a, b, f, t, s, m in best[["a", "b", "first", "second", "similarity", "mutual"]].itertuples(index=False)}


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
    current = current_groups(db, [group_id, other_group_id])
    if len(current) < 2:
        raise GroupingError("One of those question groups no longer exists; reload and pick again.")
    keep, other = current[int(group_id)], current[int(other_group_id)]
    with db.transaction() as tx:
        tx.execute("asked_before_insert_decision", wording_key=None, other_group_id=other, group_id=keep, same=same)
    return merge_groups(db, keep, other) if same else keep
