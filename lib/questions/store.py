"""Question groups in the database: a group for each question as it is written, and the user's merges and splits.

A question's group is assigned once, when it is saved, imported or generated; pages only read
it (tables in lib/sql/003_question_groups.sql, queries in lib/sql/questions.sql). A wording
asked again goes where it already is; merges and splits are stored and win from then on
(docs/grouping.md, "Stored choices").
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..db import Database, Transaction, cell_text
from .matcher import matcher
from .normalise import normalise, normalise_all


class GroupingError(ValueError):
    """A merge or split that cannot be done, worded for the person asking."""


def assign_groups(tx: Transaction, question_ids: Iterable[int] | None = None) -> int:
    """Give a group to each question that has none (all of them, or those of `question_ids`); return how many.

    Runs inside the caller's transaction. Distinct normalised wordings are matched once, then
    mapped back to their questions, so 400,000 questions asked in 100 wordings cost 100 matches.
    """
    if question_ids is None:
        questions = tx.query("grouping_ungrouped_questions")
    else:
        ids = [int(i) for i in question_ids]
        if not ids:
            return 0
        questions = tx.query("grouping_ungrouped_questions_among", ids=ids)
    return _assign(tx, questions)


def assign_missing(db: Database) -> int:
    """Group any question still without a group (e.g. written before grouping existed); usually 0, and cheap."""
    if not db.scalar("grouping_ungrouped_count"):
        return 0
    with db.transaction() as tx:
        return assign_groups(tx)


def groups_before_edit(tx: Transaction, interview_id: int) -> pd.DataFrame:
    """The groups of an interview's questions by wording, read before an edit rewrites them."""
    return tx.query("grouping_members_of_interview", id=interview_id)


def group_interview(tx: Transaction, interview_id: int, previous: pd.DataFrame | None = None) -> int:
    """Group the questions of a just-written interview; a wording it had before keeps its group and pin."""
    ids = tx.query("grouping_questions_of_interview", id=interview_id).id.tolist()
    if not ids:
        return 0
    questions = tx.query("grouping_ungrouped_questions_among", ids=ids)
    carried = 0
    if previous is not None and not previous.empty and not questions.empty:
        # Keys stored by an older normaliser are normalised again (it is idempotent), so a wording
        # keeps its group and pin across a change of SYNONYMS or _WRAPPERS.
        previous = previous.assign(wording_key=normalise_all(previous.wording_key.astype(str)))
        kept = previous.sort_values("pinned", ascending=False).drop_duplicates("wording_key").set_index("wording_key")
        keys = pd.Series(normalise_all(questions.wording), index=questions.index)
        # A wording the user answered "Asked before?" about goes through _assign, where the answer wins.
        decided = set(tx.query("asked_before_decided_keys", keys=sorted(set(keys))).wording_key)
        again = keys.isin(kept.index) & ~keys.isin(decided)
        if again.any():
            rows = kept.loc[keys[again]]
            tx.insert_frame("question_group_members", pd.DataFrame({
                "question_id": questions.id[again].to_numpy(dtype="int64"),
                "group_id": rows.group_id.to_numpy(dtype="int64"),
                "wording_key": keys[again].to_numpy(dtype=object),
                "pinned": rows.pinned.to_numpy(dtype=bool),
            }))
            carried = int(again.sum())
            questions = questions[~again]
    return carried + _assign(tx, questions)


def _assign(tx: Transaction, questions: pd.DataFrame) -> int:
    """Group `questions` (id, wording, category; none grouped yet) and store their memberships."""
    if questions.empty:
        return 0
    wording_codes, wordings = pd.factorize(questions.wording.astype(object))
    key_codes, keys = pd.factorize(np.array(normalise_all(wordings), dtype=object)[wording_codes])
    keys = list(keys)
    group_of_key, outside = _stored_groups(tx)
    new_keys = [key for key in keys if key not in group_of_key]
    labels = matcher().label(new_keys, list(outside.wording_key), [("group", int(g)) for g in outside.group_id])
    first_asked = pd.Series(np.arange(len(key_codes))).groupby(key_codes).first().to_numpy()
    position = {key: n for n, key in enumerate(keys)}
    group_of_key |= _groups_for_labels(tx, questions, new_keys, labels,
                                       [first_asked[position[key]] for key in new_keys])
    decided = _apply_decisions(tx, questions, keys, group_of_key, [first_asked[position[key]] for key in keys])
    group_ids = np.array([group_of_key[key] for key in keys], dtype="int64")
    tx.insert_frame("question_group_members", pd.DataFrame({
        "question_id": questions.id.to_numpy(dtype="int64"),
        "group_id": group_ids[key_codes],
        # An object column: DuckDB reads it many times faster than a categorical of 100,000 keys.
        "wording_key": np.array(keys, dtype=object)[key_codes],
        "pinned": np.array([key in decided for key in keys], dtype=bool)[key_codes],
    }))
    return len(questions)


def current_groups(reader: Database | Transaction, group_ids: list[int]) -> dict[int, int]:
    """Where each group counts now (after merges); groups that no longer exist are left out."""
    if not group_ids:
        return {}
    rows = reader.query("asked_before_current_groups", ids=[int(g) for g in group_ids])
    return dict(zip(rows.id.astype(int), rows.current_id.astype(int)))


