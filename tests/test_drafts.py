"""Thank-you drafts: made from the debrief's own notes, with a checked link, a mailto: link and a short card."""
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from lib import drafts
from lib.debriefs import Debrief, Interviewer, Question, save_debrief
from lib.validation import Invalid


@pytest.fixture
def interview_id(fresh_db) -> int:
    # Thursday 12 March 2026.
    return save_debrief(fresh_db, Debrief(
        company="Contoso", role="Data Analyst", starts_at=dt.datetime(2026, 3, 12, 14, 30), time_zone="Europe/London",
        interviewers=[Interviewer("Ann Lee", "Head of Data"), Interviewer("Raj Patel", "CFO")],
        key_topics="Pricing dashboards; the data warehouse migration",
        questions=[Question("Tell me about yourself", "Too long", 6),
                   Question("What salary do you expect?", "Hesitated", 3),
                   Question("Why do you want to leave?", "Fine", 3)]), today=dt.date(2026, 11, 25))


def raj_draft(db, interview_id, **options) -> drafts.Draft:
    people = db.query("interview_interviewers", id=interview_id)
    context = drafts.draft_context(db, interview_id, int(people.id[people.name == "Raj Patel"].iloc[0]))
    return drafts.compose(context, **options)


def test_a_draft_names_the_interviewer_the_role_the_company_and_the_first_topic(fresh_db, interview_id):
    draft = raj_draft(fresh_db, interview_id)
    assert draft.subject == "Thank you – Data Analyst interview at Contoso"
    assert draft.body.startswith("Dear Raj Patel,\n\nThank you for taking the time to speak with me on Thursday "
                                 "about the Data Analyst role at Contoso.")
    assert "our conversation about Pricing dashboards" in draft.body
    assert draft.body.endswith("Kind regards,\n[your name]")


def test_a_draft_to_nobody_in_particular_greets_the_team(fresh_db, interview_id):
    draft = drafts.compose(drafts.draft_context(fresh_db, interview_id, None), sender="Sam")
    assert draft.body.startswith("Dear Contoso team,")
    assert draft.body.endswith("Kind regards,\nSam")


def test_the_answer_to_amplify_defaults_to_the_lowest_scored_the_earliest_of_equals(fresh_db, interview_id):
    context = drafts.draft_context(fresh_db, interview_id)
    weakest = drafts.lowest_scored(context.questions)
    assert weakest.wording == "What salary do you expect?"
    draft = drafts.compose(context, amplify=weakest, improved_answer="My range is 55–60k.")
    assert "add to my answer to your question “What salary do you expect?”: My range is 55–60k." in draft.body


def test_the_amplify_paragraph_leaves_room_for_the_better_answer(fresh_db, interview_id):
    context = drafts.draft_context(fresh_db, interview_id)
    draft = drafts.compose(context, amplify=drafts.lowest_scored(context.questions))
    assert drafts.IMPROVED_PLACEHOLDER in draft.body


def test_an_article_link_is_added_on_the_topic_chosen(fresh_db, interview_id):
    draft = raj_draft(fresh_db, interview_id, topic="the warehouse migration",
                      article_url=drafts.check_article_url("  https://example.com/lakehouse?x=1  "))
    assert ("Our discussion of the warehouse migration reminded me of this article, which you may find "
            "interesting: https://example.com/lakehouse?x=1") in draft.body


@pytest.mark.parametrize("text, message", [
    ("javascript:alert(1)", "must start with http:// or https://"),
    ("ftp://example.com/a", "must start with http:// or https://"),
    ("example.com/article", "must start with http:// or https://"),
    ("https://", "needs a web address"),
    ("https://exa mple.com", "cannot contain spaces"),
    ("https://example.com/" + "a" * 2000, "the limit is 2,000"),
    ("https://[example.com/article", "not a web address a browser can open"),  # urlsplit raises ValueError
])
def test_an_article_link_that_is_not_a_web_address_is_refused_with_a_reason(text, message):
    with pytest.raises(Invalid, match=message):
        drafts.check_article_url(text)


def test_a_blank_article_link_is_no_link():
    assert drafts.check_article_url("   ") == ""


