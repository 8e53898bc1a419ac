"""'Asked before?': the packaged model, suggestions with their guard, the user's decisions, the queue."""
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from lib import cli
from lib.debriefs import Debrief, Question, save_debrief
from lib.questions import embedding, groups_frame, index, suggestions
from lib.questions.normalise import normalise


def debrief(db, company: str, day: dt.date, *questions: tuple[str, int, str]) -> int:
    return save_debrief(db, Debrief(company=company, starts_at=dt.datetime.combine(day, dt.time(10)),
                                    time_zone="Europe/London",
                                    questions=[Question(w, answer, score) for w, score, answer in questions]),
                        today=dt.date(2026, 11, 30))


def group_of(db, wording: str) -> int:
    return int(db.query("asked_before_groups_of_wording", key=normalise(wording)).group_id.iloc[0])


# -- the model -------------------------------------------------------------------------------------

def test_the_packaged_model_gives_unit_vectors_that_find_a_paraphrase_closer_than_an_unrelated_question():
    vectors = embedding.embed(["How would you triage four patients who arrive at once?",
                               "Four casualties come in together: who do you see first, and why?",
                               "What is your favourite programming language?"])
    assert vectors.shape == (3, embedding.DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_the_same_text_gives_the_same_vector_alone_or_in_a_batch():
    alone = embedding.model().encode(["Tell me about yourself"])[0]
    batched = embedding.model().encode(["Tell me about yourself", "A much longer question that pads the batch out"])[0]
    assert np.allclose(alone, batched, atol=1e-4)


def test_a_model_file_that_is_not_the_pinned_one_is_refused_with_a_message(monkeypatch):
    monkeypatch.setattr(embedding, "MODEL_SHA256", "0" * 64)
    with pytest.raises(embedding.EmbeddingUnavailable, match="not the file Debrief was tested with"):
        embedding.Model()


# -- suggestions -----------------------------------------------------------------------------------

@pytest.fixture
def asked(fresh_db):
    """Three earlier interviews: a bank question, a profession's question, and an opposite pair."""
    debrief(fresh_db, "Contoso", dt.date(2026, 10, 12),
            ("Tell me about yourself", 4, "Rambled through my whole CV"),
            ("What is your greatest strength?", 8, "Curiosity, with the churn example"))
    debrief(fresh_db, "St Mary's Hospital", dt.date(2026, 11, 2),
            ("Four patients arrive in A&E at once: how do you decide who to see first?", 3, "Said ABC, forgot escalation"),
            ("What is your greatest weakness?", 5, "Delegation"))
    return fresh_db


def test_a_paraphrase_of_an_earlier_question_is_suggested_with_where_when_the_score_and_the_answer(asked):
    found = suggestions.similar(asked, ["Walk me through your background"])["Walk me through your background"]
    top = found[0]
    assert (top.last_wording, top.last_company, top.last_asked_on, top.last_score, top.last_answer) == (
        "Tell me about yourself", "Contoso", dt.date(2026, 10, 12), 4, "Rambled through my whole CV")


def test_a_profession_question_outside_the_bank_finds_its_earlier_wording(asked):
    text = "Several patients come in together. Talk me through how you'd prioritise them."
    found = suggestions.similar(asked, [text])[text]
    assert found and found[0].last_company == "St Mary's Hospital"


def test_the_opposite_question_is_never_suggested(asked):
    text = "What would you say is your biggest weakness?"
    found = suggestions.similar(asked, [text], limit=3)[text]
    assert [s.last_wording for s in found][:1] == ["What is your greatest weakness?"]
    assert "What is your greatest strength?" not in [s.last_wording for s in found]


def test_a_looser_match_is_still_shown_but_marked_as_less_sure(asked):
    text = "How do you handle a busy emergency department?"        # cosine about 0.40 with the triage question
    found = suggestions.similar(asked, [text])[text]
    assert found and found[0].last_company == "St Mary's Hospital"
    assert suggestions.SUGGEST_FLOOR <= found[0].similarity < suggestions.LIKELY and not found[0].likely
    sure = suggestions.similar(asked, ["Walk me through your background"])["Walk me through your background"][0]
    assert sure.likely


def test_an_unrelated_question_gets_no_suggestion(asked):
    assert suggestions.similar(asked, ["Do you hold a forklift licence?"])["Do you hold a forklift licence?"] == []


def test_different_is_never_suggested_again_for_that_pair(asked):
    text = "Walk me through your background"
    group = suggestions.similar(asked, [text])[text][0].group_id
    suggestions.decide(asked, text, group, same=False)
    assert group not in [s.group_id for s in suggestions.similar(asked, [text])[text]]


def test_different_keeps_the_wording_out_of_that_group_when_it_is_saved(asked):
    text = "Walk me through your background"
    group = suggestions.similar(asked, [text])[text][0].group_id
    suggestions.decide(asked, text, group, same=False)
    debrief(asked, "Fabrikam", dt.date(2026, 11, 20), (text, 6, ""))
    assert group_of(asked, text) != group


def test_same_puts_the_wording_in_that_group_when_it_is_saved_and_it_counts_there(asked):
    text = "Give me the rundown on the patients you would see first when A&E floods"
    group = group_of(asked, "Four patients arrive in A&E at once: how do you decide who to see first?")
    suggestions.decide(asked, text, group, same=True)
    debrief(asked, "Royal Infirmary", dt.date(2026, 11, 20), (text, 4, "Better: NEWS score first"))
    assert group_of(asked, text) == group
    counted = groups_frame(asked).set_index("group_id").n_questions
    assert counted[group] == 2
    again = suggestions.similar(asked, [text])[text][0]
    assert again.group_id == group and again.confirmed


def test_same_for_a_wording_already_stored_elsewhere_merges_its_group(asked):
    debrief(asked, "Fabrikam", dt.date(2026, 11, 20), ("Who gets seen first when the department is overwhelmed?", 4, ""))
    triage = group_of(asked, "Four patients arrive in A&E at once: how do you decide who to see first?")
    suggestions.decide(asked, "Who gets seen first when the department is overwhelmed?", triage, same=True)
    assert group_of(asked, "Who gets seen first when the department is overwhelmed?") == triage


def test_the_interview_being_edited_is_not_its_own_earlier_question(fresh_db):
    only = debrief(fresh_db, "Contoso", dt.date(2026, 10, 12), ("Tell me about yourself", 4, ""))
    assert suggestions.similar(fresh_db, ["Tell me about yourself"], exclude_interview=only)["Tell me about yourself"] == []


# -- the index -------------------------------------------------------------------------------------

def test_each_distinct_wording_is_embedded_once_and_stored(asked):
    debrief(asked, "Fabrikam", dt.date(2026, 11, 20), ("Tell me about yourself", 6, ""))
    index.build_index(asked)
    assert index.missing_count(asked) == 0
    assert asked.scalar("asked_before_vector_count") == 4


def test_building_the_index_reports_progress_and_can_stop_half_way(asked):
    seen = []
    assert index.build_index(asked, limit=2, progress=lambda done, total: seen.append((done, total))) == 2
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    assert index.missing_count(asked) == 2


# -- the queue -------------------------------------------------------------------------------------

@pytest.fixture
def imported_repeats(fresh_db):
    """A profession's question asked three ways over three interviews, all weak: imports leave them apart."""
    for n, (wording, company) in enumerate((
            ("A forklift driver on your shift reports a near miss with a pedestrian. What do you do?", "Acme Logistics"),
            ("Talk me through how you'd handle a forklift nearly hitting someone in the aisle.", "Northwind Depot"),
            ("What would you do after a near miss between a pedestrian and a forklift truck?", "Tailspin Freight"))):
        debrief(fresh_db, company, dt.date(2026, 9, 1) + dt.timedelta(days=7 * n), (wording, 3, ""))
    return fresh_db


def test_the_queue_offers_the_repeats_the_grouping_left_apart(imported_repeats):
    queue = suggestions.possible_repeats(imported_repeats)
    assert queue, "wordings of one forklift question left in two groups should be offered as possible repeats"
    assert "forklift" in queue[0].wording and "forklift" in queue[0].other_wording


@pytest.mark.parametrize("a, b, impact", [
    ((1, 3, 1), (1, 4, 1), 2),     # two one-off weak answers become a weak recurring question
    ((2, 6, 2), (1, 3, 1), 0),     # already weak and recurring, and stays so
    ((2, 16, 2), (1, 1, 1), 2),    # a strong recurring question turns weak: a new weak question
    ((2, 10, 2), (1, 10, 1), 1),   # a weak recurring question is no longer weak
    ((2, 6, 2), (2, 6, 2), 1),     # two weak questions become one
    ((1, 9, 1), (1, 8, 1), 0),     # strong either way
])
def test_an_answer_counts_by_how_much_it_would_change_the_weak_question_list(a, b, impact):
    def group(interviews, score_sum, answers):
        return pd.Series({"interviews": interviews, "score_sum": score_sum, "answers": answers})
    assert suggestions._impact(group(*a), group(*b), min_times=2, weak_below=6) == impact


def test_answering_yes_merges_and_no_is_never_asked_again(imported_repeats):
    first = suggestions.possible_repeats(imported_repeats)[0]
    suggestions.answer_repeat(imported_repeats, first.group_id, first.other_group_id, same=True)
    left = suggestions.possible_repeats(imported_repeats)
    assert (first.group_id, first.other_group_id) not in [(p.group_id, p.other_group_id) for p in left]
    for pair in left:
        suggestions.answer_repeat(imported_repeats, pair.group_id, pair.other_group_id, same=False)
    assert suggestions.possible_repeats(imported_repeats) == []


# -- each other's nearest ---------------------------------------------------------------------------

def test_two_wordings_that_are_each_other_s_nearest_come_first_in_the_queue(fresh_db):
    for n, (wording, score) in enumerate((
            ("A forklift driver on your shift reports a near miss with a pedestrian. What do you do?", 3),
            ("Talk me through how you'd handle a forklift nearly hitting someone in the aisle.", 3),
            ("What is your greatest weakness?", 4), ("Where do you see yourself in five years?", 4))):
        debrief(fresh_db, f"Company {n}", dt.date(2026, 9, 1) + dt.timedelta(days=7 * n), (wording, score, ""))
    first = suggestions.possible_repeats(fresh_db)[0]
    assert first.mutual and "forklift" in first.wording and "forklift" in first.other_wording


def test_each_other_s_nearest_is_worked_out_without_crossing_an_opposite():
    wordings = ["Tell me about a lesson that went really well.", "Tell me about a lesson that went badly.",
                "What is your favourite programming language?"]
    vectors = embedding.embed(wordings)
    assert float(vectors[0] @ vectors[1]) > suggestions.MUTUAL_FLOOR     # alike to the model, but opposites
    pairs = suggestions.candidate_pairs([normalise(w) for w in wordings], wordings, np.array([1, 2, 3]),
                                        np.array([None] * 3, dtype=object), vectors)
    assert pairs == {}


def test_mutual_means_each_is_the_other_s_first():
    vectors = np.array([[1, 0, 0], [0.8, 0.6, 0], [0.6, 0.8, 0], [0, 0, 1]], dtype=np.float32)
    keys = ["a", "b", "c", "d"]
    pairs = suggestions.candidate_pairs(keys, keys, np.arange(4), np.array([None] * 4, dtype=object), vectors, floor=0.99)
    # 0's nearest is 1, 1's is 2 (0.96 > 0.8), 2's is 1: only 1 and 2 are each other's first.
    assert list(pairs) == [(1, 2)] and pairs[(1, 2)][3] is True


# -- the command line ------------------------------------------------------------------------------

def test_similar_json_gives_each_text_its_groups_best_first(asked, db_path, capsys):
    asked.close()
    assert cli.main(["similar", "--json", "--limit", "2", "--db", str(db_path),
                     "Walk me through your background", "Do you hold a forklift licence?"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == ["Walk me through your background", "Do you hold a forklift licence?"]
    top = printed["Walk me through your background"][0]
    assert set(top) == {"question", "variants", "times_asked", "avg_score", "last_score", "similarity"}
    assert (top["variants"], top["times_asked"], top["last_score"]) == (["Tell me about yourself"], 1, 4)
    assert printed["Do you hold a forklift licence?"] == []


def test_confirm_walks_the_queue_in_a_terminal(imported_repeats, db_path, capsys, monkeypatch):
    imported_repeats.close()
    replies = iter(["y", "n", "q"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(replies))
    assert cli.main(["confirm", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "1 possible repeat to confirm." in out
    assert "forklift nearly hitting someone in the aisle." in out     # the wording as typed, not its key
    assert "Answered 1, skipped 0; 0 left to confirm." in out


def test_a_wording_unlike_the_rest_of_its_group_is_queued_and_no_takes_it_out(fresh_db):
    from lib.questions import merge_groups
    debrief(fresh_db, "Contoso", dt.date(2026, 10, 12), ("Tell me about yourself", 4, ""))
    debrief(fresh_db, "Acme Logistics", dt.date(2026, 10, 19), ("Do you hold a counterbalance forklift licence?", 7, ""))
    together = merge_groups(fresh_db, group_of(fresh_db, "Tell me about yourself"),
                            group_of(fresh_db, "Do you hold a counterbalance forklift licence?"))
    strays = [p for p in suggestions.possible_repeats(fresh_db) if p.is_stray]
    # Two wordings unlike each other: one question to ask, not one for each.
    assert [{p.wording, p.other_wording} for p in strays] == [
        {"Tell me about yourself", "Do you hold a counterbalance forklift licence?"}]
    moved_to = suggestions.answer(fresh_db, strays[0], same=False)
    assert moved_to != together
    assert group_of(fresh_db, strays[0].wording) == moved_to
    assert group_of(fresh_db, strays[0].other_wording) == together
    assert [p for p in suggestions.possible_repeats(fresh_db) if p.is_stray] == []


def test_an_answer_about_a_group_deleted_meanwhile_is_refused_with_a_message(asked):
    from lib.questions import GroupingError
    with pytest.raises(GroupingError, match="no longer exists"):
        suggestions.decide(asked, "Walk me through your background", 999_999, same=True)
    with pytest.raises(GroupingError, match="no longer exists"):
        suggestions.answer_stray(asked, "walk me through your background", 999_999, same=False)


def test_huge_or_markup_text_gets_suggestions_without_harm(asked):
    text = "<script>alert(1)</script> Tell me about yourself " + "very " * 5_000
    found = suggestions.similar(asked, [text])[text]
    assert isinstance(found, list)      # cut to the model's 128 tokens, never refused


# -- found by a second reader ------------------------------------------------------------------------

def test_different_wins_when_an_edited_debrief_is_saved_again(fresh_db):
    from lib.debriefs import load_debrief
    debrief(fresh_db, "Contoso", dt.date(2026, 10, 12), ("Tell me about yourself", 4, ""))
    edited = debrief(fresh_db, "Fabrikam", dt.date(2026, 10, 19), ("Walk me through your background", 6, ""))
    together = group_of(fresh_db, "Tell me about yourself")
    assert group_of(fresh_db, "Walk me through your background") == together
    suggestions.decide(fresh_db, "Walk me through your background", together, same=False)
    save_debrief(fresh_db, load_debrief(fresh_db, edited), interview_id=edited, today=dt.date(2026, 11, 30))
    assert group_of(fresh_db, "Walk me through your background") != together


def test_same_moves_only_that_wording_not_the_rest_of_its_group(fresh_db):
    debrief(fresh_db, "Contoso", dt.date(2026, 10, 12), ("Tell me about a time you failed", 4, ""))
    debrief(fresh_db, "Fabrikam", dt.date(2026, 10, 19), ("Tell me about a time a sprint failed", 5, ""))
    debrief(fresh_db, "Litware", dt.date(2026, 10, 26), ("How do you run a retrospective after a bad sprint?", 5, ""))
    failed = group_of(fresh_db, "Tell me about a time you failed")
    retro = group_of(fresh_db, "How do you run a retrospective after a bad sprint?")
    suggestions.decide(fresh_db, "Tell me about a time a sprint failed", retro, same=True)
    assert group_of(fresh_db, "Tell me about a time a sprint failed") == retro
    assert group_of(fresh_db, "Tell me about a time you failed") == failed


def test_a_split_by_hand_after_same_is_the_choice_that_wins(fresh_db):
    from lib.questions import split_question
    debrief(fresh_db, "Contoso", dt.date(2026, 10, 12), ("Four patients arrive at once: who do you see first?", 3, ""))
    triage = group_of(fresh_db, "Four patients arrive at once: who do you see first?")
    suggestions.decide(fresh_db, "Several patients come in together: how do you prioritise?", triage, same=True)
    debrief(fresh_db, "Royal Infirmary", dt.date(2026, 10, 19), ("Several patients come in together: how do you prioritise?", 4, ""))
    question = int(fresh_db.cursor().execute("SELECT id FROM questions WHERE wording LIKE 'Several%'").fetchone()[0])
    own = split_question(fresh_db, question)
    debrief(fresh_db, "St Mary's", dt.date(2026, 10, 26), ("Several patients come in together: how do you prioritise?", 5, ""))
    assert set(fresh_db.query("asked_before_groups_of_wording",
                              key=normalise("Several patients come in together: how do you prioritise?")).group_id) == {own}


def test_the_queue_never_asks_to_undo_a_split_by_hand(fresh_db):
    from lib.questions import split_question
    for n, company in enumerate(("Acme", "Northwind", "Tailspin")):
        debrief(fresh_db, company, dt.date(2026, 9, 1) + dt.timedelta(days=7 * n),
                ("How would you calm an angry customer at the till?", 3, ""))
    question = int(fresh_db.cursor().execute("SELECT max(id) FROM questions").fetchone()[0])
    split_question(fresh_db, question)
    assert [p for p in suggestions.possible_repeats(fresh_db) if not p.is_stray] == []


def test_similar_on_the_command_line_indexes_a_big_backlog_first(asked, db_path, capsys, monkeypatch):
    monkeypatch.setattr(index, "AT_ONCE", 1)          # as if an import had left thousands unindexed
    asked.close()
    assert cli.main(["similar", "--json", "--db", str(db_path), "Walk me through your background"]) == 0
    assert json.loads(capsys.readouterr().out)["Walk me through your background"][0]["last_score"] == 4


def test_a_model_that_cannot_load_is_a_message_on_the_command_line(asked, db_path, capsys, monkeypatch):
    asked.close()
    monkeypatch.setattr(embedding, "MODEL_SHA256", "0" * 64)
    monkeypatch.setattr(embedding, "_cache", type(embedding._cache)())
    embedding.model.cache_clear()
    try:
        assert cli.main(["similar", "--db", str(db_path), "Something never typed before"]) == 2
    finally:
        embedding.model.cache_clear()
    assert "not the file Debrief was tested with" in capsys.readouterr().err
