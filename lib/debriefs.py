"""A debrief: the record of one interview, as the five good-practice steps ask for it.

`validate_debrief` cleans what the page collected and names every bad field; `save_debrief`
writes the whole debrief in one transaction (new, or replacing an earlier version of the same
interview); `load_debrief` gives it back for editing; `delete_interview` removes it.

Decisions: docs/decisions.md, 'Kept drafts'.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, replace

import pandas as pd

from . import fields
from .applications import Application, ValidationError, application_row, insert_application_row
from .clock import default_expected_response, is_zone, now, thank_you_due_at, to_instant, to_local
from .db import Database, Transaction, cell_date, cell_text, identifier
from .fields import Field
from .questions import group_interview, groups_before_edit
from .validation import (MAX_NAME, MAX_NOTE, MAX_QUESTION, MAX_SHORT, Invalid, check_date, clean_email, clean_text,
                         parse_score)

FORMATS = ("phone", "video", "onsite")
THANK_YOU_CHANNELS = ("email", "handwritten", "both")
# Categories a question can be filed under (the coaching dashboard groups by them).
CATEGORIES = ("introduction", "motivation", "behavioural", "strengths/weaknesses", "situational",
              "technical", "salary", "closing", "other")
# One-click suggestions for step 1, from the good-practice list.
WENT_WELL_SUGGESTIONS = (
    "On time",
    "Paid attention to the questions",
    "Answered the question asked",
    "Deployed my key value-add messages",
    "Built rapport with the interviewer",
    "Asked good questions at the end",
)
TO_IMPROVE_SUGGESTIONS = (
    "Shorter, more structured answers",
    "More concrete numbers and results",
    "Prepare questions to ask them",
    "Research the company more",
    "Ask about next steps and timeline",
)
MAX_ITEMS = 30  # went-well / to-improve items per interview; "five or six" is a prompt, not a limit

# An interview's own values, declared once (lib/fields.py): each is an attribute of Debrief and a
# column of the interviews table, checked by validate_debrief, written by save_debrief, read back
# by load_debrief; those the questions file has (lib/importer.py, QUESTION_FIELDS) are imported
# and exported from here too. The interview's time, its application, the expected response date
# (a default when blank) and the lists (interviewers, questions, reflections) are written out.
# A new field: a migration adding the column, a line here with its Debrief attribute, its widget
# on the form (lib/ui/debriefs.py); in the questions file too, a line in docs/import-format.md.
INTERVIEW_FIELDS = (
    Field("round", "Round", "round"),
    Field("stage", "Stage", "text", max_len=MAX_SHORT, default=""),
    Field("format", "Format", "choice", choices=FORMATS),
    Field("key_topics", "Key topics", "text", max_len=MAX_NOTE, default=""),
    Field("next_steps", "Next steps", "text", max_len=MAX_NOTE, default=""),
    Field("timeline_given", "Timeline given", "text", max_len=MAX_SHORT, default=""),
    Field("may_follow_up", "May follow up", "flag"),
)
# The {placeholders} of insert_interview and update_interview (lib/sql/debriefs.sql).
_SQL_PARTS = {"columns": ", ".join(identifier(field.name) for field in INTERVIEW_FIELDS),
              "values": ", ".join(f"${field.name}" for field in INTERVIEW_FIELDS),
              "assignments": ", ".join(f"{identifier(field.name)} = ${field.name}" for field in INTERVIEW_FIELDS)}


@dataclass
class Interviewer:
    name: str
    position: str = ""
    thank_you_channel: str = "email"
    email: str = ""                 # optional: the thank-you's mailto: link is addressed to it


@dataclass
class Question:
    wording: str
    answer_note: str = ""
    score: int | str | None = None
    category: str | None = None


@dataclass
class Debrief:
    """Everything one debrief records. `application_id` None means: find or create by company/role."""
    company: str = ""
    role: str = ""
    application_id: int | None = None
    starts_at: dt.datetime | None = None       # wall-clock time in `time_zone`
    time_zone: str = "UTC"
    round: int | None = None
    stage: str = ""
    format: str | None = None
    interviewers: list[Interviewer] = field(default_factory=list)
    key_topics: str = ""
    went_well: list[str] = field(default_factory=list)
    to_improve: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    thank_you_channel: str = "email"          # when no interviewer is named
    next_steps: str = ""
    timeline_given: str = ""
    may_follow_up: bool | None = None
    expected_response_by: dt.date | None = None  # None: the default, 5 business days later

    @property
    def thank_you_due_at(self) -> dt.datetime | None:
        if self.starts_at is None:
            return None
        return thank_you_due_at(to_instant(self.starts_at, self.time_zone))

    @property
    def default_expected_response(self) -> dt.date | None:
        return None if self.starts_at is None else default_expected_response(self.starts_at.date())


def _items(values, label: str) -> list[str]:
    seen, items = set(), []
    for value in values or []:
        text = clean_text(value, label, max_len=MAX_SHORT)
        if text and text.lower() not in seen:
            seen.add(text.lower())
            items.append(text)
    if len(items) > MAX_ITEMS:
        raise Invalid(f"{label}: {len(items)} items is more than {MAX_ITEMS}; keep the ones that matter.")
    return items


def validate_debrief(debrief: Debrief, *, today: dt.date | None = None) -> Debrief:
    """A cleaned copy, or ValidationError whose `errors` map field keys to messages.

    Field keys are the names of Debrief's fields, with `interviewers.N.name` and
    `questions.N.score` style keys for rows (N counts from 0 over the rows as given).
    Rows left entirely blank are dropped, not reported.
    """
    errors: dict[str, str] = {}
    out = replace(debrief)

    def take(key, parse):
        try:
            return parse()
        except Invalid as problem:
            errors[key] = str(problem)
            return None

    if debrief.application_id is None:
        out.company = take("company", lambda: clean_text(debrief.company, "Company", max_len=MAX_NAME, required=True))
        out.role = take("role", lambda: clean_text(debrief.role, "Role", max_len=MAX_NAME))
    if debrief.starts_at is None:
        errors["starts_at"] = "Date and time of the interview are required."
    else:
        take("starts_at", lambda: check_date(debrief.starts_at.date(), "Interview date", today=today))
    if not is_zone(debrief.time_zone or ""):
        errors["time_zone"] = f"Unknown time zone {debrief.time_zone!r}."
    for declared in INTERVIEW_FIELDS:
        setattr(out, declared.name, take(declared.name, lambda: fields.checked(declared, getattr(debrief, declared.name),
                                                                                 today)))
    out.went_well = take("went_well", lambda: _items(debrief.went_well, "What went well"))
    out.to_improve = take("to_improve", lambda: _items(debrief.to_improve, "What to improve"))
    if debrief.thank_you_channel not in THANK_YOU_CHANNELS:
        errors["thank_you_channel"] = "Thank-you channel must be e-mail, handwritten or both."
    if debrief.expected_response_by is not None:
        take("expected_response_by", lambda: check_date(debrief.expected_response_by, "Expected response date", today=today))
        if debrief.starts_at is not None and debrief.expected_response_by < debrief.starts_at.date():
            errors["expected_response_by"] = "The expected response date cannot be before the interview."

    out.interviewers = []
    for n, person in enumerate(debrief.interviewers):
        name = take(f"interviewers.{n}.name", lambda: clean_text(person.name, "Interviewer name", max_len=MAX_NAME))
        position = take(f"interviewers.{n}.position", lambda: clean_text(person.position, "Position", max_len=MAX_NAME))
        email = take(f"interviewers.{n}.email", lambda: clean_email(person.email))
        if not name and not position and not email:
            continue
        if not name and f"interviewers.{n}.name" not in errors:
            errors[f"interviewers.{n}.name"] = "Interviewer name is required (or clear the position and e-mail too)."
        if person.thank_you_channel not in THANK_YOU_CHANNELS:
            errors[f"interviewers.{n}.thank_you_channel"] = "Thank-you channel must be e-mail, handwritten or both."
        out.interviewers.append(Interviewer(name or "", position or "", person.thank_you_channel, email or ""))

    out.questions = []
    for n, question in enumerate(debrief.questions):
        wording = take(f"questions.{n}.wording", lambda: clean_text(question.wording, "Question", max_len=MAX_QUESTION))
        note = take(f"questions.{n}.answer_note", lambda: clean_text(question.answer_note, "Answer note", max_len=MAX_NOTE))
        blank_score = question.score is None or (isinstance(question.score, str) and not question.score.strip())
        if not wording and not note and blank_score:
            continue
        if not wording and f"questions.{n}.wording" not in errors:
            errors[f"questions.{n}.wording"] = "Write down the question (roughly as it was asked)."
        score = take(f"questions.{n}.score", lambda: parse_score(question.score))
        if question.category not in (None, "", *CATEGORIES):
            errors[f"questions.{n}.category"] = f"Unknown category {question.category!r}."
        out.questions.append(Question(wording or "", note or "", score, question.category or None))

    if errors:
        raise ValidationError(errors)
    return out


def save_debrief(db: Database, debrief: Debrief, *, interview_id: int | None = None, is_sample: bool = False,
                 today: dt.date | None = None) -> int:
    """Validate, then write the whole debrief in one transaction; return the interview id.

    With `interview_id`, the debrief replaces that interview's record. Thank-yous already sent
    stay sent: they are matched to the new interviewer list by name.
    """
    debrief = validate_debrief(debrief, today=today)
    with db.transaction() as tx:
        application_id = _application_for(tx, debrief, is_sample=is_sample)
        row = _interview_row(debrief, application_id)
        if interview_id is None:
            interview_id = tx.execute_on("insert_interview", _SQL_PARTS, **row, is_sample=is_sample)[0][0]
            already_sent = pd.DataFrame(columns=["interviewer_key", "channel", "sent_at", "sent_on"])
            previous_groups = None
        else:
            if not tx.scalar("interview_exists", id=interview_id):
                raise ValidationError({"interview": "This interview no longer exists (deleted elsewhere?)."})
            tx.execute_on("update_interview", _SQL_PARTS, id=interview_id, **row)
            already_sent = tx.query("interview_thank_yous", id=interview_id)
            already_sent = already_sent[already_sent.sent_on.notna()]
            previous_groups = groups_before_edit(tx, interview_id)  # a re-saved wording keeps its group
            for query in ("delete_question_groups_of", "delete_thank_yous_of", "delete_interviewers_of",
                          "delete_questions_of", "delete_reflections_of"):
                tx.execute(query, id=interview_id)
        tx.execute("mark_application_interviewing", id=application_id)
        _insert_children(tx, interview_id, debrief, already_sent)
        group_interview(tx, interview_id, previous_groups)
    return interview_id


def _application_for(tx: Transaction, debrief: Debrief, *, is_sample: bool) -> int:
    if debrief.application_id is not None:
        if tx.query("get_application", id=debrief.application_id).empty:
            raise ValidationError({"application_id": "That application no longer exists; pick another."})
        return debrief.application_id
    found = tx.scalar("find_application", company=debrief.company, role=debrief.role)
    if found is not None:
        return found
    # An interview for an application not yet recorded creates it, applied for on the interview day.
    return insert_application_row(tx, application_row(Application(
        company=debrief.company, role=debrief.role, applied_on=debrief.starts_at.date(), status="interviewing")),
        is_sample=is_sample)


def _interview_row(debrief: Debrief, application_id: int) -> dict:
    is_default = debrief.expected_response_by is None
    return dict(
        application_id=application_id, starts_at=to_instant(debrief.starts_at, debrief.time_zone),
        time_zone=debrief.time_zone,
        expected_response_by=debrief.default_expected_response if is_default else debrief.expected_response_by,
        expected_response_is_default=is_default,
        **{field.name: fields.stored(field, getattr(debrief, field.name)) for field in INTERVIEW_FIELDS},
    )


def _insert_children(tx: Transaction, interview_id: int, debrief: Debrief, already_sent: pd.DataFrame) -> None:
    people_ids = tx.new_ids("interviewers", len(debrief.interviewers))
    tx.insert_frame("interviewers", pd.DataFrame({
        "id": people_ids, "interview_id": interview_id, "seq": range(len(people_ids)),
        "name": [p.name for p in debrief.interviewers], "position": [p.position or None for p in debrief.interviewers],
        "email": [p.email or None for p in debrief.interviewers],
    }))
    questions = debrief.questions
    tx.insert_frame("questions", pd.DataFrame({
        "id": tx.new_ids("questions", len(questions)), "interview_id": interview_id, "seq": range(len(questions)),
        "wording": [q.wording for q in questions], "answer_note": [q.answer_note or None for q in questions],
        "score": [q.score for q in questions], "category": [q.category for q in questions],
    }))
    items = [("went_well", n, text) for n, text in enumerate(debrief.went_well)]
    items += [("to_improve", n, text) for n, text in enumerate(debrief.to_improve)]
    tx.insert_frame("reflections", pd.DataFrame({
        "id": tx.new_ids("reflections", len(items)), "interview_id": interview_id,
        "kind": [k for k, _, _ in items], "seq": [n for _, n, _ in items], "item": [t for _, _, t in items],
    }))
    tx.insert_frame("thank_yous", _thank_you_rows(tx, interview_id, debrief, people_ids, already_sent))


def _thank_you_rows(tx, interview_id, debrief, people_ids, already_sent: pd.DataFrame) -> pd.DataFrame:
    """One thank-you per interviewer (or one for the interview when nobody is named).

    A thank-you recorded as sent survives an edit: it moves to the interviewer of the same name,
    and one whose interviewer was removed is kept as a thank-you to the interview as a whole.
    """
    sent = {key: row for key, row in zip(already_sent.interviewer_key.fillna(""), already_sent.itertuples())}
    rows = []
    for person_id, person in zip(people_ids, debrief.interviewers):
        previous = sent.pop(person.name.strip().lower(), None)
        rows.append((person_id, person.thank_you_channel, previous))
    if not debrief.interviewers:
        rows.append((None, debrief.thank_you_channel, sent.pop("", None)))
    rows += [(None, previous.channel, previous) for previous in sent.values()]
    return pd.DataFrame({
        "id": tx.new_ids("thank_yous", len(rows)),
        "interview_id": interview_id,
        "interviewer_id": pd.array([r[0] for r in rows], dtype="Int64"),
        "channel": [r[1] for r in rows],
        "sent_at": pd.Series([r[2].sent_at if r[2] is not None else None for r in rows], dtype="datetime64[us, UTC]"),
        "sent_on": pd.Series([r[2].sent_on if r[2] is not None else None for r in rows], dtype="datetime64[us]"),
    })


def load_debrief(db: Database, interview_id: int) -> Debrief | None:
    """The stored debrief of one interview, as the page edits it; None if it is gone."""
    head = db.query("get_interview", id=interview_id)
    if head.empty:
        return None
    row = head.iloc[0]
    people = interviewers(db, interview_id)
    thank_yous = db.query("interview_thank_yous", id=interview_id)
    channel_of = dict(zip(thank_yous.interviewer_id, thank_yous.channel))
    reflections = db.query("interview_reflections", id=interview_id)
    questions = db.query("interview_questions", id=interview_id)
    general = thank_yous[thank_yous.interviewer_id.isna()]
    return Debrief(
        company=row.company, role=row.role, application_id=int(row.application_id),
        starts_at=to_local(row.starts_at.to_pydatetime(), row.time_zone), time_zone=row.time_zone,
        **{field.name: fields.from_cell(field, row[field.name]) for field in INTERVIEW_FIELDS},
        interviewers=[Interviewer(p.name, cell_text(p.position), channel_of.get(p.id, "email"), cell_text(p.email))
                      for p in people.itertuples()],
        went_well=reflections[reflections.kind == "went_well"].item.tolist(),
        to_improve=reflections[reflections.kind == "to_improve"].item.tolist(),
        questions=[Question(q.wording, cell_text(q.answer_note), int(q.score), cell_text(q.category) or None) for q in questions.itertuples()],
        thank_you_channel=general.channel.iloc[0] if not general.empty else "email",
        expected_response_by=None if row.expected_response_is_default else cell_date(row.expected_response_by),
    )


def interviewers(db: Database, interview_id: int) -> pd.DataFrame:
    """The people on one interview (id, name, position, email), in the order they were entered."""
    return db.query("interview_interviewers", id=interview_id)


def delete_interview(db: Database, interview_id: int) -> None:
    """Delete one interview and everything recorded under it (its follow-ups stay with the application)."""
    with db.transaction() as tx:
        for query in ("delete_question_groups_of", "delete_thank_yous_of", "delete_interviewers_of",
                      "delete_questions_of", "delete_reflections_of", "improvements_delete_of", "detach_follow_ups_of",
                      "delete_interview"):
            tx.execute(query, id=interview_id)
        tx.execute("discard_draft", slot=draft_slot(interview_id))


def next_round(db: Database, application_id: int | None) -> int:
    """The round number a new interview for this application most likely is."""
    if application_id is None:
        return 1
    return int(db.scalar("count_interviews_of_application", application_id=application_id)) + 1


def list_interviews(db: Database, *, search: str = "", max_applications: int = 50) -> pd.DataFrame:
    """Interviews grouped by application (most recent first), for the Interviews page."""
    return db.query("list_interviews", search=search.strip(), max_applications=max_applications)



def draft_slot(interview_id: int | None) -> str:
    """Where the draft of a new debrief ('new') or of changes to a stored interview is kept."""
    return "new" if interview_id is None else f"interview:{interview_id}"


def draft_json(debrief: Debrief) -> str:
    """The form as typed, as JSON (dates as ISO text; scores as typed, even an 11)."""
    return json.dumps(asdict(debrief), default=lambda value: value.isoformat(), sort_keys=True, ensure_ascii=False)


def draft_from_json(text: str) -> Debrief:
    """Back from `draft_json`; ValueError if the text is not a draft this version can read."""
    data = json.loads(text)
    try:
        starts_at, expected = data.pop("starts_at"), data.pop("expected_response_by")
        people = [Interviewer(**person) for person in data.pop("interviewers")]
        questions = [Question(**question) for question in data.pop("questions")]
        return Debrief(**data, interviewers=people, questions=questions,
                       starts_at=dt.datetime.fromisoformat(starts_at) if starts_at else None,
                       expected_response_by=dt.date.fromisoformat(expected) if expected else None)
    except (KeyError, TypeError, AttributeError) as problem:
        raise ValueError(f"not a kept draft: {problem}") from problem


def keep_draft(db: Database, debrief: Debrief, interview_id: int | None = None) -> dt.datetime:
    """Keep (or replace) the unsaved form of this slot; returns when it was kept."""
    kept_at = now()
    # One statement, committed on its own and outside db.transaction(): keeping a draft changes no
    # interview, so it must not count as a data change that empties every page's cached reads.
    db.scalar("keep_draft", slot=draft_slot(interview_id), form=draft_json(debrief), kept_at=kept_at)
    return kept_at


def kept_draft(db: Database, interview_id: int | None = None) -> tuple[Debrief, dt.datetime] | None:
    """The kept draft of this slot and when it was kept; None if there is none (or it cannot be read)."""
    found = db.query("kept_draft", slot=draft_slot(interview_id))
    if found.empty:
        return None
    try:
        return draft_from_json(found.form.iloc[0]), found.kept_at.iloc[0].to_pydatetime()
    except ValueError:
        return None


def discard_draft(db: Database, interview_id: int | None = None) -> None:
    db.scalar("discard_draft", slot=draft_slot(interview_id))
