"""Tables on the pages: the score in view first, days as days, an empty cell as '—', the bad import row marked."""
import datetime as dt

from conftest import open_app
from lib import dashboard
from lib.debriefs import Debrief, Question, save_debrief
from lib.ui.dashboard import GROUP
from lib.ui.tables import EMPTY, days, text
from lib.ui import DASHBOARD_PAGE, IMPORT_PAGE, INTERVIEWS_PAGE


def test_days_and_empty_cells_read_as_a_person_writes_them():
    assert days([dt.datetime(2026, 12, 1), None]).tolist() == ["2026-12-01", EMPTY]
    assert text([None, "", "  ", "Phone screen", float("nan")]).tolist() == [EMPTY, EMPTY, EMPTY, "Phone screen", EMPTY]


def test_the_import_preview_marks_the_bad_row_and_shows_the_score_early(db):
    at = open_app(IMPORT_PAGE)
    bad = b"company,interview_at,question,score\nContoso,2026-03-02,Why us?,7\nContoso,2026-03-02,Why?,eleven\n"
    at.file_uploader(key="import.files").set_value([("bad.csv", bad, "text/csv")]).run()
    preview = at.dataframe[0].value
    assert list(preview.columns[:4]) == ["check", "line", "score", "question"]
    assert preview["check"].iloc[0] == "✓" and preview["check"].iloc[1].startswith("⚠ ")
    assert "row with a problem, marked ⚠" in "\n".join(c.value for c in at.caption)


def test_every_answer_on_the_dashboard_has_the_score_first_and_dates_without_a_time(db):
    for day, score in ((2, 4), (9, 6)):
        save_debrief(db, Debrief(company="Contoso", starts_at=dt.datetime(2026, 3, day, 10), time_zone="Europe/London",
                                 questions=[Question("Why should we hire you?", "", score)]))
    at = open_app(DASHBOARD_PAGE)
    group_id = int(dashboard.question_groups(db)["group_id"].iloc[0])
    at.selectbox(key=GROUP).set_value(group_id).run()
    answers = at.dataframe[-1].value
    assert list(answers.columns[:2]) == ["score", "day"]
    assert answers["day"].tolist() == ["2026-03-09", "2026-03-02"]
    assert answers["answer_note"].tolist() == [EMPTY, EMPTY] and answers["role"].tolist() == [EMPTY, EMPTY]


def test_the_interview_detail_puts_the_score_first_and_an_empty_kind_as_a_dash(db):
    save_debrief(db, Debrief(company="Contoso", starts_at=dt.datetime(2026, 3, 2, 10), time_zone="Europe/London",
                             questions=[Question("Why us?", "", 7)]))
    at = open_app(INTERVIEWS_PAGE)
    next(b for b in at.button if b.label == "Open").click().run()
    detail = at.dataframe[0].value
    assert list(detail.columns) == ["Score", "Question", "Your answer", "Kind"]
    assert detail.iloc[0].tolist() == [7, "Why us?", EMPTY, EMPTY]
