"""The one-page summary of a review session, as Markdown and as a print-ready HTML page.

Decisions: docs/decisions.md, 'The review summary'.
"""
from __future__ import annotations

import datetime as dt
import html
import sys
from pathlib import Path
from dataclasses import dataclass

import pandas as pd

from . import calibration, clock, dashboard, review, settings
from .db import Database
from .outputs import OutputRefused, write_output
from .words import markdown_inert

ANSWER_CHARS = 240
ANSWERS_SHOWN = 3
NOTES_SHOWN = 6
CHART_INTERVIEWS = 400   # the most recent interviews drawn on the score chart



@dataclass(frozen=True)
class WeakQuestion:
    group_id: int
    question: str
    times_asked: int
    avg_score: float
    answers: pd.DataFrame    # day, company, score, answer_note, newest first
    attempts: pd.DataFrame   # practiced_on, score, answer, newest first


@dataclass(frozen=True)
class Summary:
    made_at: dt.datetime
    today: dt.date
    review: review.Review | None            # the finished review this summarises, if any
    since: review.SinceLastReview
    sentences: list[str]
    scores: pd.DataFrame                    # day, mean_score of the most recent interviews
    weak: list[WeakQuestion]
    notes: pd.DataFrame                     # review.improvement_notes
    pipeline: review.Pipeline
    calibration: str = ""                   # do self-scores predict the next round? (lib/calibration.py)
    recurring: int = 0                      # recurring question groups, weak or not


def build_summary(db: Database, *, now: dt.datetime | None = None, review_id: int | None = None) -> Summary:
    """Everything the summary shows, read once."""
    now = now or clock.now()
    finished = review.get_review(db, review_id) if review_id is not None else None
    today = clock.local_day(now, settings.time_zone(db))
    since = review.since_last_review(db, now, review=finished)
    weak = []
    for row in review.weakest_questions(db).itertuples():
        answers = review.past_answers(db, row.group_id)
        weak.append(WeakQuestion(int(row.group_id), row.canonical, int(row.times_asked), float(row.avg_score),
                                 answers, review.practice_attempts(db, [row.group_id])))
    scores = dashboard.interview_scores(db).sort_values("day").tail(CHART_INTERVIEWS)
    calibrated = calibration.calibration(db, today)
    return Summary(now, today, finished, since, review.since_sentences(since, today), scores[["day", "mean_score"]],
                   weak, review.improvement_notes(db, today), review.pipeline(db, today),
                   calibration.calibration_sentence(calibrated) if calibrated.interviews else "",
                   review.recurring_count(db))


def _title(summary: Summary) -> str:
    day = summary.review.held_on if summary.review else summary.today
    return f"Review session, {day:%a %d %b %Y}"


def _clip(text, limit: int = ANSWER_CHARS) -> str:
    text = "" if text is None or (isinstance(text, float) and text != text) else " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# -- Markdown ----------------------------------------------------------------------------------------

md = markdown_inert  # user text made inert in Markdown


def as_markdown(summary: Summary) -> str:
    lines = [f"# {_title(summary)}", "", "## Since your last review", ""]
    lines += [" ".join(summary.sentences), ""]  # our own words: nothing to escape
    if summary.calibration:
        lines += [f"Do your self-scores predict the next round? {summary.calibration}", ""]
    if summary.since.practised:
        lines += [f"Practice attempts in this period: {summary.since.practised}.", ""]
    lines += ["## Weakest recurring questions", ""]
    if not summary.weak:
        lines += [_no_weak(summary), ""]
    for number, weak in enumerate(summary.weak, 1):
        lines += [f"### {number}. {md(weak.question)}", "",
                  f"Asked in {weak.times_asked} interviews, average {weak.avg_score:.1f}.", ""]
        for answer in weak.answers.head(ANSWERS_SHOWN).itertuples():
            note = md(_clip(answer.answer_note)) or "_no note_"
            lines.append(f"- {answer.day:%d %b %Y}, {md(answer.company)}: **{answer.score}/10**. {note}")
        best = review.best_practice(weak.attempts)
        if best is not None:
            lines.append(f"- Practice, {best.practiced_on:%d %b %Y}: **{best.score}/10** (practice). "
                         f"{md(_clip(best.answer))}")
        lines.append("")
    lines += ["## Improvement notes", ""]
    if summary.notes.empty:
        lines += ["No improvement notes from recent interviews.", ""]
    shown = notes_to_show(summary.notes) if not summary.notes.empty else summary.notes
    for note in shown.itertuples():
        tick = "x" if note.worked_on else " "
        lines.append(f"- [{tick}] {md(note.note)} ({review.noted(note.times, note.last_day)})")
    if len(summary.notes) > len(shown):
        lines.append(f"- and {len(summary.notes) - len(shown)} more not worked on yet")
    lines += ["", "## Pipeline", "", summary.pipeline.message, ""]
    for item in summary.pipeline.follow_ups:
        lines.append(f"- {_follow_up_line(item, md)}")
    if summary.review and summary.review.focus:
        lines += ["", "## Before the next review, work on", "", md(summary.review.focus)]
    lines += ["", f"_Made by Debrief on {summary.made_at:%d %b %Y %H:%M} UTC._", ""]
    return "\n".join(lines)


