"""The dashboard's Plotly figures, built from small frames (AppTest shows charts only as unknown elements)."""
import itertools

import numpy as np
import pandas as pd
import pytest

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
    months = pd.to_datetime(["2026-03-01", "2026-04-01", "2026-03-01"])
    frame = pd.DataFrame({"item": ["On time", "On time", "<i>Rapport</i>"], "month": months, "interviews": [3, 2, 1]})
    figure = charts.reflections(frame, "What went well, most noted")
    heatmap = figure.data[0]
    assert list(heatmap.y) == ["&lt;i&gt;Rapport&lt;/i&gt;", "On time"]  # Plotly draws the last row on top
    assert heatmap.z.tolist() == [[1, 0], [3, 2]]


def test_the_notes_heatmap_gives_each_month_its_own_column_empty_months_included():
    # Noted in January and June only: a date axis stretched January's cell over Feb-May.
    frame = pd.DataFrame({"item": ["Prepared examples", "Prepared examples"],
                          "month": pd.to_datetime(["2026-01-01", "2026-06-01"]), "interviews": [2, 1]})
    figure = charts.reflections(frame, "What went well, most noted")
    heatmap = figure.data[0]
    assert heatmap.z.tolist() == [[2, 0, 0, 0, 0, 1]]
    assert list(figure.layout.xaxis.ticktext) == ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026", "Jun 2026"]
    assert list(figure.layout.xaxis.tickvals) == list(range(6)) and figure.layout.xaxis.tickangle == 0


def test_the_notes_heatmap_has_a_colour_key_in_whole_interviews():
    frame = pd.DataFrame({"item": ["On time"], "month": DAYS[:1], "interviews": [3]})
    heatmap = charts.reflections(frame, "What went well, most noted").data[0]
    assert heatmap.showscale is not False
    assert heatmap.colorbar.title.text == "Interviews that noted it"
    assert list(heatmap.colorbar.tickvals) == [0, 1, 2, 3]
    assert heatmap.colorbar.orientation == "h"


def test_a_long_run_of_months_names_them_briefly_so_the_labels_do_not_run_together():
    months, labels = charts.month_columns(pd.to_datetime(["2025-11-01", "2027-02-01"]))
    assert len(months) == 16 and len(labels) == 16
    named = [label for label in labels if label]
    assert len(named) <= 8  # every second month
    assert labels[0] == "Nov<br>2025" and "Jan<br>2026" in labels
    assert all(len(label.replace("<br>", " ")) <= 8 for label in named)


@pytest.mark.parametrize("item, label", [
    ("On time", "On time"),
    ("Read the news first: I didn't know they had just been acquired",
     "Read the news first: I didn't<br>know they had just been acquired"),
    ("word " * 30, "word word word word word word<br>word word word word word word…"),
])
def test_a_long_note_is_labelled_on_two_lines_at_most(item, label):
    assert charts._two_lines(item) == label.replace("'", "&#x27;")


def test_thank_yous_stack_by_month_with_the_on_time_rate_in_the_hover():
    frame = pd.DataFrame({"starts_on": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-03-20", "2026-04-02"]).date,
                          "status": ["on_time", "on_time", "late", "not_sent"]})
    figure = charts.thank_you_timeline(frame)
    assert [t.name for t in figure.data] == ["Within 24 hours", "Late", "Not sent"]
    assert list(figure.data[0].y) == [2, 0] and list(figure.data[2].y) == [0, 1]
    assert [rate for _, rate in figure.data[0].customdata] == ["67% on time", "0% on time"]
    assert list(figure.layout.xaxis.ticktext) == ["Mar 2026", "Apr 2026"]


def test_a_thank_you_not_due_yet_is_its_own_bar_and_does_not_lower_the_rate():
    frame = pd.DataFrame({"starts_on": pd.to_datetime(["2026-03-02", "2026-03-30", "2026-05-04"]).date,
                          "status": ["on_time", "not_due", "not_due"]})
    figure = charts.thank_you_timeline(frame)
    assert [t.name for t in figure.data] == ["Within 24 hours", "Late", "Not sent", "Not due yet"]
    assert list(figure.data[3].y) == [1, 0, 1]  # March, April (nothing), May
    assert [rate for _, rate in figure.data[0].customdata] == ["100% on time", "none due yet", "none due yet"]
    assert figure.layout.title.text == "Thank-you notes: sent within 24 hours?"


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


