"""Sample data for a new user (lib/sample.py) and the synthetic history for benchmarks (lib/demo.py)."""
import datetime as dt

import pandas as pd
import pytest
import time_machine

from lib import clock, demo, rules, sample, settings
from lib.applications import CLOSED_STATUSES, MAY_CLOSE_STATUSES, Application, ValidationError, active_applications_on, add_application
from lib.cli import main
from lib.db import Database
from lib.debriefs import Debrief, Question, load_debrief, save_debrief

TODAY = dt.date(2026, 3, 18)
UNTIL = dt.date(2026, 3, 31)
TABLES = demo.TABLES


@pytest.fixture
def other_db(tmp_path):
    db = Database(tmp_path / "other.duckdb")
    yield db
    db.close()


def rows(db: Database, sql: str) -> pd.DataFrame:
    return db.cursor().execute(sql).df()


def count(db: Database, table: str) -> int:
    return db.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def contents(db: Database) -> dict[str, pd.DataFrame]:
    """Every table in id order, without the write timestamps (they differ run to run)."""
    return {table: rows(db, f"SELECT * FROM {table} ORDER BY id").drop(columns=["created_at", "updated_at"],
                                                                       errors="ignore")
            for table in TABLES}


def add_real_debrief(db: Database) -> int:
    debrief = Debrief(company="Acme Analytics", role="Data Analyst", starts_at=dt.datetime(2026, 3, 2, 10, 0),
                      questions=[Question("What do you know about Acme?", "Not enough.", 4, "motivation")])
    return save_debrief(db, debrief, today=TODAY)


# -- sample data -----------------------------------------------------------------------------

def test_sample_is_a_few_months_of_one_job_search(fresh_db):
    assert sample.load_sample(fresh_db, today=TODAY) == 12
    assert count(fresh_db, "applications") == 7
    per_interview = rows(fresh_db, """
        SELECT i.id,
               (SELECT count(*) FROM interviewers p WHERE p.interview_id = i.id) AS interviewers,
               (SELECT count(*) FROM questions q WHERE q.interview_id = i.id) AS questions,
               (SELECT count(*) FROM reflections r WHERE r.interview_id = i.id AND kind = 'went_well') AS went_well,
               (SELECT count(*) FROM reflections r WHERE r.interview_id = i.id AND kind = 'to_improve') AS to_improve
        FROM interviews i""")
    assert per_interview.interviewers.between(1, 3).all()
    assert per_interview.questions.between(3, 6).all()
    assert per_interview.went_well.between(3, 6).all()
    assert per_interview.to_improve.between(1, 2).all()
    first, last = rows(fresh_db, "SELECT min(starts_at) AS first, max(starts_at) AS last FROM interviews").iloc[0]
    assert 90 <= (last - first).days <= 120


def test_sample_leaves_two_or_three_applications_active_today(fresh_db):
    sample.load_sample(fresh_db, today=TODAY)
    assert 2 <= active_applications_on(fresh_db, TODAY) <= 3


def test_sample_asks_salary_in_different_words_and_it_stays_weak(fresh_db):
    sample.load_sample(fresh_db, today=TODAY)
    salary = rows(fresh_db, "SELECT wording, score FROM questions WHERE category = 'salary'")
    assert salary.wording.nunique() == len(salary) >= 5
    assert salary.score.mean() < rows(fresh_db, "SELECT avg(score) AS mean FROM questions").iloc[0, 0] - 1


def test_sample_scores_improve_gently_over_time(fresh_db):
    sample.load_sample(fresh_db, today=TODAY)
    means = rows(fresh_db, """
        SELECT avg(q.score) AS mean FROM questions q JOIN interviews i ON i.id = q.interview_id
        GROUP BY i.id ORDER BY min(i.starts_at)""")["mean"]
    assert means.head(4).mean() + 1 < means.tail(4).mean()


# Built back from "now"; at what hour is the next test's concern, so this one runs at one fixed instant.
@time_machine.travel(dt.datetime(2026, 3, 18, 14, 15, tzinfo=dt.timezone.utc), tick=False)
def test_sample_has_a_thank_you_due_now_and_most_others_sent(fresh_db):
    sample.load_sample(fresh_db)
    thank_yous = rows(fresh_db, """
        SELECT t.sent_on IS NOT NULL AS sent, i.starts_at
        FROM thank_yous t JOIN interviews i ON i.id = t.interview_id""")
    since = clock.now() - thank_yous.starts_at.dt.to_pydatetime()
    recent = thank_yous[[dt.timedelta(0) < age < rules.THANK_YOU_WITHIN for age in since]]
    assert len(recent) >= 1 and not recent.sent.any()
    assert thank_yous.sent.mean() > 0.7