def _no_weak(summary: Summary) -> str:
    if summary.recurring == 0:
        return "No question has come up in more than one interview yet: nothing recurring to practise."
    return "No recurring question averages below your weak line: nothing to practise urgently."


def _follow_up_line(item, escape) -> str:
    if item.suggest_moving_on:
        return f"{escape(item.company)}: two follow-ups unanswered, time to move on"
    return f"{escape(item.company)}: follow up (due {item.due:%a %d %b})"


# -- HTML ------------------------------------------------------------------------------------------

def notes_to_show(notes: pd.DataFrame) -> pd.DataFrame:
    """Every note worked on (a coach must see each one), then open notes up to NOTES_SHOWN in all, in order."""
    open_rank = (~notes.worked_on.astype(bool)).cumsum()
    room = max(0, NOTES_SHOWN - int(notes.worked_on.astype(bool).sum()))
    return notes[notes.worked_on.astype(bool) | (open_rank <= room)]


def as_html(summary: Summary) -> str:
    e = html.escape
    parts = [f"<h1>{e(_title(summary))}</h1>", "<h2>1. Since your last review</h2>"]
    practised = f" Practice attempts in this period: {summary.since.practised}." if summary.since.practised else ""
    parts.append(f"<p>{e(' '.join(summary.sentences))}{practised}</p>")
    if summary.calibration:
        parts.append(f"<p class=meta>Do your self-scores predict the next round? {e(summary.calibration)}</p>")
    since_day = summary.since.last.held_on if summary.since.last else None
    parts.append(svg_scores(summary.scores, since_day))
    parts.append("<h2>2. Weakest recurring questions</h2>")
    if not summary.weak:
        parts.append(f"<p>{_no_weak(summary)}</p>")
    for number, weak in enumerate(summary.weak, 1):
        parts.append(f'<section class="question"><h3>{number}. {e(weak.question)}</h3>'
                     f"<p class=meta>Asked in {weak.times_asked} interviews, average {weak.avg_score:.1f}.</p>")
        parts.append(svg_practice(weak.answers, weak.attempts))
        rows = [f"<tr><td>{a.day:%d %b %y}</td><td>{e(str(a.company))}</td><td class=score>{a.score}</td>"
                f"<td>{e(_clip(a.answer_note))}</td></tr>" for a in weak.answers.head(ANSWERS_SHOWN).itertuples()]
        best = review.best_practice(weak.attempts)
        if best is not None:
            rows.append(f"<tr class=practice><td>{best.practiced_on:%d %b %y}</td><td>Practice</td>"
                        f"<td class=score>{best.score}</td><td>{e(_clip(best.answer))}</td></tr>")
        parts.append("<table>"
                     + "".join(rows) + "</table></section>")
    parts.append("<h2>3. Improvement notes</h2>")
    if summary.notes.empty:
        parts.append("<p>No improvement notes from recent interviews.</p>")
    else:
        shown = notes_to_show(summary.notes)
        items = "".join(f"<li class={'done' if n.worked_on else 'open'}>{'☑' if n.worked_on else '☐'} {e(n.note)} "
                        f"<span class=meta>({review.noted(n.times, n.last_day)})</span></li>" for n in shown.itertuples())
        more = len(summary.notes) - len(shown)
        parts.append(f"<ul class=notes>{items}</ul>"
                     + (f"<p class=meta>And {more} more not worked on yet.</p>" if more > 0 else ""))
    parts.append("<h2>4. Pipeline</h2>")
    parts.append(f"<p>{e(summary.pipeline.message)}</p>")
    if summary.pipeline.follow_ups:
        parts.append("<ul>" + "".join(f"<li>{_follow_up_line(i, e)}</li>" for i in summary.pipeline.follow_ups) + "</ul>")
    if summary.review and summary.review.focus:
        parts.append(f"<h2>5. Before the next review, work on</h2><p class=focus>{e(summary.review.focus)}</p>")
    parts.append(f"<footer>Made by Debrief on {summary.made_at:%d %b %Y %H:%M} UTC.</footer>")
    return _PAGE.format(title=e(_title(summary)), body="\n".join(parts))


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A4; margin: 10mm 12mm; }}
body {{ font: 9.5pt/1.3 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111827;
       max-width: 180mm; margin: 0 auto; padding: 4mm 0; }}
