"""Matching normalised wordings to the bank's intents, or to each other outside it: `Matcher`.

In short (docs/grouping.md has the design and the figures behind each constant): a wording's
stemmed words and char 3-grams, TF-IDF weighted, are compared with every bank phrasing; the best
intent wins at BANK_THRESHOLD or more unless the opposite guard (guards.py) forbids it or its
phrasings know too little of the wording's topic words. A wording outside the bank joins the
most similar known or earlier out-of-bank wording by topic words at OUTSIDE_THRESHOLD or more,
else starts a group. `group_wordings` does it without a database; store.py stores the result.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import __version__ as scipy_version
from threadpoolctl import threadpool_limits

from .bank import BANK
from .guards import AXES, conflicts, sides
from .normalise import FRAME_WORDS, normalise_all, stem

WORD_WEIGHT = 0.5          # share of the word n-grams in the similarity (the rest: char n-grams)
MAX_WEIGHT = 0.6           # share of the best single phrasing in an intent's score (the rest: centroid)
BANK_THRESHOLD = 0.30
OUTSIDE_THRESHOLD = 0.30
MIN_TOPIC_SHARE = 0.5       # share of a wording's topic-word weight its intent must know (see bank_match)
SURE_SCORE = 0.40          # at or above this, the topic check of bank_match is skipped
SIDE_SHARE = 0.8           # an intent takes a side when this share of its side-taking phrasings do
COMMON_SHARE = 0.03         # a feature in more than this share of bank phrasings is "common" (see Matcher)
CHUNK = 2048               # wordings scored against the bank at once (bounds the dense score blocks)
OUTSIDE_CHUNK = 256        # out-of-bank wordings clustered at once: the all-pairs block stays small
BOUND_MARGIN = 1e-3        # below BANK_THRESHOLD by more than this, a bound rules a wording out (see bank_match)
OUTSIDE_COMMON_SHARE = 0.05  # a feature in more than this share of the wordings clustered is "common"
RECENT_REFERENCES = 512    # new groups kept apart from the older ones' transpose (see _cluster_outside)

# -- vectors -----------------------------------------------------------------------------------

# Hashed, not fitted: no vocabulary to learn, and words the bank never saw still count (so an
# unknown question looks unlike the bank rather than like its few known words). The columns are
# those of sklearn's HashingVectorizer(n_features=N_FEATURES, alternate_sign=False, norm=None)
# with these analyzers: stemmed words and word pairs; char 3-grams of each word padded with
# spaces (char_wb; 3–5-grams scored the same on the benchmark, F1 0.937 vs 0.936, at about twice
# the cost); for the topic words, each pair also written as one word ("hash map" meets "hashmap").
# tests/test_matcher_cache.py checks the hash against sklearn's, which is not imported here
# (importing it took about a second of every command that groups).
N_FEATURES = 2**20
_C1, _C2 = 0xCC9E2D51, 0x1B873593


def _murmur3(features: list[str]) -> np.ndarray:
    """MurmurHash3 (x86, 32-bit, seed 0) of each feature's UTF-8 bytes, as int32: sklearn's murmurhash3_32."""
    data = [feature.encode("utf-8") for feature in features]
    lengths = np.fromiter(map(len, data), dtype=np.int64, count=len(data))
    width = int(-(-lengths.max() // 4) * 4) if len(data) else 4
    padded = np.zeros((len(data), max(width, 4)), dtype=np.uint8)
    flat = np.frombuffer(b"".join(data), dtype=np.uint8)
    rows = np.repeat(np.arange(len(data)), lengths)
    padded[rows, np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = flat
    blocks = padded.view("<u4")
    full = lengths // 4
    h = np.zeros(len(data), dtype=np.uint32)
    for b in range(blocks.shape[1]):
        k = blocks[:, b] * np.uint32(_C1)
        k = ((k << np.uint32(15)) | (k >> np.uint32(17))) * np.uint32(_C2)
        mixed = h ^ k      # a block's k; the tail's k (zero padded) is only xored in
        rolled = ((mixed << np.uint32(13)) | (mixed >> np.uint32(19))) * np.uint32(5) + np.uint32(0xE6546B64)
        h = np.where(full > b, rolled, mixed)
    h ^= lengths.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def _hashed_columns(features: list[str]) -> np.ndarray:
    """The column HashingVectorizer gives each feature: |murmurhash3_32| mod N_FEATURES (and, for the
    one hash whose absolute value overflows an int32, where sklearn's _hashing_fast puts it)."""
    hashed = _murmur3(features).astype(np.int64)
    columns = np.abs(hashed) % N_FEATURES
    columns[hashed == -2**31] = (2**31 - 1 - (N_FEATURES - 1)) % N_FEATURES
    return columns


class _Columns(dict):
    """Feature → column, remembered for the process: the same few thousand words make up nearly every question."""

    def of(self, features: list[str]) -> np.ndarray:
        missing = [f for f in dict.fromkeys(features) if f not in self]
        if len(self) + len(missing) > 2_000_000:   # a long-lived process: start afresh rather than grow
            self.clear()
            missing = list(dict.fromkeys(features))
        if missing:
            self.update(zip(missing, _hashed_columns(missing).tolist()))
        return np.fromiter(map(self.__getitem__, features), dtype=np.int64, count=len(features))


_COLUMNS = _Columns()


class _Words:
    """The words of some wordings, each distinct word once: `ids` per word in order, `row` its wording.

    A wording's features depend only on its words, not on how they are numbered, so `topics` can
    take its words from these (split, numbered and stemmed once for the bank and the clustering).
    """

    def __init__(self, keys: list[str]):
        split = list(map(str.split, keys))
        row = np.repeat(np.arange(len(keys)), np.fromiter(map(len, split), dtype=np.int64, count=len(split)))
        ids, words = pd.factorize(np.array(list(chain.from_iterable(split)), dtype=object))
        self._set(row, ids.astype(np.int64), words, np.array(list(map(stem, words)), dtype=object), len(keys))

    def _set(self, row: np.ndarray, ids: np.ndarray, words: np.ndarray, stems: np.ndarray, rows: int) -> None:
        self.row, self.ids, self.rows = row, ids, rows
        self._words, self._stems = words, stems
        self.words, self.stems = list(words), list(stems)
        # Adjacent words of one wording: position n and n + 1.
        self.pair = np.flatnonzero(self.row[1:] == self.row[:-1])

    def topics(self, rows: np.ndarray | None = None) -> _Words:
        """The topic words alone (the question frame dropped), of every wording or of `rows` (numbered 0, 1, … in that order)."""
        kept = np.fromiter((word not in FRAME_WORDS for word in self._words), dtype=bool, count=len(self._words))
        used = kept[self.ids]
        row = self.row
        if rows is not None:
            new_row = np.full(self.rows, -1)
            new_row[rows] = np.arange(len(rows))
            row = new_row[row]
            used &= row >= 0
        taken, ids = np.unique(self.ids[used], return_inverse=True)
        topics = _Words.__new__(_Words)
        topics._set(row[used], ids.astype(np.int64), self._words[taken], self._stems[taken],
                    self.rows if rows is None else len(rows))
        return topics

    def pair_columns(self, join: str) -> np.ndarray:
        """The column of each adjacent pair's stems joined by `join` (' ': a word pair; '': the pair as one word, stemmed)."""
        left, right = self.ids[self.pair], self.ids[self.pair + 1]
        codes, first = np.unique(left * len(self.words) + right, return_inverse=True)
        a, b = np.divmod(codes, len(self.words))
        if join:
            features = [self.stems[x] + join + self.stems[y] for x, y in zip(a.tolist(), b.tolist())]
        else:
            features = [stem(self.words[x] + self.words[y]) for x, y in zip(a.tolist(), b.tolist())]
        return _COLUMNS.of(features)[first]

    def word_counts(self) -> sp.csr_matrix:
        """Stemmed words and word pairs."""
        columns = np.concatenate([_COLUMNS.of(self.stems)[self.ids], self.pair_columns(" ")])
        return _counts(np.concatenate([self.row, self.row[self.pair]]), columns, self.rows)

    def char_counts(self) -> sp.csr_matrix:
        """Char 3-grams of each word padded with spaces, as sklearn's char_wb analyzer makes them."""
        padded = [f" {word} " for word in self.words]
        sizes = np.fromiter((max(1, len(p) - 2) for p in padded), dtype=np.int64, count=len(padded))
        grams = _COLUMNS.of([p[i:i + 3] for p in padded for i in range(max(1, len(p) - 2))])
        starts = np.cumsum(sizes) - sizes
        taken = sizes[self.ids]
        at = np.repeat(starts[self.ids] - (np.cumsum(taken) - taken), taken) + np.arange(taken.sum())
        return _counts(np.repeat(self.row, taken), grams[at], self.rows)

    def stem_presence(self) -> sp.csr_matrix:
        """1 for each stemmed word a wording has."""
        return _counts(self.row, _COLUMNS.of(self.stems)[self.ids], self.rows, binary=True)

    def joined_pair_presence(self) -> sp.csr_matrix:
        """1 for each pair of adjacent words written as one word and stemmed: "hash map" meets "hashmap"."""
        return _counts(self.row[self.pair], self.pair_columns(""), self.rows, binary=True)


def _counts(rows: np.ndarray, columns: np.ndarray, count: int, *, binary: bool = False) -> sp.csr_matrix:
    """Feature counts in canonical CSR (float64), as sklearn's FeatureHasher leaves them."""
    counts = sp.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(count, N_FEATURES))
    counts.sum_duplicates()  # also sorts each row's columns
    if binary:
        counts.data[:] = 1.0
    return counts


