"""Grouping questions by meaning: the benchmark floor, the opposite guard, and groups stored in the database."""
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.pairwise import pairwise_scores
from lib import demo, importer, sample
from lib.debriefs import CATEGORIES, Debrief, Question, delete_interview, load_debrief, save_debrief
from lib.questions import (AXES, BANK, GroupingError, assign_missing, group_wordings, groups_frame, merge_groups,
                           normalise_all, sides, split_question)
from lib.questions.bank import BankError, load_bank
from lib.questions.matcher import matcher

BENCHMARK = Path(__file__).parent / "fixtures" / "grouping_benchmark.csv"
BLIND = Path(__file__).parent / "fixtures" / "grouping_blind.csv"
F1_FLOOR = 0.94
# The blind set was written after the first bank: it measures wordings nobody has seen (F1 0.72 on
# its first run, 0.73 before the bank grew, 0.88 after). Its failures were looked at once when the
# bank grew (kinds of failure, no wordings copied), so it is no longer fully blind.
# Its floor guards against a change that only fits the benchmark.
BLIND_F1_FLOOR = 0.88
# The second blind set was written by someone who never saw the bank or the matcher, and
# measured once after the bank grew: F1 0.790 (precision 0.821, recall 0.761); 0.617 with the
# first bank. Its misses were then studied when the bank grew to 97 intents (0.907 now), so it
# is tuned on: a regression guard, no longer the honest figure.
BLIND2 = Path(__file__).parent / "fixtures" / "grouping_blind2.csv"
BLIND2_F1_FLOOR = 0.87
# The third set was written by someone who saw neither the bank nor the matcher nor the other
# sets, and measured once with the grown bank: F1 0.761 (precision 0.746, recall 0.777), 0.721
# with the bank before it grew, and 4 of its 8 opposite pairs merged. Those four axes were then
# added to the guard (0.783, every pair apart), so its opposites are tuned on; its other misses
# (near-neighbour intents, sector wordings) were not looked at. The honest figure is 0.761.
BLIND3 = Path(__file__).parent / "fixtures" / "grouping_blind3.csv"
BLIND3_F1_FLOOR = 0.75
# Professions: a development set (tried design choices on, docs/asked-before.md) and a fourth set
# written blind (at least 40% of it a profession's own questions), measured once: F1 0.335 with 4
# of its 11 opposite pairs merged (0.346 and 3 since the guard axes the development set prompted). Floors only, so a change that makes them worse is seen; the
# unattended grouping does not handle professions, "Asked before?" is the answer to that.
DEV_PROFESSIONS = Path(__file__).parent / "fixtures" / "grouping_dev_professions.csv"
BLIND4 = Path(__file__).parent / "fixtures" / "grouping_blind4.csv"
# The fifth (445 questions, 68% of them from 18 professions, 15 opposite pairs), written the same way
# and measured once (docs/asked-before.md): F1 0.290, 4 opposite pairs merged; the valence axis's
# later fixes ("enjoy the least", intents taking a side of valence) were made with it in view.
BLIND5 = Path(__file__).parent / "fixtures" / "grouping_blind5.csv"
# The sixth (334, 10 professions, 14 opposite pairs) and seventh (306, 12 professions, 15 opposite
# pairs, many put in outcome words: "a donor who renewed" / "one who lapsed"), each measured once:
# F1 0.296 and 0.347, opposite pairs merged 7 (5 by silent model joins, since dropped) and 4.
BLIND6 = Path(__file__).parent / "fixtures" / "grouping_blind6.csv"
BLIND7 = Path(__file__).parent / "fixtures" / "grouping_blind7.csv"
# The eighth (323, 12 other professions, 13 opposite pairs), measured once after "perhaps" matches
# (629d9fb): F1 0.257 saved one by one (0.259 all at once), 3 opposite pairs merged.
BLIND8 = Path(__file__).parent / "fixtures" / "grouping_blind8.csv"
START = dt.datetime(2026, 3, 12, 14, 30)