def test_the_mailto_link_carries_subject_and_body_percent_encoded(fresh_db, interview_id):
    draft = raj_draft(fresh_db, interview_id, topic="R&D budgets? 100% yes", sender="Zoë")
    link = draft.mailto
    assert link.startswith("mailto:?subject=Thank%20you%20%E2%80%93%20Data%20Analyst")
    assert " " not in link and "\n" not in link and "&" not in link.split("&body=", 1)[1]
    query = parse_qs(urlsplit(link).query)
    assert query["subject"] == [draft.subject]
    assert query["body"] == [draft.body.replace("\n", "\r\n")]  # RFC 6068: line breaks as CRLF
    assert "%0D%0A%0D%0A" in link


def test_the_card_names_person_role_topic_and_company_in_at_most_60_words(fresh_db, interview_id):
    card = raj_draft(fresh_db, interview_id, sender="Sam").card
    assert card == ("Dear Raj Patel, thank you for meeting me about the Data Analyst role. I enjoyed talking about "
                    "Pricing dashboards, and would love to bring my experience to Contoso. With best wishes, Sam")
    assert drafts.word_count(card) <= 60


def test_the_card_stays_within_60_words_whatever_the_notes():
    wordy = " ".join(["word"] * 40)
    context = drafts.DraftContext(company=wordy, role=wordy, interviewer=wordy, starts_on=dt.date(2026, 3, 12),
                                  topics=(wordy,))
    card = drafts.compose(context, sender=wordy).card
    assert drafts.word_count(card) == 60


def test_a_long_topic_is_shortened_on_the_card_but_kept_in_the_e_mail():
    topic = "how the quarterly forecast is reconciled with the finance team's own numbers every month end"
    context = drafts.DraftContext(company="Contoso", role="Analyst", interviewer="Ann", starts_on=dt.date(2026, 3, 12))
    draft = drafts.compose(context, topic=topic)
    assert topic in draft.body
    assert "how the quarterly forecast is reconciled with the finance team's own numbers…, and" in draft.card  # the first 12 words
    assert drafts.word_count(draft.card) <= 60


def test_key_topics_split_on_commas_semicolons_and_lines_without_repeats():
    assert drafts.topics_from("SQL, forecasting;\nthe team. ; sql") == ("SQL", "forecasting", "the team")


def test_a_draft_is_made_without_any_network_call(fresh_db, interview_id, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("a draft must not touch the network")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert raj_draft(fresh_db, interview_id).body


@pytest.mark.parametrize("topic, phrase", [
    ("Returns case study", "the Returns case study"),
    ("pricing exercise", "the pricing exercise"),
    ("data platform migration", "the data platform migration"),
    ("the team", "the team"),
    ("our roadmap", "our roadmap"),
    ("SQL", "SQL"),
    ("forecasting", "forecasting"),
    ("how we would scale it", "how we would scale it"),
])
def test_a_topic_reads_as_english_in_the_draft(topic, phrase):
    assert drafts.topic_phrase(topic) == phrase


def test_the_draft_about_a_case_study_says_the(fresh_db):
    interview = save_debrief(fresh_db, Debrief(company="Contoso", starts_at=dt.datetime(2026, 3, 12, 14, 30),
                                               time_zone="Europe/London", key_topics="Returns case study"))
    body = drafts.compose(drafts.draft_context(fresh_db, interview)).body
    assert "our conversation about the Returns case study" in body


def test_the_mailto_link_is_addressed_to_the_interviewers_email_when_the_debrief_has_one(fresh_db):
    interview = save_debrief(fresh_db, Debrief(
        company="Contoso", starts_at=dt.datetime(2026, 3, 12, 14, 30), time_zone="Europe/London",
        interviewers=[Interviewer("Raj Patel", email="raj.patel@contoso.com"), Interviewer("Ann Lee")]))
    raj, ann = fresh_db.query("interview_interviewers", id=interview).id.tolist()
    assert drafts.compose(drafts.draft_context(fresh_db, interview, raj)).mailto.startswith(
        "mailto:raj.patel@contoso.com?subject=")
    assert drafts.compose(drafts.draft_context(fresh_db, interview, ann)).mailto.startswith("mailto:?subject=")
