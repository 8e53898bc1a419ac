"""The review page through AppTest: the guided session from the first look back to the stored review."""
import datetime as dt

import pytest
import time_machine
from streamlit.testing.v1 import AppTest

from conftest import open_app
from lib import review, settings
from lib.ui.review import FINISH, FOCUS, answer_key, note_widget_key, save_key, score_key
from lib.ui import REVIEW_PAGE

REVIEW = REVIEW_PAGE
# The sample data is built back from "now": the dates these tests expect hold for this afternoon only.
FROZEN_AT = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def frozen_clock():
    """Every test here runs on Wed 25 Nov 2026, 15:00 UTC (the clock ticks on from there)."""
    with time_machine.travel(FROZEN_AT, tick=True):
        yield


def open_review() -> AppTest:
    return open_app(REVIEW)


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info] + [s.value for s in at.success]
                     + [e.value for e in at.error] + [c.value for c in at.caption])


def test_an_empty_database_shows_every_step_with_what_to_do_next(db):
    at = open_review()
    assert [h.value for h in at.header] == ["1 · Since your last review", "2 · Practise your weakest questions",
                                            "3 · Your improvement notes", "4 · Your pipeline",
                                            "5 · Finish and take the summary with you"]
    shown = texts(at)
    assert "No interviews recorded yet" in shown
    assert "No question has come up in 2 interviews yet" in shown
    assert "No 'to improve' notes from recent interviews" in shown


def test_the_sample_data_gives_its_two_weak_questions_with_past_answers_side_by_side(with_sample):
    at = open_review()
    shown = texts(at)
    assert "This is your first review: it covers every interview so far." in shown
    assert "#### 1. What salary are you expecting?" in shown
    assert "#### 2. What is your greatest weakness?" in shown
    assert "Only 2 of your recurring questions average below 6: practise those." in shown
    cards = [m.value for m in at.markdown if m.value.startswith("**") and "/10** · " in m.value]
    assert len(cards) == 8  # the four latest answers to each, side by side
    assert cards[0] == "**6/10** · 25 Nov 2026"


def weak_group(db) -> int:
    return int(review.weakest_questions(db).group_id.iloc[0])


def test_a_practice_attempt_is_saved_as_practice_and_the_box_is_emptied(with_sample):
    group = weak_group(with_sample)
    at = open_review()
    at.text_area(key=answer_key(group)).input("85k, from market data for the role. I'm happy to talk about the mix.")
    at.button_group(key=score_key(group)).set_value(8)
    at.button(key=save_key(group)).click().run()
    assert not at.exception
    attempts = review.practice_attempts(with_sample)
    assert (len(attempts), attempts.score.iloc[0]) == (1, 8)
    assert at.text_area(key=answer_key(group)).value == ""
    assert "Your best practice so far (8/10" in texts(at)


def test_a_practice_attempt_without_a_score_is_refused_and_the_answer_kept(with_sample):
    group = weak_group(with_sample)
    at = open_review()
    at.text_area(key=answer_key(group)).input("A better answer I don't want to lose")
    at.button(key=save_key(group)).click().run()
    assert "Give this answer a self-score from 1 to 10." in texts(at)
    assert at.text_area(key=answer_key(group)).value == "A better answer I don't want to lose"
    assert review.practice_attempts(with_sample).empty


def test_ticking_a_note_stores_it_and_it_stays_ticked_next_time(with_sample):
    note = review.improvement_notes(with_sample, settings.today(with_sample)).iloc[0]
    at = open_review()
    at.checkbox(key=note_widget_key(note.note_key)).check().run()
    assert not at.exception
    assert review.improvement_notes(with_sample, settings.today(with_sample)).set_index("note_key") \
        .loc[note.note_key, "worked_on"]
    assert open_review().checkbox(key=note_widget_key(note.note_key)).value is True


def test_finishing_stores_the_review_and_the_next_session_starts_from_it(with_sample):
    at = open_review()
    at.text_area(key=FOCUS).input("Name the <b>number</b> first")
    at.button(key=f"FormSubmitter:{FINISH}-Finish review").click().run()
    assert not at.exception
    stored = review.list_reviews(with_sample)
    assert (len(stored), stored.focus.iloc[0]) == (1, "Name the <b>number</b> first")
    assert any(s.value.startswith("Review saved on ") for s in at.success)

    later = open_review()
    shown = texts(later)
    assert "Your last review was on" in shown and "(today)" in shown
    assert "No interviews since then" in shown
    assert "Last time you planned to work on: Name the \\<b\\>number\\</b\\> first" in shown  # inert, as typed


def test_the_summary_can_be_downloaded_before_and_after_finishing(with_sample):
    at = open_review()
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["Summary (Markdown)", "Summary (print-ready HTML)"]
    at.button(key=f"FormSubmitter:{FINISH}-Finish review").click().run()
    assert [button.proto.label for button in at.get("download_button")] == labels


def test_the_home_page_says_when_the_last_review_was(with_sample):
    home = AppTest.from_file("../app.py", default_timeout=60)
    home.run()
    assert any(c.value.startswith("No review session yet") for c in home.caption)
    review.finish_review(with_sample, "Salary first")
    home.run()
    assert any(c.value == "Last review today, no interviews since." for c in home.caption)


def test_recurring_questions_that_all_go_well_get_a_well_done(db):
    import datetime as dt

    from lib.debriefs import Debrief, Question, save_debrief
    for day in (dt.date(2026, 10, 1), dt.date(2026, 11, 1)):
        save_debrief(db, Debrief(company="Contoso", role="Analyst", time_zone="Europe/London",
                                 starts_at=dt.datetime.combine(day, dt.time(10)),
                                 questions=[Question("Tell me about yourself.", "", 8)]))
    assert "Nothing to practise urgently: well done." in texts(open_review())