def _topic_presence(keys: list[str]) -> sp.csr_matrix:
    """The topic words alone, 1 each, for the topic check of `Matcher.bank_match`."""
    return _Words(keys).topics().stem_presence()


def _l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Each row divided by its length (a copy): sklearn's normalize(), the same sums in the same order."""
    out = matrix.copy()
    rows = np.repeat(np.arange(out.shape[0]), np.diff(out.indptr))
    lengths = np.sqrt(np.bincount(rows, weights=out.data * out.data, minlength=out.shape[0]))
    lengths[lengths == 0.0] = 1.0
    out.data /= lengths[rows]
    return out


@dataclass
class Counts:
    """Sublinear term counts of some normalised wordings, words and chars apart."""
    words: sp.csr_matrix
    chars: sp.csr_matrix

    @classmethod
    def of_topics(cls, keys: list[str]) -> Counts:
        """Counts of the topic words only (for comparing questions outside the bank).

        Word pairs also count written as one word, so "hash map" meets "hashmap" and "data base"
        meets "database".
        """
        return cls.of_topic_words(_Words(keys).topics())

    @classmethod
    def of_topic_words(cls, words: _Words) -> Counts:
        """`of_topics` of words already split (`_Words.topics`)."""
        counts = cls.of_words(words)
        return cls(counts.words + words.joined_pair_presence(), counts.chars)

    @classmethod
    def of(cls, keys: list[str]) -> Counts:
        return cls.of_words(_Words(keys))

    @classmethod
    def of_words(cls, words: _Words) -> Counts:
        words, chars = words.word_counts(), words.char_counts()
        for matrix in (words, chars):
            np.log(matrix.data, out=matrix.data)     # sublinear tf, as sklearn's: 1 + log(tf)
            matrix.data += 1.0
        return cls(words, chars)

    def stack(self, other: Counts) -> Counts:
        return Counts(sp.vstack([self.words, other.words]).tocsr(), sp.vstack([self.chars, other.chars]).tocsr())

    def __len__(self) -> int:
        return self.words.shape[0]


