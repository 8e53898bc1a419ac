"""Sample data: four months of one analyst's job search, so a new user can see every page at work.

Written through the same functions as the pages, so it passes the same validation as anything a
person types, and marked `is_sample`, so `remove_sample` can take it all away again without
touching the user's own rows.

Decisions: docs/decisions.md, 'Sample data'.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import clock, settings
from .applications import Application, add_application
from .db import Database
from .debriefs import (TO_IMPROVE_SUGGESTIONS, WENT_WELL_SUGGESTIONS, Debrief, Interviewer, Question,
                       save_debrief)

# The suggestion wording, by name (unpacking fails loudly if the suggestion lists change).
ON_TIME, ATTENTIVE, ANSWERED, VALUE_ADD, RAPPORT, GOOD_QUESTIONS = WENT_WELL_SUGGESTIONS
STRUCTURE, NUMBERS, PREPARE_QUESTIONS, RESEARCH, ASK_NEXT_STEPS = TO_IMPROVE_SUGGESTIONS

ROLES = {
    "Contoso": "Senior Data Analyst",
    "Fabrikam": "Business Analyst",
    "Northwind Traders": "Business Intelligence Analyst",
    "Tailspin Toys": "Pricing Data Analyst",
    "Adventure Works": "Senior Business Analyst",
    "Litware": "Analytics Consultant",
    "Proseware": "Product Data Analyst",
}


@dataclass(frozen=True)
class _Calendar:
    """Days and times counted back from the user's `now` (local wall-clock time)."""
    now: dt.datetime

    def day(self, days_ago: int) -> dt.date:
        """`days_ago` days before today, moved back to the Friday if it falls on a weekend."""
        day = self.now.date() - dt.timedelta(days=days_ago)
        return day - dt.timedelta(days=max(0, day.weekday() - 4))

    def at(self, days_ago: int, hh_mm: str) -> dt.datetime:
        return dt.datetime.combine(self.day(days_ago), dt.time.fromisoformat(hh_mm))

    def latest_slot(self) -> dt.datetime:
        """The last half hour of a 09:00–17:00 working day at least an hour ago: under 24 hours ago."""
        slot = (self.now - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
        slot = slot.replace(minute=30 if slot.minute >= 30 else 0)
        if slot.time() > dt.time(17, 0):
            return slot.replace(hour=17, minute=0)
        if slot.time() < dt.time(9, 0):
            return (slot - dt.timedelta(days=1)).replace(hour=17, minute=0)
        return slot


@dataclass(frozen=True)
class _SampleInterview:
    debrief: Debrief
    thank_you_after: dt.timedelta | None  # None: not sent (yet)


def has_sample(db: Database) -> bool:
    return bool(db.scalar("sample_exists"))


def load_sample(db: Database, *, today: dt.date | None = None) -> int:
    """Add the sample job search, ending `today` (default: today in the user's zone); return interviews added.

    Does nothing (returns 0) if sample data is already there. The writes go through the page
    functions, a transaction each, so a failure part way removes what was added, then re-raises.
    """
    if has_sample(db):
        return 0
    zone = settings.time_zone(db)
    calendar = _Calendar(_now(zone, today))
    try:
        return _add_story(db, calendar, zone)
    except BaseException:
        remove_sample(db)
        raise


def remove_sample(db: Database) -> None:
    """Delete the sample applications and interviews with everything under them, in one transaction:
    also the reviews held before any interview of the user's own was recorded, and practice on
    questions asked only in the sample."""
    with db.transaction() as tx:
        for query in ("sample_delete_reviews", "sample_delete_practice", "sample_delete_question_groups", "sample_delete_thank_yous", "sample_delete_interviewers",
                      "sample_delete_questions", "sample_delete_reflections", "sample_delete_improvements",
                      "sample_delete_follow_ups", "sample_delete_interviews",
                      "sample_delete_applications", "sample_adopt_applications"):
            tx.execute(query)


def _now(zone: str, today: dt.date | None) -> dt.datetime:
    """The user's wall-clock now; for another `today`, midday of that day."""
    now = clock.to_local(clock.now(), zone)
    if today is None or today == now.date():
        return now
    return dt.datetime.combine(today, dt.time(12, 0))


def _add_story(db: Database, calendar: _Calendar, zone: str) -> int:
    today = calendar.now.date()
    application_ids = {app.company: add_application(db, app, is_sample=True) for app in _applications(calendar)}
    interview_ids = {}
    for sample in _interviews(calendar, zone):
        interview_id = save_debrief(db, sample.debrief, is_sample=True, today=today)
        interview_ids[(sample.debrief.company, sample.debrief.round)] = interview_id
        if sample.thank_you_after is not None:
            _mark_thank_yous_sent(db, interview_id, sample.debrief, sample.thank_you_after)
    with db.transaction() as tx:
        for company, round_, days_ago, channel, note, outcome in _FOLLOW_UPS:
            tx.execute("sample_insert_follow_up", application_id=application_ids[company],
                       interview_id=interview_ids[(company, round_)], followed_up_on=calendar.day(days_ago),
                       channel=channel, note=note, outcome=outcome)
    return len(interview_ids)


def _mark_thank_yous_sent(db: Database, interview_id: int, debrief: Debrief, after: dt.timedelta) -> None:
    sent_local = debrief.starts_at + after
    with db.transaction() as tx:
        tx.execute("sample_mark_thank_yous_sent", interview_id=interview_id,
                   sent_at=clock.to_instant(sent_local, debrief.time_zone), sent_on=sent_local.date())


def _applications(calendar: _Calendar) -> list[Application]:
    day = calendar.day

    def application(company, source, applied, status, closed, note):
        return Application(company=company, role=ROLES[company], applied_on=day(applied), status=status,
                           closed_on=None if closed is None else day(closed), source=source,
                           notes=f"Sample data: {note}")

    return [
        application("Contoso", "LinkedIn", 112, "rejected", 61, "three rounds, then a no."),
        application("Fabrikam", "Company website", 106, "ghosted", 66,
                    "a phone screen, then silence despite two follow-ups."),
        application("Northwind Traders", "Referral (former colleague)", 72, "withdrawn", 11,
                    "three rounds, then an offer below the salary hoped for: declined it."),
        application("Tailspin Toys", "Job board", 47, "rejected", 12, "no after the take-home review."),
        application("Adventure Works", "Recruiter", 33, "interviewing", None, "onsite panel just done."),
        application("Litware", "LinkedIn", 13, "screening", None, "recruiter call booked for next week."),
        application("Proseware", "Company website", 6, "applied", None, "applied; no answer yet."),
    ]


# company, round followed up on, days ago, channel, note, outcome
_FOLLOW_UPS = (
    ("Fabrikam", 1, 88, "email", "Polite check-in a few days after the date Lee gave.", "no_reply"),
    ("Fabrikam", 1, 78, "phone", "Left Lee a voicemail.", "no_reply"),
    ("Contoso", 3, 63, "email", "Asked for an update after their two weeks; the recruiter replied that day.", "replied"),
    ("Northwind Traders", 3, 23, "email", "Chased Johanna after the end of the week; references are next.", "replied"),
)


def _interviews(calendar: _Calendar, zone: str) -> list[_SampleInterview]:
    """The twelve interviews, oldest first."""
    at, day = calendar.at, calendar.day

    def interview(company, hours_to_thank_you, **fields):
        after = None if hours_to_thank_you is None else dt.timedelta(hours=hours_to_thank_you)
        return _SampleInterview(Debrief(company=company, role=ROLES[company], time_zone=zone, **fields), after)

    return [
        interview(
            "Contoso", 6, starts_at=at(103, "10:00"), round=1, stage="Recruiter screen", format="phone",
            interviewers=[Interviewer("Megan Bowen", "Talent Acquisition Partner")],
            key_topics="Background, why Contoso, salary range, notice period",
            went_well=[ON_TIME, RAPPORT, ANSWERED],
            to_improve=[STRUCTURE, "Have a salary number ready before the call"],
            questions=[
                Question("Tell me about yourself.",
                         "Ran almost four minutes; started at university instead of my current role.", 4, "introduction"),
                Question("Why do you want to work at Contoso?",
                         "Their retail analytics team; could have been more specific.", 6, "motivation"),
                Question("What salary are you expecting?",
                         "Dodged it, then gave a very wide range. Sounded unsure.", 3, "salary"),
                Question("What's your notice period?", "One month. Clear.", 8, "other"),
            ],
            next_steps="Hiring manager interview if they go ahead.", timeline_given="Within a week",
            may_follow_up=True, expected_response_by=day(96),
        ),
        interview(
            "Fabrikam", None, starts_at=at(97, "14:30"), round=1, stage="Phone screen", format="phone",
            interviewers=[Interviewer("Lee Gu", "Senior Recruiter")],
            key_topics="Requirements gathering, Fabrikam's ERP migration",
            went_well=[ON_TIME, ATTENTIVE, GOOD_QUESTIONS],
            to_improve=[RESEARCH, "Read the news first: I didn't know they had just been acquired"],
            questions=[
                Question("Walk me through your background.",
                         "Current role first this time, then two highlights. Still long.", 5, "introduction"),
                Question("How do you gather requirements from stakeholders?",
                         "Workshops and a one-page brief; good pricing-project example.", 7, "situational"),
                Question("What is your greatest weakness?",
                         "Said 'perfectionism'. Felt like a cliché as I said it.", 3, "strengths/weaknesses"),
                Question("What are your pay expectations?",
                         "Started too low, then tried to walk it back.", 4, "salary"),
                Question("Do you have any questions for me?",
                         "Asked about the team and the ERP timeline.", 7, "closing"),
            ],
            next_steps="Recruiter to pass feedback to the hiring manager.", timeline_given="Early next week",
            may_follow_up=True, expected_response_by=day(92),
        ),
        interview(
            "Contoso", 4, starts_at=at(91, "11:00"), round=2, stage="Hiring manager", format="video",
            interviewers=[Interviewer("Alex Wilber", "Analytics Manager")],
            key_topics="Pricing dashboards, stakeholder management, team structure",
            went_well=[VALUE_ADD, ANSWERED, RAPPORT, "Weekly report story: from two days to two hours"],
            to_improve=[NUMBERS],
            questions=[
                Question("Give me the two-minute version of your career so far.",
                         "Kept to two minutes, ending on why this role.", 6, "introduction"),
                Question("Tell me about a time you disagreed with a stakeholder.",
                         "Promo-calendar story; forgot to say how it ended.", 5, "behavioural"),
                Question("How do you make sure a dashboard's numbers are right?",
                         "Reconciliation checks and a sign-off with finance. Solid.", 7, "technical"),
                Question("Why are you leaving your current role?",
                         "Honest, but a little negative about my manager.", 5, "motivation"),
                Question("What questions do you have for me?",
                         "Asked what success looks like in six months; he liked that.", 8, "closing"),
            ],
            next_steps="Onsite panel with finance and data engineering.", timeline_given="Recruiter will schedule it",
        ),
        interview(
            "Contoso", 30, starts_at=at(78, "09:30"), round=3, stage="Onsite panel", format="onsite",
            interviewers=[Interviewer("Alex Wilber", "Analytics Manager"),
                          Interviewer("Diego Siciliani", "Finance Director"),
                          Interviewer("Pradeep Gupta", "Senior Data Engineer")],
            key_topics="SQL exercise, sales forecasting, presenting to finance",
            went_well=[ON_TIME, ATTENTIVE, "Finished the SQL exercise with time to spare", GOOD_QUESTIONS],
            to_improve=[NUMBERS, "Practise the forecasting walk-through out loud"],
            questions=[
                Question("Write a query for the top three products by revenue in each region.",
                         "ROW_NUMBER over a partition; explained ties when asked.", 8, "technical"),
                Question("How would you forecast next quarter's sales?",
                         "Jumped to the model before asking about seasonality and promotions.", 4, "technical"),
                Question("What would your last manager say you need to improve?",
                         "Said delegation; had an example but no outcome.", 4, "strengths/weaknesses"),
                Question("Tell me about presenting a result to senior leaders.",
                         "Board-pack story went well; Diego asked follow-ups.", 7, "behavioural"),
                Question("Where would you need to be on base salary?",
                         "Gave the number but apologised for it.", 4, "salary"),
            ],
            next_steps="Decision after the last candidates.", timeline_given="Two weeks",
            may_follow_up=True, expected_response_by=day(66),
        ),
        interview(
            "Northwind Traders", 3, starts_at=at(62, "13:00"), round=1, stage="Recruiter screen", format="phone",
            interviewers=[Interviewer("Isaiah Langer", "Recruiter")],
            key_topics="Supply-chain reporting, Power BI and SQL Server, hybrid working",
            went_well=[ON_TIME, ANSWERED, VALUE_ADD, RAPPORT],
            to_improve=[ASK_NEXT_STEPS],
            questions=[
                Question("So, tell me a bit about yourself.",
                         "Practised version: current role, two wins, why Northwind. Under two minutes.", 7, "introduction"),
                Question("What attracted you to Northwind Traders?",
                         "The referral and their supply-chain analytics push. Specific.", 7, "motivation"),
                Question("What kind of compensation are you looking for?",
                         "Asked for their range first; he wouldn't say, and I went below my target.", 4, "salary"),
                Question("When could you start?", "After one month's notice.", 8, "other"),
            ],
            next_steps="Technical interview with the BI team.",
        ),
        interview(
            "Northwind Traders", 5, starts_at=at(51, "15:00"), round=2, stage="SQL and case study", format="video",
            interviewers=[Interviewer("Johanna Lorenz", "BI Team Lead"),
                          Interviewer("Grady Archie", "Senior BI Developer")],
            key_topics="Live SQL, late-deliveries case study, data modelling",
            went_well=[ATTENTIVE, ANSWERED, "Talked through my reasoning out loud during the SQL", GOOD_QUESTIONS],
            to_improve=[STRUCTURE],
            questions=[
                Question("How would you rank items within groups in SQL?",
                         "Window functions again; wrote it cleanly this time.", 9, "technical"),
                Question("Deliveries are late more often this quarter. How would you find out why?",
                         "Defined 'late', segmented by carrier and depot, checked the data first.", 7, "situational"),
                Question("Why might a join multiply your row count?",
                         "Explained fan-out with an example from work.", 8, "technical"),
                Question("Tell me about a time an analysis of yours turned out to be wrong.",
                         "Owned it, explained the fix and the check I added.", 7, "behavioural"),
                Question("What would you like to know about the team?",
                         "Asked how priorities are set and who owns the reports.", 7, "closing"),
            ],
            next_steps="Onsite with the operations stakeholders.", timeline_given="Within a week",
            may_follow_up=True, expected_response_by=day(44),
        ),
        interview(
            "Tailspin Toys", 26, starts_at=at(38, "10:30"), round=1, stage="Phone screen", format="phone",
            interviewers=[Interviewer("Adele Vance", "HR Business Partner")],
            key_topics="Pricing analytics, seasonality in toy sales, a team of three",
            went_well=[ON_TIME, RAPPORT, ANSWERED],
            to_improve=[RESEARCH, NUMBERS],
            questions=[
                Question("Walk me through your CV.",
                         "Fine, but too long on the first job.", 6, "introduction"),
                Question("Why this role?", "Linked my pricing work to theirs.", 7, "motivation"),
                Question("What's one area you're working on?",
                         "Public speaking and the course I'm taking. Better than 'perfectionism'.", 5, "strengths/weaknesses"),
                Question("What salary range are you targeting?",
                         "A range anchored on my research; still hesitated before it.", 5, "salary"),
            ],
            next_steps="Take-home pricing exercise, then a review call.", timeline_given="A few days",
            may_follow_up=True, expected_response_by=day(33),
        ),
        interview(
            "Northwind Traders", 6, starts_at=at(34, "09:00"), round=3, stage="Stakeholder panel", format="onsite",
            interviewers=[Interviewer("Johanna Lorenz", "BI Team Lead"),
                          Interviewer("Lynne Robbins", "Head of Supply Chain", thank_you_channel="handwritten"),
                          Interviewer("Miriam Graham", "Director of Operations")],
            key_topics="Presenting to operations, prioritising requests, the first 90 days",
            went_well=[ON_TIME, VALUE_ADD, RAPPORT, ATTENTIVE, GOOD_QUESTIONS],
            to_improve=[STRUCTURE],
            questions=[
                Question("How would you explain a forecast's uncertainty to a non-technical manager?",
                         "Ranges and a weather-forecast analogy; Miriam liked it.", 8, "behavioural"),
                Question("How do you prioritise when everything is due today?",
                         "Impact against effort, with a real example.", 7, "behavioural"),
                Question("What would you do in your first 90 days?",
                         "Listen, audit the top reports, one quick win. Clear.", 8, "situational"),
                Question("What's the thing you most need to work on?",
                         "Delegation again, with the outcome this time. Still felt rehearsed.", 5, "strengths/weaknesses"),
                Question("Tell me about a conflict at work and how you resolved it.",
                         "Promo-calendar story with the ending: 3% less markdown spend.", 8, "behavioural"),
                Question("Do you have any questions for us?",
                         "Asked how they measure the BI team's success.", 8, "closing"),
            ],
            next_steps="Panel decides; reference checks if positive.", timeline_given="End of next week",
            may_follow_up=True, expected_response_by=day(25),
        ),
        interview(
            "Tailspin Toys", 4, starts_at=at(22, "11:30"), round=2, stage="Take-home review", format="video",
            interviewers=[Interviewer("Lidia Holloway", "Pricing Manager"),
                          Interviewer("Joni Sherman", "Data Scientist")],
            key_topics="Price-elasticity take-home, A/B testing, tooling",
            went_well=[ANSWERED, ATTENTIVE, "The take-home was well received"],
            to_improve=["Brush up on experiment design: sample size, guardrail metrics"],
            questions=[
                Question("Walk us through your take-home.",
                         "Clear story, but ran over the ten minutes.", 6, "technical"),
                Question("How would you design an A/B test for a price change?",
                         "Forgot sample size and guardrails until prompted.", 4, "technical"),
                Question("How do you tell correlation from causation in promotions data?",
                         "Good example with a holdout group.", 7, "technical"),
                Question("Why should we hire you over the other candidates?",
                         "Retail pricing background, said with confidence.", 7, "strengths/weaknesses"),
                Question("What would you like to ask us?", "Asked about the pricing roadmap.", 7, "closing"),
            ],
            next_steps="They will compare candidates and come back.", timeline_given="Within two weeks",
            may_follow_up=True, expected_response_by=day(12),
        ),
        interview(
            "Adventure Works", 2, starts_at=at(20, "10:00"), round=1, stage="Recruiter screen", format="phone",
            interviewers=[Interviewer("Patti Fernandez", "Recruiter")],
            key_topics="Senior BA role in e-commerce, salary band, the interview process",
            went_well=[ON_TIME, ANSWERED, VALUE_ADD, "Asked about the process and timeline up front"],
            to_improve=["Salary answer still hesitant, even with an offer elsewhere"],
            questions=[
                Question("Tell me about yourself.",
                         "Ninety seconds, ending on why e-commerce.", 8, "introduction"),
                Question("What prompted you to look for a new role?",
                         "Growth, not escape. Much better than at Contoso.", 7, "motivation"),
                Question("What are you earning now, and what are you looking for?",
                         "Current package and a target 12% above; paused before the number.", 5, "salary"),
                Question("Are you interviewing anywhere else?",
                         "Final stages elsewhere, without naming them.", 8, "other"),
            ],
            next_steps="Video interview with the hiring manager.", timeline_given="Within a week",
            may_follow_up=True, expected_response_by=day(13),
        ),
        interview(
            "Adventure Works", 3, starts_at=at(8, "14:00"), round=2, stage="Hiring manager", format="video",
            interviewers=[Interviewer("Henrietta Mueller", "Director of Business Analysis")],
            key_topics="Checkout funnel analysis, requirements for the new returns process, a team of six",
            went_well=[ATTENTIVE, ANSWERED, VALUE_ADD, RAPPORT, GOOD_QUESTIONS],
            to_improve=["Took too long to start on the weakness question"],
            questions=[
                Question("Walk me through your background and why Adventure Works.",
                         "Tight and specific; tied it to their returns project.", 8, "introduction"),
                Question("Describe a situation where a stakeholder pushed back on your analysis.",
                         "Promo-calendar story, start to finish, with the 3%.", 8, "behavioural"),
                Question("A director asks for 'a dashboard on returns'. What do you do first?",
                         "Asked what decision it serves; proposed a one-page brief.", 8, "situational"),
                Question("Tell me about something you'd like to get better at.",
                         "Delegation, with the mentoring example. Still the hardest one.", 6, "strengths/weaknesses"),
                Question("How do you check your numbers before you share them?",
                         "Reconciliation to finance plus a peer review.", 8, "technical"),
                Question("What would you like to know about the role?",
                         "Asked about the first 90 days and how success is measured.", 8, "closing"),
            ],
            next_steps="Onsite panel with product and operations.", timeline_given="Recruiter will schedule it",
        ),
        interview(
            "Adventure Works", None, starts_at=calendar.latest_slot(), round=3, stage="Onsite panel", format="onsite",
            interviewers=[Interviewer("Henrietta Mueller", "Director of Business Analysis"),
                          Interviewer("Christie Cline", "Senior Product Owner"),
                          Interviewer("Nestor Wilke", "Head of Operations")],
            key_topics="Returns case study, working with product, salary and start date",
            went_well=[ON_TIME, ATTENTIVE, ANSWERED, RAPPORT],
            to_improve=["Salary: name the number first, without apologising", STRUCTURE],
            questions=[
                Question("Returns rose 20% last quarter. How would you find out why?",
                         "Segmented by category, channel and reason code; checked the data first.", 8, "situational"),
                Question("How would you measure the success of the new returns process?",
                         "Return rate, refund time, repeat purchase, with guardrails.", 7, "situational"),
                Question("Give an example of persuading people who didn't report to you.",
                         "Store managers and the new stock report.", 8, "behavioural"),
                Question("Where do you need to be on salary to move?",
                         "Named the number, then softened it straight away. Better, not there yet.", 6, "salary"),
                Question("What questions do you have for us?",
                         "Asked about team rituals and the next steps.", 8, "closing"),
            ],
            next_steps="Decision by the end of next week; references if positive.", timeline_given="End of next week",
            may_follow_up=True, expected_response_by=day(-8),
        ),
    ]