@pytest.mark.parametrize("hour", [0, 8, 9, 10, 13, 17, 18, 23])
def test_the_latest_sample_interview_is_in_working_hours_and_under_a_day_old(fresh_db, monkeypatch, hour):
    # Loading at any hour must leave a thank-you due: the newest interview is less than 24 hours old.
    now = clock.to_instant(dt.datetime(2026, 3, 18, hour, 15), settings.time_zone(fresh_db))
    monkeypatch.setattr(clock, "now", lambda: now)
    sample.load_sample(fresh_db)
    latest = rows(fresh_db, "SELECT starts_at, time_zone FROM interviews ORDER BY starts_at DESC LIMIT 1").iloc[0]
    assert dt.timedelta(0) < now - latest.starts_at < rules.THANK_YOU_WITHIN
    assert dt.time(9) <= clock.to_local(latest.starts_at.to_pydatetime(), latest.time_zone).time() <= dt.time(17)


def test_every_sample_row_is_marked(fresh_db):
    sample.load_sample(fresh_db, today=TODAY)
    assert rows(fresh_db, "SELECT bool_and(is_sample) AS all FROM applications").iloc[0, 0]
    assert rows(fresh_db, "SELECT bool_and(is_sample) AS all FROM interviews").iloc[0, 0]
    assert rows(fresh_db, "SELECT notes FROM applications").notes.str.startswith("Sample data").all()
    for child in ("reflections", "interviewers", "questions", "thank_yous", "follow_ups"):
        unmarked = f"SELECT count(*) FROM {child} c JOIN interviews i ON i.id = c.interview_id WHERE NOT i.is_sample"
        assert count(fresh_db, child) > 0
        assert fresh_db.cursor().execute(unmarked).fetchone()[0] == 0


def test_removing_the_sample_leaves_the_users_own_debrief(fresh_db):
    real_id = add_real_debrief(fresh_db)
    before = contents(fresh_db)
    sample.load_sample(fresh_db, today=TODAY)
    sample.remove_sample(fresh_db)
    assert not sample.has_sample(fresh_db)
    for table, frame in contents(fresh_db).items():
        pd.testing.assert_frame_equal(frame, before[table], check_dtype=False)
    assert load_debrief(fresh_db, real_id).company == "Acme Analytics"


def test_removing_the_sample_removes_the_reviews_and_practice_done_on_it_and_keeps_the_users(fresh_db):
    from lib import review
    sample.load_sample(fresh_db, today=TODAY)
    weak = review.weakest_questions(fresh_db).iloc[0]
    on_sample = clock.now() - dt.timedelta(hours=2)
    review.save_practice(fresh_db, int(weak.group_id), weak.canonical, "A tighter answer.", 6, now=on_sample)
    review.finish_review(fresh_db, "Salary answers", now=on_sample)   # before any interview of the user's own
    real_id = add_real_debrief(fresh_db)                                 # recorded now
    [(own_group,)] = fresh_db.cursor().execute(
        "SELECT m.group_id FROM question_group_members m JOIN questions q ON q.id = m.question_id"
        " WHERE q.interview_id = ?", [real_id]).fetchall()
    later = clock.now() + dt.timedelta(minutes=1)
    kept_practice = review.save_practice(fresh_db, own_group, "What do you know about Acme?", "Their 2025 report.", 7,
                                         now=later)
    kept_review = review.finish_review(fresh_db, "Research the company", now=later)
    sample.remove_sample(fresh_db)
    assert review.list_reviews(fresh_db).id.tolist() == [kept_review]
    assert review.practice_attempts(fresh_db).id.tolist() == [kept_practice]


def test_removing_the_sample_keeps_a_sample_application_the_user_logged_an_interview_under(fresh_db):
    # Deleting it would orphan the user's interview: it becomes theirs instead.
    sample.load_sample(fresh_db, today=TODAY)
    real_id = save_debrief(fresh_db, Debrief(company="Litware", role=sample.ROLES["Litware"],
                                             starts_at=dt.datetime(2026, 3, 16, 9, 0)), today=TODAY)
    sample.remove_sample(fresh_db)
    assert load_debrief(fresh_db, real_id).company == "Litware"
    assert rows(fresh_db, "SELECT company, is_sample FROM applications").values.tolist() == [["Litware", False]]
    assert count(fresh_db, "interviews") == 1


def test_loading_the_sample_twice_adds_nothing_the_second_time(fresh_db):
    sample.load_sample(fresh_db, today=TODAY)
    before = contents(fresh_db)
    assert sample.load_sample(fresh_db, today=TODAY) == 0
    for table, frame in contents(fresh_db).items():
        pd.testing.assert_frame_equal(frame, before[table])


def test_a_sample_load_that_fails_part_way_leaves_no_sample_behind(fresh_db):
    # The user already has the application the sample would add third: the load stops there.
    add_application(fresh_db, Application("Northwind Traders", sample.ROLES["Northwind Traders"], TODAY))
    with pytest.raises(ValidationError):
        sample.load_sample(fresh_db, today=TODAY)
    assert not sample.has_sample(fresh_db)
    assert rows(fresh_db, "SELECT company FROM applications").company.tolist() == ["Northwind Traders"]


# -- demo history ----------------------------------------------------------------------------

def test_demo_is_identical_for_the_same_seed_and_day(fresh_db, other_db):
    demo.generate(fresh_db, 300, seed=7, until=UNTIL)
    demo.generate(other_db, 300, seed=7, until=UNTIL)
    first, second = contents(fresh_db), contents(other_db)
    for table in TABLES:
        pd.testing.assert_frame_equal(first[table], second[table])


