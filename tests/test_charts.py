"""The dashboard's Plotly figures, built from small frames (AppTest shows charts only as unknown elements)."""
import numpy as np
import pandas as pd

from lib import charts

DAYS = pd.to_datetime(["2026-03-02", "2026-03-09", "2026-04-01"])


def test_scores_over_time_has_the_answers_the_interview_means_and_the_trend():
    points = pd.DataFrame({"day": DAYS, "mean_score": [5.0, 6.0, 7.5], "interviews": 1, "label": "Contoso · Analyst"})
    cloud = pd.DataFrame({"day": DAYS.repeat(2), "score": [4, 6, 5, 7, 7, 8], "answers": [1, 1, 2, 1, 1, 3]})
    trend = pd.DataFrame({"day": DAYS, "trend": [5.0, 5.5, 6.2]})
    figure = charts.scores_over_time(points, cloud, trend)
    assert [t.name for t in figure.data] == ["Each answer", "Interview average", "30-day average"]
    assert list(figure.data[1].y) == [5.0, 6.0, 7.5]
    assert figure.layout.title.text == "Your self-scores over time"
    assert tuple(figure.layout.yaxis.range) == (0.5, 10.5)
    assert "average %{y:.1f}" in figure.data[1].hovertemplate
    assert charts.point_count(figure) == 12


def test_user_text_in_hover_labels_is_inert():
    points = pd.DataFrame({"day": DAYS[:1], "mean_score": [5.0], "interviews": 1,
                           "label": "<script>alert(1)</script> · <b>Role</b>"})
    figure = charts.scores_over_time(points, pd.DataFrame(columns=["day", "score", "answers"]),
                                     pd.DataFrame(columns=["day", "trend"]))
    label = figure.data[0].customdata[0][0]
    assert "<script>" not in label and "&lt;script&gt;" in label


def test_the_category_view_draws_one_line_per_kind_of_question():
    frame = pd.DataFrame({"month": DAYS.repeat(2), "category": ["introduction", "salary"] * 3,
                          "mean_score": [5, 3, 6, 4, 7, 4.5], "answers": [2, 1, 3, 1, 2, 2]})
    figure = charts.category_scores(frame)
    assert [t.name for t in figure.data] == ["Introduction", "Salary"]
    assert list(figure.data[1].y) == [3, 4, 4.5]


def test_the_running_at_once_chart_is_a_step_line_over_the_shaded_target_band():
    frame = pd.DataFrame({"day": pd.date_range("2026-03-01", periods=5), "active": [1, 2, 2, 4, 3]})
    figure = charts.active_applications(frame, (2, 3))
    assert figure.data[0].line.shape == "hv"
    band = figure.layout.shapes[0]
    assert (band.y0, band.y1) == (2, 3)
    assert figure.layout.annotations[0].text == "Target 2–3"
    assert figure.layout.yaxis.range[1] == 5  # room above the highest count


def test_the_notes_heatmap_puts_the_most_noted_item_on_top_and_escapes_it():
    frame = pd.DataFrame({"item": ["On time", "On time", "<i>Rapport</i>"], "month": DAYS[:2].tolist() + [DAYS[0]],
                          "interviews": [3, 2, 1]})
    figure = charts.reflections(frame, "What went well, most noted")
    heatmap = figure.data[0]
    assert list(heatmap.y) == ["&lt;i&gt;Rapport&lt;/i&gt;", "On time"]  # Plotly draws the last row on top
    assert heatmap.z.tolist() == [[1, 0], [3, 2]]


def test_thank_yous_stack_by_month_with_the_on_time_rate_in_the_hover():
    frame = pd.DataFrame({"starts_on": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-03-20", "2026-04-02"]).date,
                          "status": ["on_time", "on_time", "late", "not_sent"]})
    figure = charts.thank_you_timeline(frame)
    assert [t.name for t in figure.data] == ["Within 24 hours", "Late", "Not sent"]
    assert list(figure.data[0].y) == [2, 0] and list(figure.data[2].y) == [0, 1]
    assert list(figure.data[0].customdata) == [67, 0]


def test_no_chart_ships_more_than_the_point_budget_from_pooled_data():
    # 100k interviews over 3 years: pooled by week for the interview means and the trend.
    from lib import dashboard
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 1100, 100_000), unit="D")
    scores = pd.DataFrame({"day": days, "mean_score": rng.uniform(1, 10, 100_000), "company": "C", "role": "R"})
    points, trend = dashboard.score_points(scores), dashboard.rolling_trend(scores)
    figure = charts.scores_over_time(points, pd.DataFrame(columns=["day", "score", "answers"]), trend)
    assert charts.point_count(figure) <= dashboard.MAX_POINTS


# -- practice against interview scores (review page) ------------------------------------------------

def test_practice_is_drawn_in_its_own_panel_never_on_the_interview_line():
    answers = pd.DataFrame({"day": pd.to_datetime(["2026-10-01", "2026-11-01"]), "score": [4, 5],
                            "company": ["<b>Contoso</b>", "Fabrikam"]})
    attempts = pd.DataFrame({"practiced_on": pd.to_datetime(["2026-11-20"]), "score": [8]})
    figure = charts.practice_vs_interview(answers, attempts, "Tell me <i>about</i> yourself")
    interview, practice = figure.data
    assert (interview.name, list(interview.y), interview.xaxis) == ("Interview", [4, 5], "x")
    assert (practice.name, list(practice.y), practice.xaxis) == ("Practice", [8], "x2")
    assert interview.customdata[0] == "&lt;b&gt;Contoso&lt;/b&gt;"
    assert figure.layout.title.text == "Tell me &lt;i&gt;about&lt;/i&gt; yourself"


def test_the_practice_panel_says_when_there_is_no_practice_yet():
    answers = pd.DataFrame({"day": pd.to_datetime(["2026-10-01"]), "score": [4], "company": ["Contoso"]})
    figure = charts.practice_vs_interview(answers, pd.DataFrame({"practiced_on": [], "score": []}), "Q")
    assert [a.text for a in figure.layout.annotations][-1] == "No practice yet"