@dataclass
class Space:
    """IDF weights for words and chars: turns Counts into unit rows whose dot product is a similarity."""
    word_idf: np.ndarray
    char_idf: np.ndarray

    @classmethod
    def fitted(cls, counts: Counts) -> Space:
        def idf(matrix):
            df = np.bincount(matrix.indices, minlength=matrix.shape[1])
            return (np.log((1 + matrix.shape[0]) / (1 + df)) + 1).astype(np.float64)
        return cls(idf(counts.words), idf(counts.chars))

    def vectors(self, counts: Counts) -> sp.csr_matrix:
        halves = []
        for matrix, idf, weight in ((counts.words, self.word_idf, WORD_WEIGHT), (counts.chars, self.char_idf, 1 - WORD_WEIGHT)):
            weighted = matrix.copy()
            weighted.data *= idf[weighted.indices]
            halves.append(_l2_rows(weighted) * np.sqrt(weight))
        return sp.hstack(halves, format="csr")


# -- the matcher -------------------------------------------------------------------------------

class Matcher:
    """The bank in vector form, and the rules that put a wording in a group."""

    def __init__(self, bank=BANK):
        self.intents = bank
        self.keys = np.array([intent.key for intent in bank], dtype=object)
        phrasings = normalise_all(p for intent in bank for p in intent.phrasings)
        owner = np.repeat(np.arange(len(bank)), [len(intent.phrasings) for intent in bank])
        self.bank_counts = Counts.of(phrasings)
        self.bank_topic_counts = Counts.of_topics(phrasings)
        self.space = Space.fitted(self.bank_counts)
        self.phrasings = self.space.vectors(self.bank_counts)
        self.starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        membership = sp.csr_matrix((np.ones(len(owner)), (owner, np.arange(len(owner)))))
        # Features found in many phrasings (" wh", "you") would make the sparse product touch
        # every phrasing for every wording; they are few, so that part is done as a dense product.
        df = np.bincount(self.phrasings.indices, minlength=self.phrasings.shape[1])
        common = np.flatnonzero(df > COMMON_SHARE * len(phrasings))
        self.select_common = sp.csr_matrix((np.ones(len(common)), (common, np.arange(len(common)))),
                                           shape=(self.phrasings.shape[1], len(common)))
        self.common_phrasings = (self.phrasings @ self.select_common).toarray().T.astype(np.float32)
        self.select_common = self.select_common.astype(np.float32)
        rare = self.phrasings.copy()
        rare.data[np.isin(rare.indices, common)] = 0.0
        rare.eliminate_zeros()
        # Single precision for the products with every phrasing: half the memory traffic, and
        # scores differ from double precision by ~1e-7, far below any threshold.
        self.rare_phrasings_t = rare.T.tocsr().astype(np.float32)
        # A centroid's cosine is the sum of the cosines to its phrasings over the length of their sum,
        # so it comes from the phrasing cosines already at hand (see intent_scores).
        summed = membership @ self.phrasings
        lengths = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
        self.centroid_scale = (1.0 / np.maximum(lengths, 1e-12)).astype(np.float32)
        # A bound on each intent's score (see bank_match): the vectors are not negative, so a
        # wording's best cosine with an intent's phrasings is at most its dot product with their
        # feature-wise maximum, and its centroid cosine is its dot product with their scaled sum.
        maxima = _row_group_maxima(self.phrasings, owner, len(bank))
        self.bound_t = (MAX_WEIGHT * maxima + (1 - MAX_WEIGHT) * sp.diags(self.centroid_scale.astype(np.float64)) @ summed).T.tocsr()
        self.intent_sides = _intent_sides(sides(phrasings), owner, len(bank))
        # Which topic words (question frame dropped) each intent's phrasings use, and their IDF.
        topics = _topic_presence(phrasings)
        df = np.bincount(topics.indices, minlength=topics.shape[1])
        self.topic_idf = np.log((1 + len(phrasings)) / (1 + df)) + 1
        vocabulary = (membership @ topics).tocsr()
        vocabulary.data[:] = 1.0
        self.intent_vocabulary_t = vocabulary.T.tocsr()

    # What the methods use, as stored in the cache file (see `matcher`); the rest is rebuilt from the bank.
    _STORED = ("bank_topic_counts.words", "bank_topic_counts.chars", "space.word_idf", "space.char_idf", "starts",
               "select_common", "common_phrasings", "rare_phrasings_t", "centroid_scale", "bound_t", "intent_sides",
               "topic_idf", "intent_vocabulary_t")

    def arrays(self) -> dict[str, np.ndarray]:
        """The state `_STORED` names, as plain arrays (for np.savez)."""
        out: dict[str, np.ndarray] = {}
        for name in self._STORED:
            value = self
            for part in name.split("."):
                value = getattr(value, part)
            out.update(_as_arrays(name, value))
        return out

    @classmethod
    def from_arrays(cls, arrays, bank=BANK) -> Matcher:
        """The matcher whose `arrays()` these are (bank: the bank it was built from)."""
        self = cls.__new__(cls)
        self.intents = bank
        self.keys = np.array([intent.key for intent in bank], dtype=object)
        value = {name: _from_arrays(name, arrays) for name in cls._STORED}
        self.bank_topic_counts = Counts(value.pop("bank_topic_counts.words"), value.pop("bank_topic_counts.chars"))
        self.space = Space(value.pop("space.word_idf"), value.pop("space.char_idf"))
        self.__dict__.update(value)
        return self

    def intent_scores(self, vectors: sp.csr_matrix) -> np.ndarray:
        """(wordings, intents): MAX_WEIGHT × best phrasing cosine + the rest × centroid cosine."""
        vectors = vectors.astype(np.float32)
        cosines = (vectors @ self.rare_phrasings_t).toarray()
        cosines += (vectors @ self.select_common).toarray() @ self.common_phrasings
        nearest = np.maximum.reduceat(cosines, self.starts, axis=1)
        centroid = np.add.reduceat(cosines, self.starts, axis=1) * self.centroid_scale
        return MAX_WEIGHT * nearest + (1 - MAX_WEIGHT) * centroid

    def bank_match(self, counts: Counts, key_sides: np.ndarray, topics: sp.csr_matrix | None = None) -> np.ndarray:
        """Per wording, the index of its intent in the bank, or -1.

        `topics` (binary topic-word counts, `_topic_presence`): a wording whose topic words are mostly
        unknown to the best intent's phrasings (less than MIN_TOPIC_SHARE of their IDF weight)
        does not join it unless it scores SURE_SCORE or more: "Do you have any criminal
        convictions?" is not "Do you have any questions for us?", while "Tell me about yourself,
        here at Contoso" (whose only topic word is the company) is sure enough. A wording made of
        frame words only ("Tell me about yourself") has nothing to check.
        """
        vectors = self.space.vectors(counts)
        found = np.full(len(counts), -1)
        # A wording whose bound reaches BANK_THRESHOLD for no intent joins none: its exact scores
        # (a dense product with every phrasing, most of the time here) are worked out only for the
        # others. BOUND_MARGIN covers the single-precision rounding of the exact scores.
        near = np.flatnonzero((vectors @ self.bound_t).max(axis=1).toarray().ravel() >= BANK_THRESHOLD - BOUND_MARGIN)
        if len(near) == 0:
            return found
        vectors, key_sides = vectors[near], key_sides[near]
        topics = None if topics is None else topics[near]
        scores = self.intent_scores(vectors)
        scores[conflicts(key_sides, self.intent_sides, strict=True)] = -1.0
        best = scores.argmax(axis=1)
        best_scores = scores[np.arange(len(best)), best]
        matched = best_scores >= BANK_THRESHOLD
        if topics is not None:
            weighted = topics.astype(np.float64)
            weighted.data *= self.topic_idf[weighted.indices]
            total = np.asarray(weighted.sum(axis=1)).ravel()
            known = (weighted @ self.intent_vocabulary_t).toarray()[np.arange(len(best)), best]
            matched &= (total == 0) | (known >= MIN_TOPIC_SHARE * total) | (best_scores >= SURE_SCORE)
        found[near] = np.where(matched, best, -1)
        return found

    def bank_intents(self, keys: list[str], key_sides: np.ndarray | None = None, words: _Words | None = None) -> list:
        """The bank intent key of each normalised wording, or None: the bank part of `label`, nothing clustered.

        `words`: `_Words(keys)`, when the caller has it already.
        """
        words = _Words(keys) if words is None else words
        counts = Counts.of_words(words)
        topics = words.topics().stem_presence()
        key_sides = sides(keys) if key_sides is None else key_sides
        found = np.full(len(keys), -1)
        for start in range(0, len(keys), CHUNK):
            block = slice(start, start + CHUNK)
            found[block] = self.bank_match(Counts(counts.words[block], counts.chars[block]), key_sides[block],
                                           topics[block])
        return np.where(found >= 0, self.keys[np.maximum(found, 0)], None).tolist() if len(keys) else []

    def label(self, keys: list[str], known_keys: list[str] = (), known_labels: Iterable = ()) -> list:
        """A label per normalised wording: the intent key (str), a known label it joins, or a new int.

        `known_keys`/`known_labels`: wordings already grouped outside the bank and their labels
        (any hashable but an int). New out-of-bank groups are numbered 0, 1, … in order of first
        appearance.
        """
        if not keys:
            return []
        key_sides = sides(keys)
        # One BLAS thread: the dense products here are many and small, and OpenBLAS's threads
        # spin waiting for each other; on this two-core machine, busy with other work, 100,000
        # wordings took 31 s with its default threads and 6 s with one (benchmarks/bench_import.py).
        with threadpool_limits(1, user_api="blas"):
            words = _Words(keys)
            labels: list = self.bank_intents(keys, key_sides, words)
            outside = [n for n, label in enumerate(labels) if label is None]
            if outside:
                clustered = _cluster_outside(self, [keys[n] for n in outside], key_sides[outside],
                                             list(known_keys), list(known_labels), words.topics(np.array(outside)))
                for n, label in zip(outside, clustered):
                    labels[n] = label
        return labels