@pytest.fixture(scope="module")
def benchmark() -> pd.DataFrame:
    frame = pd.read_csv(BENCHMARK, keep_default_na=False)
    frame["predicted"] = group_wordings(list(frame.question))
    return frame


def opposite_pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return sorted({tuple(sorted((g, a))) for g, a in zip(frame.group, frame.kept_apart_from) if a})


def save(db, *wordings, starts_at=START, company="Contoso", interview_id=None) -> int:
    return save_debrief(db, Debrief(company=company, role="Analyst", starts_at=starts_at, time_zone="UTC",
                                    questions=[Question(w, "", 5) for w in wordings]),
                        interview_id=interview_id, today=dt.date(2026, 4, 1))


def group_of(db) -> dict[str, int]:
    """Wording -> current group id (wordings are unique in these tests)."""
    frame = db.cursor().execute(
        "SELECT q.wording, v.group_id FROM questions q JOIN question_group_of v ON v.question_id = q.id").df()
    return dict(zip(frame.wording, frame.group_id))


def ungrouped(db) -> int:
    return db.cursor().execute(
        "SELECT count(*) FROM questions q LEFT JOIN question_group_of v ON v.question_id = q.id "
        "WHERE v.group_id IS NULL").fetchone()[0]


# -- the measure and the benchmark -------------------------------------------------------------

def test_pairwise_scores_match_a_hand_worked_example():
    # True pairs: (a,b) (a,c) (b,c) = 3. Predicted pairs: (a,b) (c,d) = 2. Shared: (a,b) = 1.
    scores = pairwise_scores(["x", "x", "x", "y"], [1, 1, 2, 2])
    assert scores == pytest.approx({"precision": 0.5, "recall": 1 / 3, "f1": 0.4})


def test_the_f1_floor_fails_for_a_matcher_that_lumps_everything_together(benchmark):
    # The regression test below must be able to fail: one group for all gives a low F1.
    assert pairwise_scores(list(benchmark.group), ["all"] * len(benchmark))["f1"] < F1_FLOOR


def test_the_benchmark_is_big_enough_with_opposites_and_one_offs(benchmark):
    sizes = benchmark.group.value_counts()
    assert len(benchmark) >= 150
    assert (sizes == 1).sum() >= 20
    assert len(opposite_pairs(benchmark)) >= 5


def test_the_benchmark_pairwise_f1_stays_above_the_floor(benchmark):
    scores = pairwise_scores(list(benchmark.group), list(benchmark.predicted))
    assert scores["f1"] >= F1_FLOOR, scores


def test_every_opposite_pair_of_the_benchmark_stays_apart(benchmark):
    def labels(group):
        return {str(p) for p in benchmark.predicted[benchmark.group == group]}
    together = [(a, b) for a, b in opposite_pairs(benchmark) if labels(a) & labels(b)]
    assert together == []


@pytest.mark.parametrize("path, floor", [(BLIND, BLIND_F1_FLOOR), (BLIND2, BLIND2_F1_FLOOR), (BLIND3, BLIND3_F1_FLOOR)],
                         ids=["blind", "blind2", "blind3"])
def test_each_blind_set_keeps_its_f1_floor_and_its_opposites_apart(path, floor):
    frame = pd.read_csv(path, keep_default_na=False)
    predicted = pd.Series(group_wordings(list(frame.question))).astype(str)
    assert pairwise_scores(list(frame.group), list(predicted))["f1"] >= floor

    def labels(group):
        return set(predicted[frame.group == group])
    assert [(a, b) for a, b in opposite_pairs(frame) if labels(a) & labels(b)] == []


@pytest.mark.parametrize("path, floor, opposites_merged", [(DEV_PROFESSIONS, 0.21, 1), (BLIND4, 0.33, 0), (BLIND5, 0.28, 2),
                                                      (BLIND6, 0.24, 2), (BLIND7, 0.33, 4), (BLIND8, 0.25, 3)],
                         ids=["dev_professions", "blind4", "blind5", "blind6", "blind7", "blind8"])
