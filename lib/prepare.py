"""Preparing for an interview: one application's earlier rounds, your weak recurring questions
with your best answers so far, your improvement notes, and the people you have met there.

Decisions: docs/decisions.md, 'Preparing for an interview'.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from . import clock, dashboard, review, rules, settings
from .db import Database, cell_date, cell_text
from .words import markdown_inert

WEAK_SHOWN = 5
MAX_CHOICES = 500



@dataclass(frozen=True)
class NextInterview:
    interview_id: int
    starts_local: dt.datetime          # wall-clock time in the user's zone
    round: int | None
    stage: str
    format: str
    interviewers: str                  # "Ann Lee (Head of Data), Bo Chan"
    key_topics: str


@dataclass(frozen=True)
class PrepSheet:
    application_id: int
    company: str
    role: str
    status: str
    is_open: bool
    today: dt.date
    next_interview: NextInterview | None
    rounds: pd.DataFrame         # interview_id, round, stage, format, day, key_topics, questions, mean_score, label
    questions: pd.DataFrame      # interview_id, question_id, seq, wording, answer_note, score, category, group_id
    weak: pd.DataFrame           # group_id, canonical, times_asked, avg_score, last_score, asked_here,
                                 # best_score, best_day, best_company, best_wording, best_answer,
                                 # practice_score, practice_on, practice_answer
    notes: pd.DataFrame          # note_key, note, times, last_day, companies, worked_on, from_here
    interviewers: pd.DataFrame   # name, position, times_met, met ("Round 1 · Recruiter screen, 03 Aug 2026; …")

    @property
    def title(self) -> str:
        return f"{self.company} – {self.role}" if self.role else self.company


def choices(db: Database, *, now: dt.datetime | None = None, include_id: int | None = None,
            max_choices: int = MAX_CHOICES) -> pd.DataFrame:
    """The applications to prepare for: id, company, role, status, is_open, next_at, rounds_held, label.

    Open ones first, those with an interview ahead at the top (soonest first), then closed ones."""
    now = now or clock.now()
    frame = db.query("prepare_choices", now=now, include_id=-1 if include_id is None else int(include_id),
                     max_choices=max_choices, closed_statuses=list(rules.CLOSED_STATUSES))
    frame["label"] = [_choice_label(row) for row in frame.itertuples()]
    return frame


def _choice_label(row) -> str:
    name = f"{row.company} – {row.role}" if row.role else row.company
    if not row.is_open:
        return f"{name} ({row.status})"
    if not pd.isna(row.next_at):
        return f"{name} · next interview {pd.Timestamp(row.next_at).strftime('%d %b')}"
    return name


def prep_sheet(db: Database, application_id: int, today: dt.date, *,
               now: dt.datetime | None = None) -> PrepSheet | None:
    """Everything the prep sheet shows for one application, or None if there is no such application."""
    now = now or clock.now()
    application = db.query("prepare_application", id=int(application_id), closed_statuses=list(rules.CLOSED_STATUSES))
    if application.empty:
        return None
    app = application.iloc[0]
    params = {"application_id": int(application_id), "now": now}
    rounds = db.query("prepare_rounds", **params)
    rounds["label"] = [round_label(row.round, row.stage, cell_date(row.day)) for row in rounds.itertuples()]
    questions = db.query("prepare_questions", **params)
    asked_here = {int(g) for g in questions["group_id"].dropna()}
    return PrepSheet(int(app["id"]), str(app["company"]), cell_text(app["role"]), str(app["status"]),
                     bool(app["is_open"]), today, _next_interview(db, params, settings.time_zone(db)),
                     rounds.drop(columns=["starts_at", "time_zone"]), questions,
                     weak_questions(db, asked_here), notes_to_reread(db, today, int(application_id)),
                     _interviewers(db.query("prepare_interviewers", **params)))


def round_label(round_number, stage: str, day: dt.date | None) -> str:
    """'Round 2 · Hiring manager · Mon 03 Aug 2026' (the parts that are known)."""
    parts = [] if round_number is None or pd.isna(round_number) else [f"Round {int(round_number)}"]
    parts += [stage] if stage else []
    parts += [f"{day:%a %d %b %Y}"] if day else []
    return " · ".join(parts) or "An interview"


def _next_interview(db: Database, params: dict, zone: str) -> NextInterview | None:
    frame = db.query("prepare_next_interview", **params)
    if frame.empty:
        return None
    row = frame.iloc[0]
    return NextInterview(int(row["interview_id"]), clock.to_local(row["starts_at"].to_pydatetime(), zone),
                         None if pd.isna(row["round"]) else int(row["round"]), cell_text(row["stage"]),
                         cell_text(row["format"]), cell_text(row["interviewers"]), cell_text(row["key_topics"]))


def weak_questions(db: Database, asked_here: set[int] = frozenset(), *, limit: int = WEAK_SHOWN) -> pd.DataFrame:
    """The weak recurring question groups, weakest first, each with your best past and practice answer."""
    groups = dashboard.question_groups(db, with_trend=False)
    weak = groups[groups["weak"]].head(limit).reset_index(drop=True)
    columns = ["group_id", "canonical", "times_asked", "avg_score", "last_score", "asked_here",
               "best_score", "best_day", "best_company", "best_wording", "best_answer",
               "practice_score", "practice_on", "practice_answer"]
    if weak.empty:
        return pd.DataFrame(columns=columns)
    weak["asked_here"] = weak["group_id"].map(lambda g: int(g) in asked_here)
    attempts = review.practice_attempts(db, weak["group_id"].tolist())
    best_rows = []
    for group_id in weak["group_id"]:
        answer = best_answer(dashboard.group_answers(db, int(group_id)))
        practice = review.best_practice(attempts[attempts["group_id"] == group_id])
        best_rows.append({
            "best_score": None if answer is None else int(answer["score"]),
            "best_day": None if answer is None else cell_date(answer["day"]),
            "best_company": "" if answer is None else cell_text(answer["company"]),
            "best_wording": "" if answer is None else cell_text(answer["wording"]),
            "best_answer": "" if answer is None else cell_text(answer["answer_note"]),
            "practice_score": None if practice is None else int(practice["score"]),
            "practice_on": None if practice is None else cell_date(practice["practiced_on"]),
            "practice_answer": "" if practice is None else cell_text(practice["answer"]),
        })
    return pd.concat([weak, pd.DataFrame(best_rows)], axis=1)[columns]


def best_answer(answers: pd.DataFrame):
    """The highest-scored answer, the most recent among equals (`answers` come newest first)."""
    if answers.empty:
        return None
    return answers.sort_values("score", ascending=False, kind="stable").iloc[0]


def notes_to_reread(db: Database, today: dt.date, application_id: int) -> pd.DataFrame:
    """Open recent improvement notes, plus every note from this application; `from_here` marks the latter."""
    columns = ["note_key", "note", "times", "last_day", "companies", "worked_on", "from_here", "interview_ids"]
    recent = review.improvement_notes(db, today)
    recent = recent[~recent["worked_on"].astype(bool)].assign(from_here=False)
    here = review.improvement_notes(db, today, application_id=application_id).assign(from_here=True)
    both = set(recent["note_key"]) & set(here["note_key"])
    recent.loc[recent["note_key"].isin(both), "from_here"] = True
    # A note from both lists is ticked for every interview that noted it, here and elsewhere.
    here_ids = dict(zip(here["note_key"], here["interview_ids"]))
    recent["interview_ids"] = [sorted(set(ids) | set(here_ids.get(key, ()))) for key, ids
                               in zip(recent["note_key"], recent["interview_ids"])]
    notes = pd.concat([recent, here[~here["note_key"].isin(both)]], ignore_index=True)
    if notes.empty:
        return pd.DataFrame(columns=columns)
    notes["worked_on"] = notes["worked_on"].astype(bool)
    notes["from_here"] = notes["from_here"].astype(bool)
    return notes.sort_values(["worked_on", "from_here", "times", "last_day"], ascending=[True, False, False, False],
                             ignore_index=True)[columns]


def _interviewers(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in frame.itertuples():
        meetings = sorted(row.meetings, key=lambda m: m["starts_at"])
        met = "; ".join(round_label(m["round"], m["stage"], cell_date(m["day"])) for m in meetings)
        rows.append({"name": row.name, "position": cell_text(row.position), "times_met": int(row.times_met),
                     "met": met})
    return pd.DataFrame(rows, columns=["name", "position", "times_met", "met"])


# -- Markdown ----------------------------------------------------------------------------------------

md = markdown_inert  # user text made inert in Markdown


def prep_markdown(sheet: PrepSheet) -> str:
    """The prep sheet as a Markdown file to download, print or read on the way there."""
    lines = [f"# Prepare: {md(sheet.title)}", "", f"Status: {sheet.status} · prepared {sheet.today:%a %d %b %Y}", ""]
    if sheet.next_interview is not None:
        nxt = sheet.next_interview
        lines += ["## Next interview", "", f"- When: {nxt.starts_local:%a %d %b %Y, %H:%M}"]
        what = round_label(nxt.round, nxt.stage, None)
        lines += [f"- What: {md(what)}" + (f" ({md(nxt.format)})" if nxt.format else "")]
        lines += [f"- With: {md(nxt.interviewers)}"] if nxt.interviewers else []
        lines += [f"- Topics: {md(nxt.key_topics)}"] if nxt.key_topics else []
        lines.append("")
    lines += ["## People you have met there", ""]
    if sheet.interviewers.empty:
        lines.append("Nobody yet.")
    for person in sheet.interviewers.itertuples():
        position = f", {md(person.position)}" if person.position else ""
        lines.append(f"- **{md(person.name)}**{position}: {md(person.met)}")
    lines.append("")
    lines += ["## Asked in earlier rounds", ""]
    if sheet.rounds.empty:
        lines += ["First round there: nothing asked yet. Practise the questions below.", ""]
    for row in sheet.rounds.itertuples():
        lines += [f"### {md(row.label)}", ""]
        lines += [f"Topics: {md(row.key_topics)}", ""] if row.key_topics else []
        asked = sheet.questions[sheet.questions["interview_id"] == row.interview_id]
        if asked.empty:
            lines.append("- No questions noted.")
        for question in asked.itertuples():
            note = md(question.answer_note) or "_no note_"
            lines.append(f"- **{question.score}/10** {md(question.wording)}  \n  Your answer: {note}")
        lines.append("")
    lines += ["## Your weak recurring questions", ""]
    if sheet.weak.empty:
        lines += ["No recurring question averages below your weak line.", ""]
    for number, group in enumerate(sheet.weak.itertuples(), 1):
        here = " (asked here before)" if group.asked_here else ""
        lines += [f"### {number}. {md(group.canonical)}{here}", "",
                  f"Asked in {group.times_asked} interviews, average {group.avg_score:.1f}.", ""]
        if group.best_score is not None and not pd.isna(group.best_score):
            lines.append(f"- Best in an interview: **{int(group.best_score)}/10**, {group.best_day:%d %b %Y}, "
                         f"{md(group.best_company)}. {md(group.best_answer) or '_no note_'}")
        if group.practice_score is not None and not pd.isna(group.practice_score):
            lines.append(f"- Best practice: **{int(group.practice_score)}/10**, {group.practice_on:%d %b %Y}. "
                         f"{md(group.practice_answer)}")
        lines.append("")
    lines += ["## Your improvement notes", ""]
    if sheet.notes.empty:
        lines += ["No open improvement notes.", ""]
    for note in sheet.notes.itertuples():
        tick = "x" if note.worked_on else " "
        where = " · from this application" if note.from_here else ""
        lines.append(f"- [{tick}] {md(note.note)} ({review.noted(note.times, note.last_day)}{where})")
    lines += ["", f"_Made by Debrief on {sheet.today:%d %b %Y}._", ""]
    return "\n".join(lines)
