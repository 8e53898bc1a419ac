"""`python -m lib report [--json] [--as-of DATE] [--db PATH]`: the coaching report.

The JSON follows docs/report-json.md exactly (extra keys are allowed there); the text is the
same report for a person in a review session. Both are built from the same lib functions as the
dashboard and the Today view.

Decisions: docs/decisions.md, 'The coaching report'.
"""
from __future__ import annotations

import datetime as dt
import json
import sys

from . import dashboard, follow_ups, rules, settings
from .applications import active_applications_on, pipeline_message
from .db import Database
from .words import hours, plural


def build_report(db: Database, as_of: dt.date | None = None) -> dict:
    """The report as a dict, per docs/report-json.md."""
    as_of = as_of or settings.today(db)
    up_to = dashboard.Filters(end=as_of)
    trend = dashboard.score_trend(db, up_to)
    groups = dashboard.question_groups(db, up_to, with_trend=False)
    thank_you = follow_ups.thank_you_counts(db, as_of)
    due = follow_ups.follow_ups_due(db, as_of)
    return {
        "as_of": as_of.isoformat(),
        "active_applications": active_applications_on(db, as_of),
        "target_concurrent": list(settings.target_band(db)),
        "score_trend": {
            "interviews": trend.interviews,
            "mean_score": None if trend.mean_score is None else round(trend.mean_score, 1),
            # + 0.0 turns a -0.0 into 0.0
            "points_per_30_days": None if trend.points_per_30_days is None else round(trend.points_per_30_days, 2) + 0.0,
            "sentence": dashboard.fitted_line_sentence(trend),
        },
        "recurring_questions": [
            {"question": row.canonical, "times_asked": int(row.times_asked), "avg_score": round(float(row.avg_score), 1),
             "last_score": int(row.last_score), "weak": bool(row.weak), "variants": list(row.variants),
             "category": None if row.category is None or row.category != row.category else str(row.category),
             "last_asked": _day(row.last_asked)}
            for row in groups.itertuples()
        ],
        "thank_you": {key: int(value) for key, value in thank_you.items()},
        "follow_ups_due": [
            {"company": row.company, "role": row.role, "due": _day(row.expected_by), "follow_up_from": _day(row.due)}
            for row in due.itertuples()
        ],
    }


def _day(value) -> str:
    """YYYY-MM-DD, also of a datetime (a DATE column can reach pandas as a midnight Timestamp)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def as_text(report: dict, trend_words: str | None = None) -> str:
    """The report in plain words, for a review session; `trend_words` (dashboard.trend_sentence)
    replaces the JSON's sentence on the fitted line."""
    low, high = report["target_concurrent"]
    lines = [f"Debrief report for {report['as_of']}", "",
             pipeline_message(report["active_applications"], (low, high)), "",
             f"Self-scores: {trend_words or report['score_trend']['sentence']}"]
    questions = report["recurring_questions"]
    lines += ["", "Questions that keep coming back" + (":" if questions else ": none yet (asked in two interviews or more).")]
    for q in questions:
        flag = "WEAK  " if q["weak"] else "      "
        lines.append(f"  {flag}{q['question']} — asked {plural(q['times_asked'], 'time')}, "
                     f"average {q['avg_score']:.1f}, last {q['last_score']}")
        for variant in q["variants"]:
            if variant != q["question"]:
                lines.append(f"          also: {variant}")
    t = report["thank_you"]
    lines += ["", f"Thank-you notes: {t['sent_on_time']} within {hours(rules.THANK_YOU_WITHIN)}, {t['sent_late']} late, {t['not_sent']} not sent."]
    due = report["follow_ups_due"]
    lines += ["", "Follow-ups due" + (":" if due else ": none.")]
    lines += [f"  {f['company']} — {f['role'] or 'no role given'}: an answer was due {f['due']}; "
              f"follow up from {f['follow_up_from']}" for f in due]
    return "\n".join(lines) + "\n"


def run_cli(db: Database, *, as_json: bool, as_of: dt.date | None) -> int:
    report = build_report(db, as_of)
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        trend = dashboard.score_trend(db, dashboard.Filters(end=dt.date.fromisoformat(report["as_of"])))
        sys.stdout.write(as_text(report, dashboard.trend_sentence(trend)))
    return 0