def _row_group_maxima(matrix: sp.csr_matrix, group: np.ndarray, count: int) -> sp.csr_matrix:
    """(count, columns): per group of rows, the column-wise maximum of its rows' stored values."""
    coo = matrix.tocoo()
    key = group[coo.row].astype(np.int64) * matrix.shape[1] + coo.col
    order = np.lexsort((coo.data, key))
    key, data = key[order], coo.data[order]
    last = np.r_[key[1:] != key[:-1], True]
    rows, columns = np.divmod(key[last], matrix.shape[1])
    return sp.csr_matrix((data[last], (rows, columns)), shape=(count, matrix.shape[1]))


def _intent_sides(phrasing_sides: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """An intent is on a side of an axis when at least SIDE_SHARE of its phrasings that take a side take that one.

    Not all of them: one stray phrasing ("What takes away your drive?" reads as "drive") used to
    make an intent neutral, and a neutral intent refuses every wording that takes a side (strict
    guard), so "What demotivates you?" could not join what-demotivates-you. tests/test_grouping.py
    checks that the bank has no such strays left. On valence, which is not strict, a neutral intent
    refuses nothing, and one that takes a side ("ideal_environment": best work, thrive) refuses
    the other ("Where do you find it hardest to work?").
    """
    out = np.zeros((count, phrasing_sides.shape[1]), dtype=np.int8)
    for intent in range(count):
        taken = phrasing_sides[owner == intent]
        for a in range(taken.shape[1]):
            for_, against = int((taken[:, a] == 1).sum()), int((taken[:, a] == 2).sum())
            if for_ + against and max(for_, against) >= SIDE_SHARE * (for_ + against):
                out[intent, a] = 1 if for_ > against else 2
    return out


def _cluster_outside(matcher: Matcher, keys: list[str], key_sides: np.ndarray,
                     known_keys: list[str], known_labels: list, topic_words: _Words | None = None) -> list:
    """Out-of-bank wordings: join the most similar known or earlier wording, else a new group.

    The IDF here is fitted on the bank plus every wording at hand, so words the bank never uses
    ("TCP", "hash map") carry weight. Each new group keeps its first wording as representative and
    the comparison is against representatives (and all known wordings), which keeps the cost at
    wordings × groups rather than wordings².
    """
    counts = Counts.of_topics(keys) if topic_words is None else Counts.of_topic_words(topic_words)
    known_counts, known_sides = _known_features(known_keys) if known_keys else (None, None)
    pool = matcher.bank_topic_counts.stack(counts)
    if known_counts is not None:
        pool = pool.stack(known_counts)
    space = Space.fitted(pool)
    vectors = space.vectors(counts)
    reference = space.vectors(known_counts) if known_counts is not None else sp.csr_matrix((0, vectors.shape[1]))
    # Only the features these wordings use, renumbered in the same order: the dot products are the
    # same sums in the same order, but a transpose no longer walks 2**21 hashed columns per block.
    used = np.unique(np.concatenate([vectors.indices, reference.indices]))
    vectors, reference = _only_columns(vectors, used), _only_columns(reference, used)
    # Features most wordings share ("question", " in") would make every sparse product touch every
    # group; that part is a dense product, as in Matcher.intent_scores (scores then differ from
    # an all-sparse sum by rounding only, ~1e-16).
    df = np.bincount(np.concatenate([vectors.indices, reference.indices]), minlength=len(used))
    common = np.flatnonzero(df > OUTSIDE_COMMON_SHARE * (vectors.shape[0] + reference.shape[0]))
    vectors_common, vectors = _split_columns(vectors, common)
    reference_common, reference = _split_columns(reference, common)
    # The references grow by each block's leaders: in their sparse part, the latest ones (`recent`)
    # are kept apart from the transpose of the older ones until there are RECENT_REFERENCES of them,
    # and the dense part grows in place, so a block does not copy every reference again. A sparse
    # product's entry depends only on its row and its column: the scores are the same sums.
    reference_t, recent = reference.T.tocsr(), reference[:0]
    reference_common = _GrowingRows(reference_common)
    reference_sides = known_sides if known_keys else np.zeros((0, len(AXES)), dtype=np.int8)
    reference_labels = list(known_labels)
    labels: list = [None] * len(keys)
    next_label = 0
    for start in range(0, len(keys), OUTSIDE_CHUNK):
        block = range(start, min(start + OUTSIDE_CHUNK, len(keys)))
        size = len(block)
        rows, rows_common = vectors[block.start:block.stop], vectors_common[block.start:block.stop]
        to_known = rows_common @ reference_common.rows.T
        to_known[:, :reference_t.shape[1]] += (rows @ reference_t).toarray()
        if recent.shape[0]:
            to_known[:, reference_t.shape[1]:] += (rows @ recent.T.tocsr()).toarray()
        to_known[conflicts(key_sides[block.start:block.stop], reference_sides)] = -1.0
        if to_known.shape[1]:
            best_known = to_known.argmax(axis=1)
            known_score = to_known[np.arange(size), best_known]
        else:
            best_known, known_score = np.full(size, -1), np.full(size, -1.0)
        # A wording starts a group when nothing known and no earlier leader of this block reaches
        # OUTSIDE_THRESHOLD; only those no known wording reaches can, so only they are walked in
        # turn, and the block's similarities are worked out only to them (`within`: to `open_`).
        open_ = np.flatnonzero(known_score < OUTSIDE_THRESHOLD)
        within = rows_common @ rows_common[open_].T
        within += (rows @ rows[open_].T).toarray()
        within[conflicts(key_sides[block.start:block.stop], key_sides[block.start + open_])] = -1.0
        leaders: list[int] = []          # positions in this block that started a group
        columns: list[int] = []          # and their columns in `within`
        for column, i in enumerate(open_):
            if not leaders or within[i, columns].max() < OUTSIDE_THRESHOLD:
                leaders.append(int(i))
                columns.append(column)
        # Every other wording joins the best of its best known wording and the best leader before it
        # (the first of equals, as argmax gives it; the known one when they tie).
        if leaders:
            to_leaders = within[:, columns]
            to_leaders[np.asarray(leaders)[None, :] >= np.arange(size)[:, None]] = -np.inf
            best_leader = to_leaders.argmax(axis=1)
            leader_score = to_leaders[np.arange(size), best_leader]
            leader_score[np.isneginf(leader_score)] = -1.0
        else:
            best_leader, leader_score = np.zeros(size, dtype=int), np.full(size, -1.0)
        is_leader = np.zeros(size, dtype=bool)
        is_leader[leaders] = True
        for i, n in enumerate(block):
            if is_leader[i]:
                labels[n] = next_label
                next_label += 1
            elif known_score[i] >= leader_score[i]:
                labels[n] = reference_labels[best_known[i]]
            else:
                labels[n] = labels[block.start + leaders[best_leader[i]]]
        # This block's leaders become known to the next blocks.
        new = [block.start + i for i in leaders]
        if new:
            recent = sp.vstack([recent, vectors[new]]).tocsr()
            if recent.shape[0] >= RECENT_REFERENCES:
                reference, recent = sp.vstack([reference, recent]).tocsr(), recent[:0]
                reference_t = reference.T.tocsr()
            reference_common.append(vectors_common[new])
            reference_sides = np.vstack([reference_sides, key_sides[new]])
            reference_labels += [labels[n] for n in new]
    return labels


class _GrowingRows:
    """A dense array that grows by rows with room to spare, so that appending seldom copies it."""

    def __init__(self, rows: np.ndarray):
        self._buffer, self._count = rows, len(rows)

    @property
    def rows(self) -> np.ndarray:
        return self._buffer[:self._count]

    def append(self, rows: np.ndarray) -> None:
        if self._count + len(rows) > len(self._buffer):
            bigger = np.empty((max(2 * len(self._buffer), self._count + len(rows), 256), self._buffer.shape[1]),
                              dtype=self._buffer.dtype)
            bigger[:self._count] = self.rows
            self._buffer = bigger
        self._buffer[self._count:self._count + len(rows)] = rows
        self._count += len(rows)


def _only_columns(matrix: sp.csr_matrix, columns: np.ndarray) -> sp.csr_matrix:
    """`matrix` restricted to `columns` (sorted, and holding every column it uses), renumbered 0, 1, …"""
    return sp.csr_matrix((matrix.data, np.searchsorted(columns, matrix.indices), matrix.indptr),
                         shape=(matrix.shape[0], len(columns)))


def _split_columns(matrix: sp.csr_matrix, columns: np.ndarray) -> tuple[np.ndarray, sp.csr_matrix]:
    """`matrix`'s `columns` (sorted, distinct) as a dense array, and the rest of it (those columns zeroed) as sparse."""
    position = np.full(matrix.shape[1], -1)
    position[columns] = np.arange(len(columns))
    where = position[matrix.indices]
    taken = where >= 0
    dense = np.zeros((matrix.shape[0], len(columns)), dtype=matrix.dtype)
    dense[np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[taken], where[taken]] = matrix.data[taken]
    rest = matrix.copy()
    rest.data[taken] = 0.0
    rest.eliminate_zeros()
    return dense, rest


_known_cache: dict[str, object] = {"keys": [], "counts": None, "sides": None}


def _known_features(known_keys: list[str]) -> tuple[Counts, np.ndarray]:
    """Topic counts and sides of the stored out-of-bank wordings, reusing those of the last call.

    The stored wordings come oldest first (grouping_known_wordings), so a save usually finds
    the previous list plus a few: only those few are worked out again. Saving a debrief in a
    database with tens of thousands of distinct wordings stays fast that way.
    """
    cached = _known_cache["keys"]
    if cached and len(cached) <= len(known_keys) and known_keys[:len(cached)] == cached:
        tail = known_keys[len(cached):]
        counts, key_sides = _known_cache["counts"], _known_cache["sides"]
        if tail:
            counts, key_sides = counts.stack(Counts.of_topics(tail)), np.vstack([key_sides, sides(tail)])
    else:
        counts, key_sides = Counts.of_topics(known_keys), sides(known_keys)
    _known_cache.update(keys=list(known_keys), counts=counts, sides=key_sides)
    return counts, key_sides


def _as_arrays(name: str, value) -> dict[str, np.ndarray]:
    """One stored value as arrays: a sparse matrix by its parts (a tall one by its transpose's, whose
    row pointers are short), a long vector by the entries that differ from its most common value."""
    if sp.issparse(value):
        tall = value.shape[0] > value.shape[1]
        parts = value.T.tocsr() if tall else value
        return {f"{name}:{'csr_t' if tall else 'csr'}": np.array(parts.shape), f"{name}:data": parts.data,
                f"{name}:indices": parts.indices, f"{name}:indptr": parts.indptr}
    if value.ndim == 1 and len(value) > 100_000:
        values, counts = np.unique(value, return_counts=True)
        common = values[counts.argmax()]
        where = np.flatnonzero(value != common)
        return {f"{name}:fill": np.array([common]), f"{name}:length": np.array([len(value)]),
                f"{name}:where": where, f"{name}:values": value[where]}
    return {name: value}


def _from_arrays(name: str, arrays) -> object:
    """The value `_as_arrays` stored under `name`."""
    for kind in ("csr", "csr_t"):
        if f"{name}:{kind}" in arrays:
            shape = tuple(int(n) for n in arrays[f"{name}:{kind}"])
            parts = sp.csr_matrix((arrays[f"{name}:data"], arrays[f"{name}:indices"], arrays[f"{name}:indptr"]),
                                  shape=shape)
            return parts.T.tocsr() if kind == "csr_t" else parts
    if f"{name}:fill" in arrays:
        value = np.full(int(arrays[f"{name}:length"][0]), arrays[f"{name}:fill"][0])
        value[arrays[f"{name}:where"]] = arrays[f"{name}:values"]
        return value
    return arrays[name]


# The bank's matcher can be stored once built, keyed by what it is built from (bank.toml and the
# code of this package that builds it), so that a new process (each `python -m lib import-csv`)
# loads it in a few ms instead of building it (about half a second). The command line keeps it
# next to the database (`keep_in`), as a hidden file not in git; a stale or unreadable file is
# replaced, and a folder that cannot be written only means building it each time. The app, one
# long process, builds it once and writes nothing.
_cache_folder: Path | None = None


def keep_in(folder: Path) -> None:
    """Load the bank's matcher from (or store it in) `folder` from now on, in this process."""
    global _cache_folder
    _cache_folder = Path(folder)


def _cache_key() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in (here / "bank.toml", here / "bank.py", here / "guards.py", here / "matcher.py", here / "normalise.py"):
        digest.update(path.read_bytes())
    digest.update(f"numpy {np.__version__} scipy {scipy_version}".encode())
    return digest.hexdigest()[:20]


def _stored_matcher(folder: Path) -> Matcher:
    """The bank's matcher from `folder`'s cache file, or built (and stored there if it can be)."""
    path = folder / f".matcher-{_cache_key()}.npz"
    try:
        with np.load(path, allow_pickle=False) as arrays:
            return Matcher.from_arrays(arrays)
    except Exception:  # noqa: BLE001 - missing, stale, truncated or unreadable: built again below
        pass
    built = Matcher()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".matcher-", suffix=".npz", delete=False) as out:
            np.savez(out, **built.arrays())
        os.replace(out.name, path)
        for old in folder.glob(".matcher-*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return built


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    """The bank's matcher, once per process: built (about half a second), or loaded from where `keep_in` says."""
    return Matcher() if _cache_folder is None else _stored_matcher(_cache_folder)


def group_wordings(wordings: list[str]) -> list:
    """A group label per wording, grouped among themselves: an intent key (str) or an int.

    The same matcher `assign_groups` uses, without a database: what the benchmark measures.
    """
    keys = normalise_all(wordings)
    unique = list(dict.fromkeys(keys))
    labels = dict(zip(unique, matcher().label(unique)))
    return [labels[key] for key in keys]
