"""'Asked before?': quality on the labelled sets, then speed. Prints tables; run on purpose, never in `make test`.

    .venv/bin/python benchmarks/bench_asked_before.py [--sets NAME,...] [--stored 10000] [--skip-speed]

Quality, per labelled set (tests/fixtures/grouping_*.csv), through the real functions on a real
database: every question is saved as an interview of its own (so grouping runs as on a save),
the index is built, then
- suggestions: for each question that has a same-meaning question elsewhere in the set,
  `suggestions.similar(..., exclude_interview=its own)`; recall@3 = one of the first three groups
  holds a question of the same meaning; opposite first = the first group holds its opposite;
- unattended grouping: pairwise precision/recall/F1 of the groups the saves made;
- the queue: a user answers `possible_repeats` truthfully (same iff the two wordings shown have
  the same meaning; a join or a stray) for its first 50 items; pairwise F1 after.
Speed: model load in a fresh process, embedding throughput, `similar` p50/p95 with N questions
stored, saving a 20-question debrief, building the index, the queue.
"""
import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pairwise import pairwise_scores  # noqa: E402
from lib.db import Database  # noqa: E402
from lib.debriefs import Debrief, Question, save_debrief  # noqa: E402
from lib.questions import embedding, index, suggestions  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
DEFAULT_SETS = "benchmark,blind,blind2,blind3,dev_professions,blind4,blind5,blind6,blind7,blind8"
QUEUE_ANSWERS = 50


def load_set(db: Database, frame: pd.DataFrame) -> list[int]:
    """Each question saved as its own interview (one a day, in file order); return the interview ids."""
    start = dt.datetime(2026, 1, 5, 10)
    return [save_debrief(db, Debrief(company=f"Company {n}", starts_at=start + dt.timedelta(days=n), time_zone="UTC",
                                     questions=[Question(wording, "", 5)]), today=dt.date(2027, 1, 1))
            for n, wording in enumerate(frame.question)]


def stored_groups(db: Database, interviews: list[int]) -> list[int]:
    frame = db.cursor().execute(
        "SELECT q.interview_id, o.group_id FROM questions q JOIN question_group_of o ON o.question_id = q.id").df()
    group_of = dict(zip(frame.interview_id, frame.group_id))
    return [int(group_of[i]) for i in interviews]


def quality(name: str, path: Path, folder: Path) -> dict:
    frame = pd.read_csv(path, keep_default_na=False)
    db = Database(folder / f"quality-{name}.duckdb")
    try:
        interviews = load_set(db, frame)
        index.build_index(db)
        truth = frame.group.tolist()
        apart = frame.kept_apart_from.tolist()
        unattended = pairwise_scores(truth, stored_groups(db, interviews))
        hits = queries = opposite_first = 0
        sizes = pd.Series(truth).value_counts()
        for n, wording in enumerate(frame.question):
            if sizes[truth[n]] < 2:
                continue
            queries += 1
            found = suggestions.similar(db, [wording], exclude_interview=interviews[n])[wording]
            labels = [_labels_of(db, s.group_id, interviews[n], frame, interviews) for s in found]
            hits += any(truth[n] in labels_ for labels_ in labels[:3])
            opposite_first += bool(apart[n]) and bool(labels) and apart[n] in labels[0] and truth[n] not in labels[0]
        answered = simulate_queue(db, frame)
        after = pairwise_scores(truth, stored_groups(db, interviews))
    finally:
        db.close()
    return {"set": name, "questions": len(frame), "queries": queries, "recall@3": hits / queries,
            "opposite first": opposite_first / queries, "unattended F1": unattended["f1"],
            "P": unattended["precision"], "R": unattended["recall"], "answers": answered, "F1 after queue": after["f1"]}


def _labels_of(db: Database, group_id: int, own_interview: int, frame: pd.DataFrame, interviews: list[int]) -> set:
    rows = db.cursor().execute("SELECT q.interview_id FROM questions q JOIN question_group_of o ON o.question_id = q.id "
                               "WHERE o.group_id = ? AND q.interview_id <> ?", [group_id, own_interview]).fetchall()
    position = {interview: n for n, interview in enumerate(interviews)}
    return {frame.group.iloc[position[r[0]]] for r in rows}


def simulate_queue(db: Database, frame: pd.DataFrame) -> int:
    meaning = dict(zip(frame.question, frame.group))
    answered = 0
    while answered < QUEUE_ANSWERS:
        queue = suggestions.possible_repeats(db, limit=1)
        if not queue:
            break
        pair = queue[0]
        same = meaning.get(pair.wording) == meaning.get(pair.other_wording)
        suggestions.answer(db, pair, same=same)
        answered += 1
    return answered


def print_table(rows: list[dict]) -> None:
    columns = list(rows[0])
    print(" | ".join(f"{c:>14}" for c in columns))
    for row in rows:
        print(" | ".join(f"{row[c]:>14.3f}" if isinstance(row[c], float) else f"{row[c]!s:>14}" for c in columns))