h1 {{ font-size: 16pt; margin: 0 0 2mm; }}
h2 {{ font-size: 12pt; margin: 4mm 0 1.5mm; border-bottom: 1px solid #d1d5db; }}
h3 {{ font-size: 10.5pt; margin: 2.5mm 0 0.5mm; }}
p {{ margin: 1mm 0; }}
.meta {{ color: #4b5563; font-size: 9.5pt; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; }}
th, td {{ text-align: left; vertical-align: top; padding: 0.6mm 2mm; border-bottom: 1px solid #e5e7eb; }}
td.score {{ font-weight: 600; text-align: center; }}
tr.practice td {{ color: #047857; }}
ul.notes {{ list-style: none; padding-left: 0; margin: 1mm 0; columns: 2; column-gap: 6mm; font-size: 9pt; }}
ul.notes li {{ break-inside: avoid; }}
td:first-child {{ white-space: nowrap; }}
li.done {{ color: #6b7280; }}
section.question {{ break-inside: avoid; }}
svg {{ display: block; margin: 1mm 0; }}
footer {{ margin-top: 3mm; color: #6b7280; font-size: 8.5pt; }}
</style></head>
<body>
{body}
</body></html>
"""


# -- inline SVG charts -------------------------------------------------------------------------------

SVG_BLUE, SVG_GREEN, SVG_GREY = "#2563eb", "#059669", "#9ca3af"


def svg_scores(scores: pd.DataFrame, since_day: dt.date | None, *, width: int = 640, height: int = 90) -> str:
    """Each interview's mean self-score by date, the time since the last review shaded."""
    if scores.empty:
        return "<p class=meta>No scored interviews to chart yet.</p>"
    left, right, top, bottom = 28, 8, 8, 20
    days = pd.to_datetime(scores["day"])
    first, last = days.min(), days.max()
    span = max((last - first).days, 1)

    def x(day) -> float:
        return left + (width - left - right) * ((pd.Timestamp(day) - first).days / span if span else 0.5)

    def y(score: float) -> float:
        return top + (height - top - bottom) * (10 - score) / 9

    out = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="Self-scores over time" xmlns="http://www.w3.org/2000/svg" font-size="9" font-family="sans-serif">']
    if since_day is not None and pd.Timestamp(since_day) <= last:
        start = max(x(since_day), left)
        out.append(f'<rect x="{start:.1f}" y="{top}" width="{width - right - start:.1f}" height="{height - top - bottom}" '
                   'fill="#dbeafe"/>')
        out.append(f'<text x="{start + 3:.1f}" y="{top + 10}" fill="#1e40af">since last review</text>')
    for score in (1, 5, 10):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(score):.1f}" y2="{y(score):.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{left - 4}" y="{y(score) + 3:.1f}" text-anchor="end" fill="#6b7280">{score}</text>')
    points = " ".join(f"{x(d):.1f},{y(s):.1f}" for d, s in zip(days, scores["mean_score"]))
    out.append(f'<polyline points="{points}" fill="none" stroke="{SVG_GREY}" stroke-width="1"/>')
    out += [f'<circle cx="{x(d):.1f}" cy="{y(s):.1f}" r="3" fill="{SVG_BLUE}"/>' for d, s in zip(days, scores["mean_score"])]
    out.append(f'<text x="{left}" y="{height - 5}" fill="#6b7280">{first:%d %b %Y}</text>'
               f'<text x="{width - right}" y="{height - 5}" text-anchor="end" fill="#6b7280">{last:%d %b %Y}</text>')
    out.append("</svg>")
    return "".join(out)


def svg_practice(answers: pd.DataFrame, attempts: pd.DataFrame, *, width: int = 640) -> str:
    """Two strips on one 1–10 scale: interview answers (blue dots) and practice (green diamonds), each with its mean."""
    left, right, row_height = 90, 12, 18
    height = row_height * 2 + 12

    def x(score: float) -> float:
        return left + (width - left - right) * (score - 1) / 9

    out = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="Interview and practice scores" xmlns="http://www.w3.org/2000/svg" font-size="9" '
           'font-family="sans-serif">']
    for score in range(1, 11):
        out.append(f'<text x="{x(score):.1f}" y="{height - 2}" text-anchor="middle" fill="#6b7280">{score}</text>')
    for row, (label, scores, colour, shape) in enumerate((("In interviews", answers["score"], SVG_BLUE, "dot"),
                                                          ("In practice", attempts["score"], SVG_GREEN, "diamond"))):
        middle = row * row_height + row_height / 2 + 2
        out.append(f'<text x="0" y="{middle + 3:.1f}" fill="#374151">{label}</text>'
                   f'<line x1="{left}" x2="{width - right}" y1="{middle:.1f}" y2="{middle:.1f}" stroke="#e5e7eb"/>')
        values = pd.Series(scores, dtype="float64")
        if len(values):
            mean = float(values.mean())  # drawn first, so the points stay visible on top of it
            out.append(f'<line x1="{x(mean):.1f}" x2="{x(mean):.1f}" y1="{middle - 10:.1f}" y2="{middle + 10:.1f}" '
                       f'stroke="#111827" stroke-width="1.5" stroke-dasharray="2,1"><title>mean {mean:.1f}</title></line>')
        else:
            out.append(f'<text x="{left + 4}" y="{middle + 3:.1f}" fill="#9ca3af">no practice yet</text>')
        for score, count in values.value_counts().items():
            radius = 3 + min(count, 6)
            if shape == "dot":
                out.append(f'<circle cx="{x(score):.1f}" cy="{middle:.1f}" r="{radius}" fill="{colour}" '
                           'fill-opacity="0.55"/>')
            else:
                cx = x(score)
                out.append(f'<path d="M{cx:.1f},{middle - radius:.1f} L{cx + radius:.1f},{middle:.1f} '
                           f'L{cx:.1f},{middle + radius:.1f} L{cx - radius:.1f},{middle:.1f} Z" fill="{colour}" '
                           'fill-opacity="0.7"/>')
    out.append("</svg>")
    return "".join(out)


def run_cli(db: Database, *, html_page: bool = False, last: bool = False, out: Path | None = None) -> int:
    """`python -m lib summary`: the same summary as the review page's download buttons."""
    review_id = None
    if last:
        finished = review.last_review(db)
        if finished is None:
            print("error: no review has been finished yet; leave out --last for the review so far", file=sys.stderr)
            return 1
        review_id = finished.id
    built = build_summary(db, review_id=review_id)
    text = as_html(built) if html_page else as_markdown(built)
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        write_output(out, text.encode("utf-8"), db=db)  # atomically, never over the database or a backup
    except OutputRefused as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 1
    except OSError as problem:
        print(f"error: could not write {out}: {problem.strerror or problem}", file=sys.stderr)
        return 1
    print(f"wrote {out}", file=sys.stderr)
    return 0