def test_the_profession_sets_keep_their_f1_floor_and_merge_no_more_opposites(path, floor, opposites_merged):
    frame = pd.read_csv(path, keep_default_na=False)
    predicted = pd.Series(group_wordings(list(frame.question))).astype(str)
    assert pairwise_scores(list(frame.group), list(predicted))["f1"] >= floor

    def labels(group):
        return set(predicted[frame.group == group])
    assert len([(a, b) for a, b in opposite_pairs(frame) if labels(a) & labels(b)]) <= opposites_merged


# The last three need the opposite guard: without it each pair lands in one group.
@pytest.mark.parametrize("one, other", [
    ("What is your greatest strength?", "What is your greatest weakness?"),
    ("What do you like most about your job?", "What do you like least about your job?"),
    ("What motivates you?", "What demotivates you?"),
    ("What are you really good at?", "What are you not very good at?"),
    ("Describe a great boss you had.", "Describe a terrible boss you had."),
    ("What is the strongest part of your portfolio?", "What is the weakest part of your portfolio?"),
    ("Do you prefer pair programming with a team?", "Do you prefer programming alone?"),
    ("How do you go about giving difficult feedback?", "How do you cope with receiving difficult feedback?"),
    ("Tell me how you met an impossible deadline.", "Tell me how you missed an important deadline."),
    ("What sort of colleague do you work with most easily?", "What sort of colleague do you struggle to work with?"),
    ("Describe the manager who brought out the best in you.", "Describe a manager who did not bring out the best in you."),
    # A profession's opposites (the development set of docs/asked-before.md).
    ("Tell me about a marketing campaign that went really well.", "Tell me about a marketing campaign that flopped."),
    ("Describe a project you delivered on time and on budget.", "Describe a project that ran late and over budget."),
    ("When did you follow procedure even though it slowed you down?", "When did you bend the rules to get the job done?"),
])
def test_opposites_are_never_grouped_together(one, other):
    first, second = group_wordings([one, other])
    assert first != second


VALENCE = [axis.name for axis in AXES].index("valence")


@pytest.mark.parametrize("wording, side", [
    ("Tell me about a lesson that went really well.", 1),
    ("Tell me about a lesson that went badly.", 2),
    ("What's the most rewarding thing about being a nurse?", 1),
    ("What's the most challenging thing about being a nurse?", 2),
    # A positive word negated is negative; a positive word that is not evaluative does not count.
    ("Be honest, what's something you're not very good at?", 2),
    ("Describe a time when you failed to achieve a goal.", 2),
    ("What's the least effective management you've experienced?", 2),
    ("What would you do if you were well behind target halfway through the quarter?", 0),
    ("Describe a time you did the right thing when nobody was watching.", 0),
    ("Tell me about a mistake you made and what you did well afterwards.", 0),   # one of each: no side
    ("How do you prioritise your caseload?", 0),
    ("What kind of electrical work do you enjoy the least?", 2),
    ("Of all the sections you've worked, which do you find the least challenging?", 1),
    ("What is something you are still learning to do well?", 2),
    ("How well do you take feedback?", 0),
])
def test_valence_reads_good_and_bad_words_with_their_negations(wording, side):
    assert sides(normalise_all([wording]))[0, VALENCE] == side


def test_valence_keeps_a_profession_s_opposites_apart_but_not_a_bank_question_asked_in_bad_words():
    won, lost = group_wordings(["Walk me through a deal you won with a hospital trust.",
                                "Walk me through a deal you lost with a hospital trust."])
    assert won != lost
    # Not strict: "still learning to do well" takes the good side and still joins the weakness question.
    first, second = group_wordings(["What is your greatest weakness?", "What is something you are still learning to do well?"])
    assert first == second == "greatest_weakness"


