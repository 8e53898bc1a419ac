"""Pairwise precision, recall and F1 of a grouping against labelled groups.

The measure of benchmarks/bench_grouping.py and tests/test_grouping.py: over all pairs of
questions, "in the same group" as predicted against as labelled.
"""
import pandas as pd


def pairwise_scores(truth: list, predicted: list) -> dict[str, float]:
    """Pairwise precision, recall and F1: over all pairs of items, "same group" predicted vs true."""
    truth_codes = pd.factorize(pd.Series(truth, dtype=object))[0]
    predicted_codes = pd.factorize(pd.Series([str(p) if isinstance(p, str) else f"#{p}" for p in predicted]))[0]

    def pairs(*codes):
        sizes = pd.Series(list(zip(*codes))).value_counts().to_numpy()
        return int((sizes * (sizes - 1) // 2).sum())

    both, true_pairs, predicted_pairs = pairs(truth_codes, predicted_codes), pairs(truth_codes), pairs(predicted_codes)
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