def _apply_decisions(tx: Transaction, questions: pd.DataFrame, keys: list[str], group_of_key: dict[str, int],
                     first_rows: list[int]) -> set[str]:
    """The user's "Asked before?" answers win over the matcher; return the wordings they placed (pinned).

    The latest "same question" for a wording puts it in that group. Otherwise, a wording the matcher
    put in a group the user called different gets a group of its own.
    """
    decisions = tx.query("asked_before_wording_decisions", keys=keys)
    if decisions.empty:
        return set()
    current = current_groups(tx, sorted({int(g) for g in group_of_key.values()}))
    placed = set()
    for key, row in zip(keys, first_rows):
        mine = decisions[decisions.wording_key == key]
        if mine.empty:
            continue
        same = mine[mine.same]
        if not same.empty:
            group_of_key[key] = int(same.group_id.iloc[-1])
            placed.add(key)
        elif current.get(group_of_key[key], group_of_key[key]) in set(mine.group_id.astype("int64")):
            group_of_key[key] = int(tx.scalar("grouping_insert_group", canonical=questions.wording.iloc[row],
                                              category=cell_text(questions.category.iloc[row]) or None, made_by="split"))
            placed.add(key)
    return placed


def _stored_groups(tx: Transaction) -> tuple[dict[str, int], pd.DataFrame]:
    """Where each stored wording counts now, and the stored out-of-bank wordings, oldest first.

    A wording asked again goes where it already is: where the user pinned it (the latest split),
    else to the group it is asked in most.
    """
    known = tx.query("grouping_known_wordings")
    known["preference"] = np.where(known.pinned, known.group_id, known.questions)
    exact = known.sort_values(["pinned", "preference"], ascending=False).drop_duplicates("wording_key")
    outside = known[known.intent.isna()].sort_values("first_question").drop_duplicates("wording_key")
    return dict(zip(exact.wording_key, exact.group_id.astype("int64").tolist())), outside


def _groups_for_labels(tx: Transaction, questions: pd.DataFrame, keys: list[str], labels: list,
                       first_rows: list[int]) -> dict[str, int]:
    """The group id of each newly labelled wording, creating the groups it needs.

    A bank intent gets one group (made the first time it is used); a new out-of-bank label gets
    a group named after the first question asked in it, filed under that question's category.
    """
    intent_groups = {intent: int(group) for intent, group in
                     tx.query("grouping_intent_groups")[["intent", "id"]].itertuples(index=False)}
    intent_of = {intent.key: intent for intent in matcher().intents}
    wanted_intents = sorted({label for label in labels if isinstance(label, str)} - set(intent_groups))
    wanted_labels = {label for label in labels if isinstance(label, (int, np.integer))}
    ids = iter(tx.new_ids("question_groups", len(wanted_intents) + len(wanted_labels)))
    rows = []   # new question_groups: id, canonical, category, intent
    for intent in wanted_intents:
        intent_groups[intent] = next(ids)
        rows.append((intent_groups[intent], intent_of[intent].canonical, intent_of[intent].category, intent))
    categories = questions.category.astype(object).to_numpy()
    label_groups: dict[int, int] = {}
    group_of_key = {}
    for key, label, row in zip(keys, labels, first_rows):
        if isinstance(label, str):
            group_of_key[key] = intent_groups[label]
        elif isinstance(label, tuple):             # ("group", id): joins a stored out-of-bank group
            group_of_key[key] = label[1]
        else:
            if label not in label_groups:
                label_groups[label] = next(ids)
                category = categories[row]
                rows.append((label_groups[label], questions.wording.iloc[row],
                             None if category is None or pd.isna(category) else str(category), None))
            group_of_key[key] = label_groups[label]
    if rows:
        tx.insert_frame("question_groups", pd.DataFrame(rows, columns=["id", "canonical", "category", "intent"]))
    return group_of_key


def merge_groups(db: Database, keep_group_id: int, other_group_id: int) -> int:
    """The user says two groups are one question: `other` counts under `keep` from now on; return keep's id.

    Stored as a pointer (`merged_into`), so questions the matcher puts in `other` later count
    under `keep` too. Merging a group with itself (or one already merged into it) changes nothing.
    """
    with db.transaction() as tx:
        keep, other = tx.query("grouping_group", id=int(keep_group_id)), tx.query("grouping_group", id=int(other_group_id))
        if keep.empty or other.empty:
            raise GroupingError("One of those question groups no longer exists; reload the page and pick again.")
        keep_id, other_id = int(keep.current_id.iloc[0]), int(other.current_id.iloc[0])
        if keep_id != other_id:
            tx.execute("asked_before_forget_different_between", keep=keep_id, other=other_id)
            tx.execute("grouping_merge", keep=keep_id, other=other_id)
        return keep_id


def split_question(db: Database, question_id: int) -> int:
    """Take one question out into a group of its own, pinned there for good; return the new group's id.

    The same wording asked later lands in this new group too (the user's latest choice for a
    wording wins); merging the new group back undoes the split.
    """
    with db.transaction() as tx:
        found = tx.query("grouping_question", id=int(question_id))
        if found.empty:
            raise GroupingError("That question no longer exists; reload the page and pick again.")
        row = found.iloc[0]
        category = cell_text(row.category) or cell_text(row.group_category) or None
        group_id = int(tx.scalar("grouping_insert_group", canonical=row.wording, category=category, made_by="split"))
        tx.execute("asked_before_forget_wording_decisions", key=normalise(row.wording))
        tx.execute("grouping_delete_membership", id=int(question_id))
        tx.execute("grouping_insert_membership", question_id=int(question_id), group_id=group_id,
                   wording_key=normalise(row.wording), pinned=True)
        return group_id


def groups_frame(db: Database) -> pd.DataFrame:
    """Every group with questions in it: group_id, canonical, category, n_questions (most asked first)."""
    return db.query("groups_frame")
