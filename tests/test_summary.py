"""The review summary: Markdown and a self-contained, print-ready HTML page with its charts."""
import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from lib import review, summary
from lib.debriefs import Debrief, Question, save_debrief

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


@pytest.fixture
def summary_db(fresh_db):
    fresh_db.cursor().execute("INSERT INTO settings VALUES ('time_zone', 'Europe/London')")
    for day, score in ((dt.date(2026, 9, 1), 3), (dt.date(2026, 10, 1), 4), (dt.date(2026, 11, 1), 5)):
        save_debrief(fresh_db, Debrief(
            company="<b>Contoso</b>", role="Analyst", time_zone="Europe/London",
            starts_at=dt.datetime.combine(day, dt.time(10)), to_improve=["Slow *down*"],
            questions=[Question("Tell me about yourself.", f"<script>alert({score})</script> rambled", score)]),
            today=dt.date(2026, 11, 25))
    return fresh_db


def weak_group(summary_db) -> int:
    return int(review.weakest_questions(summary_db).group_id.iloc[0])


def test_the_markdown_has_every_step_of_the_review(summary_db):
    review.save_practice(summary_db, weak_group(summary_db), "Tell me about yourself.", "Past, present, why you", 8, now=NOW)
    text = summary.as_markdown(summary.build_summary(summary_db, now=NOW))
    assert text.startswith("# Review session, Wed 25 Nov 2026")
    for heading in ("## Since your last review", "## Weakest recurring questions", "## Improvement notes",
                    "## Pipeline"):
        assert heading in text
    assert "3 interviews held so far, averaging 4.0." in text
    assert "### 1. Tell me about yourself." in text
    assert "**8/10** (practice)" in text  # practice is labelled as such, apart from interview scores
    assert "- [ ] Slow \\*down\\* (noted 3 times, last 01 Nov)" in text


def test_user_text_cannot_become_markdown_or_html_in_the_markdown(summary_db):
    text = summary.as_markdown(summary.build_summary(summary_db, now=NOW))
    assert "<script>" not in text and "\\<script\\>alert(5)\\</script\\>" in text
    assert "\\<b\\>Contoso\\</b\\>" in text


@pytest.mark.parametrize("typed, shown", [
    ("# not a heading", "\\# not a heading"),
    ("1. not a list", "1\\. not a list"),
    ("- not a bullet", "\\- not a bullet"),
    ("[link](http://x)", "\\[link\\](http\\://x)"),  # `:` too: Streamlit reads :name as a directive
    ("plain words, 3.5 points.", "plain words, 3.5 points."),
])
def test_markdown_escaping_keeps_plain_text_readable(typed, shown):
    assert summary.md(typed) == shown


def test_a_finished_review_puts_its_focus_and_day_in_the_summary(summary_db):
    review_id = review.finish_review(summary_db, "Name the salary number first", now=NOW)
    built = summary.build_summary(summary_db, now=NOW + dt.timedelta(days=2), review_id=review_id)
    text = summary.as_markdown(built)
    assert text.startswith("# Review session, Wed 25 Nov 2026")
    assert "## Before the next review, work on\n\nName the salary number first" in text
    assert "3 interviews held so far" in text  # the window the review covered, not the two days since


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.sources = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.sources += [value for name, value in attrs if name in ("src", "href")]


def test_the_html_page_is_self_contained_with_its_charts(summary_db):
    review.save_practice(summary_db, weak_group(summary_db), "Tell me about yourself.", "Better", 8, now=NOW)
    page = summary.as_html(summary.build_summary(summary_db, now=NOW))
    parsed = _Collect()
    parsed.feed(page)
    assert parsed.tags.count("svg") == 2  # scores over time, and one question's interview-vs-practice strips
    assert "script" not in parsed.tags and parsed.sources == []  # no JavaScript, nothing fetched: prints offline
    assert "@page" in page  # sized for printing
    assert page.count("<circle") >= 3 + 3  # three interview means, three interview answers
    assert "no practice yet" not in page


def test_user_text_is_escaped_in_the_html(summary_db):
    page = summary.as_html(summary.build_summary(summary_db, now=NOW))
    assert "<script>alert" not in page and "&lt;script&gt;alert(5)&lt;/script&gt;" in page
    assert "<b>Contoso</b>" not in page and "&lt;b&gt;Contoso&lt;/b&gt;" in page


def test_the_practice_chart_says_when_there_is_no_practice_yet(summary_db):
    assert "no practice yet" in summary.as_html(summary.build_summary(summary_db, now=NOW))


def test_a_long_answer_is_cut_in_the_summary():
    assert summary._clip("word " * 200).endswith("…")
    assert len(summary._clip("word " * 200)) == summary.ANSWER_CHARS


def test_an_empty_database_still_gives_a_summary(fresh_db):
    built = summary.build_summary(fresh_db, now=NOW)
    text, page = summary.as_markdown(built), summary.as_html(built)
    assert "No interviews recorded yet" in text
    assert "No question has come up in more than one interview yet" in text
    assert "No scored interviews to chart yet." in page
    assert re.search(r"<svg", page) is None


def run_cli(db_path, *args):
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    return subprocess.run([sys.executable, "-m", "lib", "summary", *args, "--db", str(db_path)], cwd=root,
                          capture_output=True, text=True)


def test_the_command_line_writes_the_same_summary_as_the_page(summary_db, db_path, tmp_path):
    review.finish_review(summary_db, "Salary first", now=NOW)
    summary_db.close()
    printed = run_cli(db_path)
    assert printed.returncode == 0 and printed.stdout.startswith("# Review session, ")
    assert "No interviews since then" in printed.stdout  # the review so far: nothing since the one just finished
    out = tmp_path / "review.html"
    written = run_cli(db_path, "--last", "--html", "--out", str(out))
    assert written.returncode == 0, written.stderr
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "Salary first" in page and "3 interviews held so far" in page


def test_the_command_line_says_when_no_review_was_finished(fresh_db, db_path):
    fresh_db.close()
    refused = run_cli(db_path, "--last")
    assert refused.returncode == 1
    assert "no review has been finished yet" in refused.stderr


def test_the_summary_shows_every_note_worked_on_and_fills_up_with_open_ones():
    import pandas as pd

    from lib.summary import NOTES_SHOWN, notes_to_show
    notes = pd.DataFrame({"note": [f"note {n}" for n in range(12)],
                          "worked_on": [n % 3 == 0 or n > 8 for n in range(12)]})   # 0, 3, 6, 9, 10, 11 worked on
    shown = notes_to_show(notes)
    assert set(notes.note[notes.worked_on]) <= set(shown.note)               # none of the six ticked is cut
    assert len(shown) == NOTES_SHOWN + max(0, int(notes.worked_on.sum()) - NOTES_SHOWN) == 6
    many = notes.assign(worked_on=True)
    assert len(notes_to_show(many)) == 12                                   # more ticked than the room: all shown