def test_no_bank_intent_has_phrasings_on_both_sides_of_an_opposite():
    # One stray phrasing on the other side would leave its intent neutral, and a neutral intent
    # refuses every wording that takes a side ("What demotivates you?" could not join its intent).
    # Valence is not strict, so a mixed intent is only neutral there: the next test checks it instead.
    mixed = []
    for intent in BANK:
        taken = sides(normalise_all(intent.phrasings))
        mixed += [(intent.key, axis.name) for a, axis in enumerate(AXES)
                  if axis.strict and {1, 2} <= set(taken[:, a].tolist())]
    assert mixed == []


def test_no_bank_phrasing_takes_the_other_side_of_its_intent_on_an_axis_that_is_not_strict():
    # Such a phrasing would be refused by its own intent ("What is the best feedback you have
    # received?" was a phrasing of receiving criticism).
    intent_sides = matcher().intent_sides
    against = []
    for n, intent in enumerate(BANK):
        taken = sides(normalise_all(intent.phrasings))
        for a, axis in enumerate(AXES):
            if not axis.strict and intent_sides[n, a]:
                against += [(intent.key, p) for p, side in zip(intent.phrasings, taken[:, a]) if side not in (0, intent_sides[n, a])]
    assert against == []


def test_normalising_a_normalised_wording_changes_nothing():
    # Stored keys are normalised again when a debrief is edited (group_interview), so this must hold.
    keys = normalise_all([p for intent in BANK for p in intent.phrasings] + ["So, um, what do you know about us?"])
    assert normalise_all(keys) == keys


@pytest.mark.parametrize("outside, inside, intent", [
    ("Do you have any pets?", "Do you have any questions for us?", "questions_for_us"),
    ("How does a load balancer work?", "How do you keep a healthy work-life balance?", "work_life_balance"),
])
def test_a_question_that_shares_only_its_frame_or_one_word_with_an_intent_stays_out_of_it(outside, inside, intent):
    first, second = group_wordings([outside, inside])
    assert second == intent and first != second


@pytest.mark.parametrize("spoken, plain", [
    ("So, um, could you walk us through your CV?", "Tell me about yourself."),
    ("I'd love to hear about a time you messed up.", "Tell me about a time you failed."),
    ("How do you cope with stressful periods?", "How do you handle pressure?"),
])
def test_spoken_wrappers_and_everyday_synonyms_do_not_change_the_group(spoken, plain):
    first, second = group_wordings([spoken, plain])
    assert first == second and isinstance(first, str)


@pytest.mark.parametrize("wrapped, plain", [
    ("OK, next one: what is your greatest weakness as a senior data engineer?", "What is your greatest weakness?"),
    ("Right, so why do you want to leave Contoso?", "Why are you leaving your current job?"),
])
def test_a_question_wrapped_in_role_and_company_words_keeps_its_intent(wrapped, plain):
    first, second = group_wordings([wrapped, plain])
    assert first == second and isinstance(first, str)


def test_a_word_pair_and_its_one_word_spelling_group_together_outside_the_bank():
    first, second = group_wordings(["How does a hash table resize?", "When does a hashtable resize?"])
    assert first == second and isinstance(first, int)


def test_identical_wording_is_grouped_together_whatever_the_case_and_punctuation():
    labels = group_wordings(["How do you test a flaky Kafka consumer?", "how do you test a flaky kafka consumer",
                             "Tell me about yourself.", "tell me about yourself!"])
    assert labels[0] == labels[1] and labels[2] == labels[3] and labels[0] != labels[2]


def test_questions_outside_the_bank_group_among_themselves():
    labels = group_wordings(["How does garbage collection work in Java?",
                             "Explain the Java garbage collector.",
                             "What is a Kubernetes pod?"])
    assert all(isinstance(label, int) for label in labels)
    assert labels[0] == labels[1] != labels[2]


