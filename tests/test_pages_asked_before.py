"""'Asked before?' on the Debrief page and the queue on the Dashboard, driven through AppTest."""
import datetime as dt

from conftest import open_app
from lib.debriefs import Debrief, Question, save_debrief
from lib.questions import groups_frame, suggestions
from lib.questions.normalise import normalise
from lib.ui.asked_before import different_key, queue_key, same_key
from lib.ui import DASHBOARD_PAGE, DEBRIEF_PAGE

DEBRIEF = DEBRIEF_PAGE
DASHBOARD = DASHBOARD_PAGE
WORDING = "debrief.q.0.wording"


def earlier(db, wording: str, score: int, answer: str, company: str = "Contoso", day=dt.date(2026, 10, 12)) -> int:
    save_debrief(db, Debrief(company=company, starts_at=dt.datetime.combine(day, dt.time(10)), time_zone="Europe/London",
                             questions=[Question(wording, answer, score)]), today=dt.date(2026, 11, 30))
    return int(db.query("asked_before_groups_of_wording", key=normalise(wording)).group_id.iloc[0])


def forklift_asked_two_ways(db) -> None:
    """One warehouse question in two wordings the grouping leaves apart: a pair for the queue."""
    for n, wording in enumerate(("A forklift driver on your shift reports a near miss with a pedestrian. What do you do?",
                                 "Talk me through how you'd handle a forklift nearly hitting someone in the aisle.")):
        earlier(db, wording, 3, "", company=f"Depot {n}", day=dt.date(2026, 9, 1) + dt.timedelta(days=7 * n))


def shown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_typing_a_paraphrase_shows_the_earlier_question_its_score_and_what_you_said(db):
    earlier(db, "Tell me about yourself", 4, "Rambled through my whole CV")
    at = open_app(DEBRIEF)
    at.text_input(key=WORDING).input("Walk me through your background").run()
    assert not at.exception
    text = shown(at)
    assert "**Asked before:** *Tell me about yourself*, Contoso, 12 Oct 2026, **4/10**" in text
    assert "You said: Rambled through my whole CV" in text


def test_a_looser_match_says_perhaps(db):
    earlier(db, "Four patients arrive in A&E at once: how do you decide who to see first?", 3, "Said ABC")
    at = open_app(DEBRIEF)
    at.text_input(key=WORDING).input("How do you handle a busy emergency department?").run()
    assert not at.exception
    assert "**Perhaps asked before:** *Four patients arrive in A" in shown(at)
    assert "**Asked before:**" not in shown(at)


def test_nothing_is_shown_for_an_empty_question_or_one_never_asked(db):
    earlier(db, "Tell me about yourself", 4, "")
    at = open_app(DEBRIEF)
    assert "Asked before" not in shown(at)
    at.text_input(key=WORDING).input("Do you hold a forklift licence?").run()
    assert "Asked before" not in shown(at)


def test_same_question_is_stored_and_wins_when_the_debrief_is_saved(db):
    group = earlier(db, "Four patients arrive at once: who do you see first?", 3, "ABC, forgot escalation")
    at = open_app(DEBRIEF)
    at.text_input(key=WORDING).input("Several patients come in together. How do you prioritise them?").run()
    at.button(key=same_key(0, group)).click().run()
    assert not at.exception
    assert "You said this is the same question" in "\n".join(c.value for c in at.caption)
    at.text_input(key="debrief.company").input("Royal Infirmary")
    at.number_input(key="debrief.q.0.score").set_value(5)
    at.button(key="debrief.save").click().run()
    assert not at.exception
    assert groups_frame(db).set_index("group_id").n_questions[group] == 2


def test_different_is_stored_and_the_suggestion_goes(db):
    group = earlier(db, "Tell me about yourself", 4, "")
    at = open_app(DEBRIEF)
    at.text_input(key=WORDING).input("Walk me through your background").run()
    at.button(key=different_key(0, group)).click().run()
    assert not at.exception
    assert "Asked before" not in shown(at)
    assert db.query("asked_before_decisions_for_wording", key=normalise("Walk me through your background")
                    ).same.tolist() == [False]


def test_the_dashboard_queue_merges_a_pair_in_one_click_and_counts_what_is_left(db):
    forklift_asked_two_ways(db)
    pair = suggestions.possible_repeats(db)[0]
    at = open_app(DASHBOARD)
    assert f"**{len(suggestions.possible_repeats(db))} left to confirm.**" in shown(at)
    at.button(key=queue_key(pair, "same")).click().run()
    assert not at.exception
    assert len(groups_frame(db)) == 1
    assert "No possible repeats to confirm" in "\n".join(c.value for c in at.caption)


def test_a_large_database_looks_for_repeats_only_when_asked(db, monkeypatch):
    import lib.ui.asked_before as ui
    monkeypatch.setattr(ui, "QUEUE_ON_CLICK_ABOVE", 1)
    forklift_asked_two_ways(db)
    at = open_app(DASHBOARD)
    assert "left to confirm" not in shown(at)
    at.button(key=ui.LOOK_FOR_REPEATS + ".button").click().run()
    assert not at.exception
    assert "left to confirm.**" in shown(at)
