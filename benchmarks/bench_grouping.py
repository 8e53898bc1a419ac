"""Grouping questions by meaning: quality on the labelled sets, and speed. Prints tables; run on purpose.

    .venv/bin/python benchmarks/bench_grouping.py [--sizes 1000,10000,100000]

Quality: pairwise precision/recall/F1 (benchmarks/pairwise.py) of lib.questions.group_wordings on
tests/fixtures/grouping_benchmark.csv (the regression set), grouping_blind.csv and
grouping_blind2.csv (held out when written, each since used to find kinds of failure when the
bank grew: no wordings copied, no longer blind) and grouping_blind3.csv (held out until its
single measurement: F1 0.761; then its opposite pairs were used to add guard axes, see
tests/test_grouping.py), next to a string-similarity
baseline, and with a "strict" bank that has every phrasing within difflib ratio 0.85 of a benchmark
wording removed (a pessimistic check that the bank did not simply learn the benchmark).

Speed: `assign_groups` inside one transaction on a database holding N new questions, N distinct
wordings (the worst case: interview questions decorated with prefixes, suffixes and company names
so that no two are the same) and N questions asked in the demo's ~100 wordings (the usual case);
wall-clock and CPU time (the CPU figure does not count waiting for the other core's work, on a
shared machine). Then two saves of a 6-question debrief into that database: the first in the
process (which reads and vectorises every stored out-of-bank wording) and the next one (which
reuses them).
"""
import argparse
import datetime as dt
import difflib
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pairwise import pairwise_scores  # noqa: E402
from lib import demo  # noqa: E402
from lib.db import Database  # noqa: E402
from lib.debriefs import Debrief, Question, save_debrief  # noqa: E402
from lib.questions import BANK, Intent, Matcher, assign_groups, group_wordings, normalise  # noqa: E402
from lib.questions import matcher as matching  # noqa: E402  (the module: quality() sweeps its BANK_THRESHOLD)

FIXTURES = ROOT / "tests" / "fixtures"
SETS = {"benchmark": FIXTURES / "grouping_benchmark.csv", "blind": FIXTURES / "grouping_blind.csv",
        "blind2": FIXTURES / "grouping_blind2.csv", "blind3": FIXTURES / "grouping_blind3.csv"}
PREFIXES = ("", "Quick one: ", "To start, ", "Next, ", "OK, so ", "Let me ask: ", "In a sentence or two, ", "Honestly, ")
SUFFIXES = ("", " in your last role", " at {company}", " as a {role}", " here", " in your own words",
            " in this industry", " for a {role} role")


def string_similarity_labels(wordings: list[str], threshold: float = 0.6) -> list[int]:
    """The baseline: join the first earlier wording with difflib ratio >= threshold."""
    keys = [normalise(w) for w in wordings]
    labels: list[int] = []
    for n, key in enumerate(keys):
        match = next((labels[m] for m in range(n) if difflib.SequenceMatcher(None, key, keys[m]).ratio() >= threshold), None)
        labels.append(n if match is None else match)
    return labels


def opposites_apart(frame: pd.DataFrame, predicted: list) -> bool:
    labels = pd.Series([str(p) for p in predicted], index=frame.index)
    return not any(set(labels[frame.group == g]) & set(labels[frame.group == a])
                   for g, a in zip(frame.group, frame.kept_apart_from) if a)


def strict_bank(benchmark: pd.DataFrame) -> tuple[Intent, ...]:
    wordings = [normalise(q) for q in benchmark.question]

    def far(phrasing):
        key = normalise(phrasing)
        return all(difflib.SequenceMatcher(None, key, w).ratio() < 0.85 for w in wordings)
    return tuple(intent._replace(phrasings=tuple(p for p in intent.phrasings if far(p))) for intent in BANK)


def labels_with(matcher: Matcher, wordings: list[str]) -> list:
    keys = [normalise(w) for w in wordings]
    unique = list(dict.fromkeys(keys))
    found = dict(zip(unique, matcher.label(unique)))
    return [found[key] for key in keys]