# -- speed -------------------------------------------------------------------------------------------

TOPICS = ["a production outage", "a forklift near miss", "a price objection", "a parent complaint", "a missed deadline",
          "triage in a busy ward", "month-end close", "a code review", "a rude customer", "technical debt",
          "scope creep", "remote work", "a reconciliation that won't balance", "safeguarding", "cold calling"]
FRAMES = ["Tell me about {t}.", "How did you handle {t}?", "What would you do about {t}?", "Walk me through {t}.",
          "Describe {t} you dealt with.", "What did you learn from {t}?"]


def distinct_questions(count: int) -> list[str]:
    """`count` different wordings (frame × topic × a numbered detail): the worst case for the index."""
    return [FRAMES[n % len(FRAMES)].format(t=f"{TOPICS[(n // len(FRAMES)) % len(TOPICS)]} (case {n})")
            for n in range(count)]


def speed(stored: int, folder: Path) -> list[tuple[str, str]]:
    rows = []
    # lib.questions itself (the grouping, the bank) is imported first: every page pays it anyway.
    load = subprocess.run([sys.executable, "-c", "import time; from lib.questions import embedding; "
                           "t = time.perf_counter(); embedding.model(); print(time.perf_counter() - t)"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    rows.append(("model load, fresh process (onnxruntime + tokenizer + sha256 + session)",
                 f"{float(load.stdout) * 1000:.0f} ms"))
    texts = distinct_questions(512)
    start = time.perf_counter()
    embedding.model().encode(texts[:1])
    embedding.embed(texts)
    rows.append(("embedding throughput (batches of 32)", f"{len(texts) / (time.perf_counter() - start):.0f} wordings/s"))

    db = Database(folder / "speed.duckdb")
    wordings = distinct_questions(stored)
    per = 10
    start = time.perf_counter()
    for n in range(0, stored, per):
        save_debrief(db, Debrief(company=f"Company {n % 50}", starts_at=dt.datetime(2025, 1, 1, 10) + dt.timedelta(hours=n),
                                 time_zone="UTC", questions=[Question(w, "", 1 + n % 10) for w in wordings[n:n + per]]),
                     today=dt.date(2027, 1, 1))
    rows.append((f"saving {stored:,} questions ({stored // per:,} debriefs)", f"{time.perf_counter() - start:.1f} s"))
    start = time.perf_counter()
    built = index.build_index(db)
    took = time.perf_counter() - start
    rows.append((f"building the index: {built:,} wordings", f"{took:.1f} s ({built / took:.0f}/s)"))

    queries = ["Tell me about a production outage you handled.", "How do you deal with a customer who says we're too expensive?",
               "Walk me through your background", "What would you do if a forklift nearly hit someone?"] * 5
    times = []
    for text in queries:
        embedding._cache.pop(text, None)            # each query embedded afresh, as a newly typed question is
        start = time.perf_counter()
        suggestions.similar(db, [text])
        times.append((time.perf_counter() - start) * 1000)
    rows.append((f"similar(), {stored:,} questions stored: p50 / p95", f"{statistics.median(times):.0f} / "
                 f"{np.percentile(times, 95):.0f} ms"))

    twenty = [Question(w, "a line", 6) for w in distinct_questions(stored + 20)[stored:]]
    embedding.embed([q.wording for q in twenty])     # typed one by one on the page: embedded while typing
    save_times = []
    for n in range(5):
        start = time.perf_counter()
        save_debrief(db, Debrief(company="Timing Ltd", starts_at=dt.datetime(2026, 6, 1, 10) + dt.timedelta(days=n),
                                 time_zone="UTC", questions=twenty), today=dt.date(2027, 1, 1))
        save_times.append((time.perf_counter() - start) * 1000)
    rows.append(("saving a 20-question debrief (median of 5)", f"{statistics.median(save_times):.0f} ms"))
    start = time.perf_counter()
    queue = suggestions.possible_repeats(db)
    rows.append((f"the queue of possible repeats, {stored:,} questions", f"{(time.perf_counter() - start) * 1000:.0f} ms "
                 f"({len(queue):,} pairs)"))
    db.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=DEFAULT_SETS, help=f"labelled sets by name (default {DEFAULT_SETS})")
    parser.add_argument("--extra", action="append", default=[], metavar="NAME=PATH", help="another labelled set")
    parser.add_argument("--stored", type=int, default=10_000)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    sets = [(name, FIXTURES / f"grouping_{name}.csv") for name in args.sets.split(",") if name]
    sets += [tuple(item.split("=", 1)) for item in args.extra]
    with tempfile.TemporaryDirectory() as folder:
        if not args.skip_quality:
            print_table([quality(name, Path(path), Path(folder)) for name, path in sets])
        if not args.skip_speed:
            print()
            for what, figure in speed(args.stored, Path(folder)):
                print(f"{what:<60} {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