def test_every_bank_intent_has_a_known_category_a_unique_key_and_several_phrasings():
    assert len({intent.key for intent in BANK}) == len(BANK)
    assert {intent.category for intent in BANK} <= set(CATEGORIES)
    assert min(len(intent.phrasings) for intent in BANK) >= 8



@pytest.mark.parametrize("text, problem", [
    ('[[intent]]\nkey = "x"\ncategory = "other"\ncanonical = "X?"\nphrasings = ["X?",\n', "cannot read"),
    ('[[intent]]\nkey = "x"\ncategory = "other"\ncanonical = "X?"\n', "expected exactly the fields"),
    ('[[intent]]\nkey = "x"\ncategory = "other"\ncanonical = "X?"\nphrasings = "X?"\n', "phrasings must be"),
    ('title = "bank"\n', "expected only"),
], ids=["not TOML", "a field missing", "phrasings not a list", "no intents"])
def test_a_malformed_bank_file_is_refused_with_a_message_naming_it(tmp_path, text, problem):
    path = tmp_path / "bank.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BankError, match=problem) as refused:
        load_bank(path)
    assert str(path) in str(refused.value)

# -- stored groups --------------------------------------------------------------------------------

def test_saving_a_debrief_gives_every_question_one_group(fresh_db):
    save(fresh_db, "Tell me about yourself.", "Walk me through your background.", "What is a Kubernetes pod?")
    groups = group_of(fresh_db)
    assert len(groups) == 3 and ungrouped(fresh_db) == 0
    assert groups["Tell me about yourself."] == groups["Walk me through your background."]
    assert groups["What is a Kubernetes pod?"] != groups["Tell me about yourself."]


def test_a_later_paraphrase_joins_the_group_of_an_earlier_out_of_bank_question(fresh_db):
    save(fresh_db, "How does garbage collection work in Java?")
    save(fresh_db, "Explain the Java garbage collector.", starts_at=START + dt.timedelta(days=7), company="Fabrikam")
    groups = group_of(fresh_db)
    assert groups["How does garbage collection work in Java?"] == groups["Explain the Java garbage collector."]


def test_importing_questions_gives_them_groups(fresh_db):
    data = (b"company,role,interview_at,question,score\n"
            b"Contoso,Analyst,2026-03-12 14:30,Tell me about yourself,7\n"
            b"Contoso,Analyst,2026-03-12 14:30,What pay are you after?,4\n"
            b"Fabrikam,Analyst,2026-03-13 10:00,What are your salary expectations?,5\n")
    importer.apply_import(fresh_db, importer.plan_import(fresh_db, [("q.csv", data)], today=dt.date(2026, 3, 30)))
    groups = group_of(fresh_db)
    assert len(groups) == 3 and ungrouped(fresh_db) == 0
    assert groups["What pay are you after?"] == groups["What are your salary expectations?"]


def test_sample_data_questions_all_have_groups_and_removing_it_clears_them(fresh_db):
    sample.load_sample(fresh_db)
    assert ungrouped(fresh_db) == 0
    salary = [w for w in group_of(fresh_db) if "salary" in w.lower() or "pay" in w.lower()]
    assert len({group_of(fresh_db)[w] for w in salary}) == 1
    sample.remove_sample(fresh_db)
    assert fresh_db.cursor().execute("SELECT count(*) FROM question_group_members").fetchone()[0] == 0


def test_demo_questions_all_have_groups(fresh_db):
    demo.generate(fresh_db, 40, until=dt.date(2026, 3, 1))
    assert fresh_db.scalar("grouping_ungrouped_count") == 0
    assert ungrouped(fresh_db) == 0


def test_groups_frame_counts_the_questions_of_each_group(fresh_db):
    save(fresh_db, "Tell me about yourself.", "What is a Kubernetes pod?")
    save(fresh_db, "Walk me through your background.", starts_at=START + dt.timedelta(days=7), company="Fabrikam")
    frame = groups_frame(fresh_db)
    assert list(frame.columns) == ["group_id", "canonical", "category", "n_questions"]
    assert frame.iloc[0][["canonical", "category", "n_questions"]].tolist() == ["Tell me about yourself.", "introduction", 2]