def quality() -> None:
    print("set | method | questions | precision | recall | F1 | opposites kept apart")
    print("--- | --- | --- | --- | --- | --- | ---")
    frames = {name: pd.read_csv(path, keep_default_na=False) for name, path in SETS.items()}
    strict = Matcher(strict_bank(frames["benchmark"]))
    for name, frame in frames.items():
        wordings = list(frame.question)
        methods = {"string similarity (difflib ≥ 0.6)": string_similarity_labels(wordings),
                   "bank + TF-IDF (shipped)": group_wordings(wordings),
                   "bank + TF-IDF, strict bank": labels_with(strict, wordings)}
        for method, predicted in methods.items():
            s = pairwise_scores(list(frame.group), predicted)
            print(f"{name} | {method} | {len(frame)} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                  f"{'yes' if opposites_apart(frame, predicted) else 'NO'}")
    print()
    kept, total = decorated_canonicals()
    print(f"Each intent's canonical wording with spoken prefixes and role/company suffixes: {kept:,} of {total:,} "
          f"({kept / total:.1%}) stay in their intent")
    print()
    print("BANK_THRESHOLD | benchmark F1 | blind F1")
    print("--- | --- | ---")
    shipped = matching.BANK_THRESHOLD
    for threshold in (0.25, 0.30, 0.35, 0.40):
        matching.BANK_THRESHOLD = threshold
        f1 = [pairwise_scores(list(f.group), group_wordings(list(f.question)))["f1"] for f in frames.values()]
        print(f"{threshold:.2f}{' (shipped)' if threshold == shipped else ''} | {f1[0]:.3f} | {f1[1]:.3f}")
    matching.BANK_THRESHOLD = shipped


def decorated_canonicals() -> tuple[int, int]:
    """How many decorated canonicals ("So, um, what is your greatest strength as a nurse?") keep their intent.

    A check of robustness to what interviewers wrap around a question, not of paraphrase: the
    canonical wordings are in the bank.
    """
    prefixes = ("", "So, ", "OK, next one: ", "Right, um, ", "I'd like to know: ")
    suffixes = ("", " in your last role", " at Contoso", " as a senior data engineer", " here at Fabrikam",
                " in your own words", " as a nurse")
    wordings, truth = [], []
    for intent in BANK:
        core = intent.canonical.rstrip("?.")
        for prefix in prefixes:
            for suffix in suffixes:
                wordings.append(prefix + (core[0].lower() if prefix else core[0]) + core[1:] + suffix + "?")
                truth.append(intent.key)
    return sum(label == key for label, key in zip(group_wordings(wordings), truth)), len(wordings)


def distinct_wordings(n: int, rng: np.random.Generator) -> list[str]:
    base = pd.concat([pd.read_csv(p, keep_default_na=False).question for p in SETS.values()]).tolist()
    base += [p for intent in demo.INTENTS for p in intent.wordings]
    seen: dict[str, None] = {}
    while len(seen) < n:
        q = base[rng.integers(len(base))].rstrip("?.")
        text = (PREFIXES[rng.integers(len(PREFIXES))] + q[0].lower() + q[1:]
                + SUFFIXES[rng.integers(len(SUFFIXES))].format(company=demo.COMPANIES[rng.integers(len(demo.COMPANIES))],
                                                               role=demo.ROLES[rng.integers(len(demo.ROLES))]) + "?")
        seen[text[0].upper() + text[1:]] = None
    return list(seen)


def timed_assign(db: Database, wordings: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one assign_groups over `wordings` (inserted first, untimed)."""
    with db.transaction() as tx:
        ids = tx.new_ids("questions", len(wordings))
        tx.insert_frame("questions", pd.DataFrame({"id": ids, "interview_id": 0, "seq": 0, "wording": wordings, "score": 5}))
    wall, cpu = time.perf_counter(), time.process_time()
    with db.transaction() as tx:
        assigned = assign_groups(tx)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert assigned == len(wordings)
    return wall, cpu


SAVES = (("Tell me about yourself.", "What pay are you after?", "How do you handle pressure?",
          "Explain the Java garbage collector.", "What is your biggest weakness?", "Any questions for us?"),
         ("Walk us through your CV.", "What are you earning today?", "How do you cope with a heavy workload?",
          "How does a B-tree index work?", "Where do you struggle?", "Is there anything you want to ask me?"))


def one_save(db: Database, wordings) -> float:
    start = time.perf_counter()
    save_debrief(db, Debrief(company="Contoso", role="Analyst", starts_at=dt.datetime(2026, 3, 12, 14), time_zone="UTC",
                             questions=[Question(q, "", 5) for q in wordings]), today=dt.date(2026, 4, 1))
    return time.perf_counter() - start


def speed(sizes: list[int]) -> None:
    matching.matcher()  # built once per process; not part of the per-batch figure
    rng = np.random.default_rng(0)
    print("new questions | distinct wordings | groups made | wall s | questions/s (wall) | CPU s | questions/s (CPU) "
          "| then a save, ms: first in process / next")
    print("--- | --- | --- | --- | --- | --- | --- | ---")
    demo_wordings = [w for intent in demo.INTENTS for w in intent.wordings]
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            for kind, wordings in (("all distinct", distinct_wordings(n, rng)),
                                   ("demo's", [demo_wordings[i] for i in rng.integers(len(demo_wordings), size=n)])):
                db = Database(Path(folder) / f"{kind[:3]}-{n}.duckdb")
                matching._known_cache.update(keys=[], counts=None, sides=None)  # as in a fresh process
                wall, cpu = timed_assign(db, wordings)
                groups = db.scalar("grouping_group_count")
                first, then = (one_save(db, wordings) * 1000 for wordings in SAVES)
                print(f"{n:,} | {kind} ({len(set(wordings)):,}) | {groups:,} | {wall:.2f} | {n / wall:,.0f} | "
                      f"{cpu:.2f} | {n / cpu:,.0f} | {first:.0f} / {then:.0f}")
                db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    quality()
    print()
    speed(sizes)


if __name__ == "__main__":
    main()
