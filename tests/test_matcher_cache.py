"""The bank's matcher stored beside the database (lib/questions/matcher.py, keep_in), and the
feature columns worked out without scikit-learn: both must leave every label as it was."""
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from lib.questions import matcher as matching
from lib.questions.matcher import Matcher, _murmur3, _stored_matcher

WORDINGS = ["Tell me about yourself.", "What is your greatest weakness?", "How does a hash map work?",
            "Explain TCP versus UDP.", "Why do you want to leave your current job?", "Question 3 of interview 12"]


def _same(a, b) -> bool:
    if sp.issparse(a):
        return (a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a.indptr, b.indptr)
                and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data))
    return a.dtype == b.dtype and np.array_equal(a, b)


def _value(matcher, name):
    for part in name.split("."):
        matcher = getattr(matcher, part)
    return matcher


def test_the_columns_are_scikit_learns_murmurhash():
    rng = np.random.default_rng(0)
    alphabet = list("abcdefghijklmnopqrstuvwxyz0123456789 éü€")
    features = ["".join(rng.choice(alphabet, size=n)) for n in rng.integers(1, 24, size=5000)]
    assert _murmur3(features).tolist() == [murmurhash3_32(f, seed=0) for f in features]


def test_a_stored_matcher_is_the_built_one_and_labels_the_same(tmp_path):
    built = _stored_matcher(tmp_path)
    assert len(list(tmp_path.glob(".matcher-*.npz"))) == 1
    loaded = _stored_matcher(tmp_path)
    fresh = Matcher()
    for name in Matcher._STORED:
        assert _same(_value(loaded, name), _value(fresh, name)), name
        assert _same(_value(built, name), _value(fresh, name)), name
    keys = matching.normalise_all(WORDINGS)
    assert loaded.label(keys) == fresh.label(keys)


def test_a_damaged_or_stale_file_is_replaced(tmp_path):
    _stored_matcher(tmp_path)
    (stored,) = tmp_path.glob(".matcher-*.npz")
    stored.write_bytes(stored.read_bytes()[:1000])      # cut short
    (tmp_path / ".matcher-0123456789abcdef0123.npz").write_bytes(b"an older bank's")
    matcher = _stored_matcher(tmp_path)
    assert [p.name for p in tmp_path.glob(".matcher-*.npz")] == [stored.name]
    keys = matching.normalise_all(WORDINGS)
    assert matcher.label(keys) == Matcher().label(keys)


def test_a_folder_that_cannot_be_written_only_means_building_it(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only folder")
    monkeypatch.setattr(matching.tempfile, "NamedTemporaryFile", refuse)
    matcher = _stored_matcher(tmp_path / "read-only")
    assert list(tmp_path.rglob("*.npz")) == []
    keys = matching.normalise_all(WORDINGS)
    assert matcher.label(keys) == Matcher().label(keys)


@pytest.mark.parametrize("keys", [[], [""], ["of the"], ["hash map", "hashmap", "hash map hash map"]])
def test_odd_wordings_count_as_scikit_learn_would(keys):
    counts = matching.Counts.of(keys)
    assert counts.words.shape == (len(keys), matching.N_FEATURES)
    assert matching.Counts.of_topics(keys).words.shape == (len(keys), matching.N_FEATURES)
    if keys == ["hash map", "hashmap", "hash map hash map"]:
        # "hash map" twice: the pair "hash map" twice and "map hash" once, each word twice.
        assert sorted(counts.words[2].data.tolist()) == [1.0 + np.log(1.0), 1.0 + np.log(2.0), 1.0 + np.log(2.0),
                                                         1.0 + np.log(2.0)]


def test_the_piece_filter_leaves_every_side_as_running_each_pattern_over_all_wordings(monkeypatch):
    """guards.sides runs a pattern only over the wordings with a word holding one of its pieces:
    on the labelled sets, the bank and word soups made of their words, that changes no side."""
    import pandas as pd

    from lib.questions import BANK, guards, normalise_all
    fixtures = sorted((matching.Path(__file__).parent / "fixtures").glob("grouping_*.csv"))
    wordings = [q for path in fixtures for q in pd.read_csv(path, keep_default_na=False).question]
    wordings += [p for intent in BANK for p in intent.phrasings]
    keys = normalise_all(wordings)
    words = sorted({word for key in keys for word in key.split()})
    rng = np.random.default_rng(7)
    keys += [" ".join(rng.choice(words, size=n)) for n in rng.integers(1, 12, size=4000)]
    filtered = guards.sides(keys)
    monkeypatch.setattr(guards, "_pieces", lambda pattern: None)    # every wording may match every pattern
    assert np.array_equal(filtered, guards.sides(keys))
    assert (filtered != 0).any(axis=0).all()    # every axis is taken by some wording here