def test_a_merge_is_stored_and_later_questions_of_the_other_group_count_under_keep(fresh_db):
    save(fresh_db, "What is a Kubernetes pod?", "How does garbage collection work in Java?")
    groups = group_of(fresh_db)
    keep, other = groups["What is a Kubernetes pod?"], groups["How does garbage collection work in Java?"]
    assert merge_groups(fresh_db, keep, other) == keep
    save(fresh_db, "Explain the Java garbage collector.", starts_at=START + dt.timedelta(days=7), company="Fabrikam")
    assert set(group_of(fresh_db).values()) == {keep}


def test_a_split_question_gets_its_own_group_and_keeps_it_when_the_debrief_is_saved_again(fresh_db):
    interview_id = save(fresh_db, "Tell me about yourself.", "Walk me through your background.")
    question_id = fresh_db.cursor().execute(
        "SELECT id FROM questions WHERE wording = 'Walk me through your background.'").fetchone()[0]
    split_group = split_question(fresh_db, question_id)
    save(fresh_db, *[q.wording for q in load_debrief(fresh_db, interview_id).questions], interview_id=interview_id)
    groups = group_of(fresh_db)
    assert groups["Walk me through your background."] == split_group
    assert groups["Tell me about yourself."] != split_group


def test_a_split_wording_asked_again_lands_in_the_split_group(fresh_db):
    save(fresh_db, "Tell me about yourself.", "Walk me through your background.")
    question_id = fresh_db.cursor().execute(
        "SELECT id FROM questions WHERE wording = 'Walk me through your background.'").fetchone()[0]
    split_group = split_question(fresh_db, question_id)
    save(fresh_db, "Walk me through your background.", starts_at=START + dt.timedelta(days=7), company="Fabrikam")
    in_split = fresh_db.cursor().execute(
        "SELECT count(*) FROM question_group_of WHERE group_id = $g", {"g": split_group}).fetchone()[0]
    assert in_split == 2


def test_merging_a_group_that_no_longer_exists_is_refused_with_a_message(fresh_db):
    with pytest.raises(GroupingError, match="no longer exists"):
        merge_groups(fresh_db, 1, 999)


def test_deleting_an_interview_takes_its_questions_out_of_their_groups(fresh_db):
    interview_id = save(fresh_db, "Tell me about yourself.")
    delete_interview(fresh_db, interview_id)
    assert fresh_db.cursor().execute("SELECT count(*) FROM question_group_members").fetchone()[0] == 0
    assert groups_frame(fresh_db).empty


def test_questions_written_without_a_group_get_one_from_assign_missing(fresh_db):
    fresh_db.cursor().execute("INSERT INTO questions (interview_id, seq, wording, score) "
                              "VALUES (1, 0, 'Why do you want to leave your job?', 5)")
    assert assign_missing(fresh_db) == 1
    assert assign_missing(fresh_db) == 0
    assert groups_frame(fresh_db).canonical.tolist() == ["Why are you leaving your current job?"]


def test_questions_saved_before_grouping_existed_get_a_group_when_the_app_opens_the_file(db_path, monkeypatch):
    from lib.db import Database
    db = Database(db_path)
    save_debrief(db, Debrief(company="Contoso", starts_at=dt.datetime(2026, 3, 2, 10),
                             questions=[Question("Tell me about yourself", score=6)]))
    db.cursor().execute("DELETE FROM question_group_members")  # as after migrating a pre-003 file
    db.close()
    monkeypatch.setenv("DEBRIEF_DB", str(db_path))
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    assert not at.exception
    db = Database(db_path)
    assert db.scalar("grouping_ungrouped_count") == 0
    db.close()