def test_demo_differs_for_another_seed(fresh_db, other_db):
    demo.generate(fresh_db, 300, seed=7, until=UNTIL)
    demo.generate(other_db, 300, seed=8, until=UNTIL)
    assert not contents(fresh_db)["questions"].equals(contents(other_db)["questions"])


@pytest.mark.parametrize("interviews", [1, 2, 7, 1_000])
def test_demo_adds_exactly_the_interviews_asked_for(fresh_db, interviews):
    counts = demo.generate(fresh_db, interviews, until=UNTIL)
    assert counts["interviews"] == count(fresh_db, "interviews") == interviews
    assert counts["applications"] == count(fresh_db, "applications")


def test_demo_keeps_the_schema_rules_and_the_story_consistent(fresh_db):
    demo.generate(fresh_db, 2_000, seed=3, until=UNTIL)
    checks = {
        "score outside 1..10": "SELECT count(*) FROM questions WHERE score NOT BETWEEN 1 AND 10",
        "closed status without closed_on":
            f"SELECT count(*) FROM applications WHERE status IN {CLOSED_STATUSES} AND closed_on IS NULL",
        "open status with closed_on":
            f"SELECT count(*) FROM applications WHERE status NOT IN {MAY_CLOSE_STATUSES} AND closed_on IS NOT NULL",
        "interview outside its application": """
            SELECT count(*) FROM interviews i JOIN applications a ON a.id = i.application_id
            WHERE CAST(timezone(i.time_zone, i.starts_at) AS DATE) < a.applied_on
               OR CAST(timezone(i.time_zone, i.starts_at) AS DATE) > coalesce(a.closed_on, DATE '9999-12-31')""",
        "interview after until":
            f"SELECT count(*) FROM interviews WHERE CAST(timezone(time_zone, starts_at) AS DATE) > DATE '{UNTIL}'",
        "interview on a weekend":
            "SELECT count(*) FROM interviews WHERE dayofweek(timezone(time_zone, starts_at)) IN (0, 6)",
        "expected answer before the interview":
            "SELECT count(*) FROM interviews WHERE expected_response_by < CAST(timezone(time_zone, starts_at) AS DATE)",
        "same question twice in one interview": """
            SELECT count(*) FROM (SELECT interview_id, wording FROM questions GROUP BY ALL HAVING count(*) > 1)""",
        "thank-you sent before the interview": """
            SELECT count(*) FROM thank_yous t JOIN interviews i ON i.id = t.interview_id
            WHERE t.sent_at < i.starts_at""",
        "follow-up after closing": """
            SELECT count(*) FROM follow_ups f JOIN applications a ON a.id = f.application_id
            WHERE f.followed_up_on > coalesce(a.closed_on, DATE '9999-12-31')""",
        "orphan interviewer": "SELECT count(*) FROM interviewers WHERE interview_id NOT IN (SELECT id FROM interviews)",
        "orphan thank-you": "SELECT count(*) FROM thank_yous WHERE interviewer_id NOT IN (SELECT id FROM interviewers)",
    }
    broken = {rule: n for rule, sql in checks.items() if (n := fresh_db.cursor().execute(sql).fetchone()[0])}
    assert broken == {}


def test_demo_has_thank_yous_on_time_late_and_unsent(fresh_db):
    demo.generate(fresh_db, 1_000, until=UNTIL)
    kinds = rows(fresh_db, """
        SELECT CASE WHEN t.sent_at IS NULL THEN 'unsent'
                    WHEN t.sent_at <= i.starts_at + INTERVAL 24 HOURS THEN 'on time' ELSE 'late' END AS kind
        FROM thank_yous t JOIN interviews i ON i.id = t.interview_id""").kind.value_counts(normalize=True)
    assert kinds["on time"] > 0.5 and kinds["late"] > 0.05 and kinds["unsent"] > 0.05


def test_demo_appends_after_the_sample_without_touching_it(fresh_db):
    sample.load_sample(fresh_db, today=TODAY)
    before = contents(fresh_db)
    demo.generate(fresh_db, 100, until=UNTIL)
    assert count(fresh_db, "interviews") == 12 + 100
    for table, frame in before.items():
        kept = contents(fresh_db)[table].head(len(frame))
        pd.testing.assert_frame_equal(kept, frame, check_dtype=False)


def test_demo_command_adds_the_interviews_and_says_so(db_path, capsys):
    assert main(["demo", "--interviews", "50", "--db", str(db_path)]) == 0
    assert "50 interviews" in capsys.readouterr().out
    db = Database(db_path)
    try:
        assert count(db, "interviews") == 50
    finally:
        db.close()


@pytest.mark.parametrize("interviews", [0, -5, demo.MAX_INTERVIEWS + 1])
def test_demo_command_refuses_an_impossible_count(db_path, capsys, interviews):
    assert main(["demo", "--interviews", str(interviews), "--db", str(db_path)]) == 1
    assert "--interviews must be from 1 to 2,000,000" in capsys.readouterr().err