def test_one_practice_and_one_interview_give_date_axes_of_a_few_weeks_not_milliseconds():
    answers = pd.DataFrame({"day": pd.to_datetime(["2026-11-20"]), "score": [6], "company": ["Contoso"]})
    attempts = pd.DataFrame({"practiced_on": pd.to_datetime(["2026-11-24"]), "score": [8]})
    figure = charts.practice_vs_interview(answers, attempts, "Why this company?")
    for axis, day in ((figure.layout.xaxis, "2026-11-20"), (figure.layout.xaxis2, "2026-11-24")):
        low, high = (pd.Timestamp(bound) for bound in axis.range)
        assert high - low == pd.Timedelta(days=28) and low < pd.Timestamp(day) < high
        assert axis.tickformat == "%d %b"  # dates only: no "23:59:59.999"


def test_dates_spread_over_weeks_keep_plotlys_own_range():
    assert charts.readable_dates(pd.to_datetime(["2026-10-01", "2026-11-20"])) == {}
    assert charts.readable_dates(pd.Series([], dtype="datetime64[ns]")) == {}


def test_one_interview_on_the_score_chart_gets_a_readable_date_axis():
    points = pd.DataFrame({"day": DAYS[:1], "mean_score": [5.0], "interviews": 1, "label": "Contoso · Analyst"})
    figure = charts.scores_over_time(points, pd.DataFrame(columns=["day", "score", "answers"]),
                                     pd.DataFrame(columns=["day", "trend"]))
    low, high = (pd.Timestamp(bound) for bound in figure.layout.xaxis.range)
    assert (high - low).days == 28


# -- by kind of question: colours, legend, toolbar -------------------------------------------------

def cie_lab(colour: str) -> np.ndarray:
    """sRGB '#rrggbb' to CIELAB (D65), for the distance people see between two colours."""
    rgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    rgb = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    f = np.cbrt(np.maximum(xyz / np.array([0.95047, 1.0, 1.08883]), 0.008856))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def every_kind_of_question() -> pd.DataFrame:
    from lib.debriefs import CATEGORIES
    kinds = [*CATEGORIES, charts.UNCATEGORISED]
    return pd.DataFrame({"month": DAYS[0], "category": kinds, "mean_score": 6.0, "answers": 1})


def test_no_two_kinds_of_question_share_a_near_identical_colour():
    figure = charts.category_scores(every_kind_of_question())
    colours = [trace.line.color for trace in figure.data]
    assert len(colours) == 10 == len(set(colours))
    # CIE76 distance: about 2 is just noticeable; the old amber and orange were 26 apart.
    closest = min(np.linalg.norm(cie_lab(a) - cie_lab(b)) for a, b in itertools.combinations(colours, 2))
    assert closest >= 40
    assert len({trace.marker.symbol for trace in figure.data}) == 10


def test_a_kind_of_question_keeps_its_colour_whatever_the_others_shown():
    every = charts.category_scores(every_kind_of_question())
    salary_only = charts.category_scores(every_kind_of_question().query("category == 'salary'"))
    salary = next(t for t in every.data if t.name == "Salary")
    assert salary_only.data[0].line.color == salary.line.color


def test_the_legend_sits_under_the_plot_and_the_title_under_the_toolbar():
    figure = charts.category_scores(every_kind_of_question())
    legend, title = figure.layout.legend, figure.layout.title
    assert legend.orientation == "h" and legend.yanchor == "top" and legend.y < 0  # below the x axis
    assert (title.yref, title.yanchor, title.pad.t) == ("container", "top", charts.MODEBAR_STRIP)
    assert figure.layout.margin.t >= charts.MODEBAR_STRIP + charts.TITLE_HEIGHT


def test_one_month_of_kinds_gets_a_month_axis_not_milliseconds():
    figure = charts.category_scores(every_kind_of_question())
    low, high = (pd.Timestamp(bound) for bound in figure.layout.xaxis.range)
    assert (high - low).days == 92 and figure.layout.xaxis.tickformat == "%b %Y"
