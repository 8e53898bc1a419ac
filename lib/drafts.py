"""Thank-you drafts from the user's own notes: an e-mail, a `mailto:` link and a short card.

Templates only: no network, no AI service. Everything in a draft comes from the debrief
(company, role, interviewer, key topics, questions and scores) or from what the user types.

Decisions: docs/decisions.md, 'Thank-you drafts'.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from .db import Database, cell_text
from .validation import Invalid

CARD_MAX_WORDS = 60
MAX_URL = 2_000
YOUR_NAME = "[your name]"
IMPROVED_PLACEHOLDER = "[your better answer, in two or three sentences]"
_TOPIC_SPLIT = re.compile(r"[,;\n]+")
# Nouns that, at the end of a topic, need an article: "the Returns case study", "the pricing exercise".
_COUNTED_THINGS = frozenset("""study project exercise case presentation plan roadmap launch migration scenario
    challenge problem task assignment system design strategy pipeline report model platform programme program
    proposal review test product team role position process workshop demo prototype question framework audit
    rollout campaign budget forecast initiative""".split())
_DETERMINERS = frozenset("""the a an our your my their his her its this that these those how why what when where
    whether which who some any each every""".split())


@dataclass(frozen=True)
class NotedQuestion:
    id: int
    wording: str
    answer_note: str
    score: int


@dataclass(frozen=True)
class DraftContext:
    """What a draft is made from: one interview, one interviewer (name '' for the whole panel)."""
    company: str
    role: str
    interviewer: str
    starts_on: dt.date
    topics: tuple[str, ...] = ()
    questions: tuple[NotedQuestion, ...] = field(default_factory=tuple)
    email: str = ""  # the interviewer's, when the debrief has one


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    card: str
    to: str = ""

    @property
    def mailto(self) -> str:
        return mailto_link(self.subject, self.body, self.to)


def topics_from(key_topics: str) -> tuple[str, ...]:
    """'SQL, forecasting; the team' -> ('SQL', 'forecasting', 'the team'), without repeats."""
    seen, topics = set(), []
    for part in _TOPIC_SPLIT.split(key_topics or ""):
        part = part.strip(" .")
        if part and part.lower() not in seen:
            seen.add(part.lower())
            topics.append(part)
    return tuple(topics)


def topic_phrase(topic: str) -> str:
    """'Returns case study' -> 'the Returns case study'; 'SQL' and 'the team' stay as they are."""
    words = topic.split()
    if not words or words[0].lower() in _DETERMINERS or words[-1].lower().strip(".") not in _COUNTED_THINGS:
        return topic
    return f"the {topic}"


def lowest_scored(questions) -> NotedQuestion | None:
    """The answer most worth amplifying or correcting: the lowest score, the earliest of equals."""
    return min(questions, key=lambda q: q.score, default=None)


def check_article_url(text: str) -> str:
    """'' for blank; else an absolute http(s) URL, or Invalid saying what is wrong with it."""
    url = (text or "").strip()
    if not url:
        return ""
    if len(url) > MAX_URL:
        raise Invalid(f"That link is {len(url):,} characters long; the limit is {MAX_URL:,}.")
    if any(ch.isspace() for ch in url):
        raise Invalid("A link cannot contain spaces; copy it again from the browser's address bar.")
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "https://[example.com": urlsplit refuses it outright
        raise Invalid("That link is not a web address a browser can open; copy it again from the address bar.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise Invalid("The article link must start with http:// or https:// (copy it from the browser's address bar).")
    if not parts.hostname or "." not in parts.hostname.strip("."):
        raise Invalid("The article link needs a web address after https://, such as https://example.com/article.")
    return url


def compose(context: DraftContext, *, topic: str | None = None, article_url: str = "",
            amplify: NotedQuestion | None = None, improved_answer: str = "", sender: str = "") -> Draft:
    """The e-mail and the card for one interviewer. `article_url` must already be checked."""
    topic = topic_phrase((topic or "").strip() or (context.topics[0] if context.topics else "the role"))
    sender = sender.strip() or YOUR_NAME
    greeting = f"Dear {context.interviewer}," if context.interviewer else f"Dear {context.company} team,"
    role_at = f"the {context.role} role at {context.company}" if context.role else f"the role at {context.company}"
    paragraphs = [
        greeting,
        f"Thank you for taking the time to speak with me on {context.starts_on:%A} about {role_at}. "
        f"I particularly enjoyed our conversation about {topic}, and it left me even more enthusiastic "
        "about the opportunity.",
    ]
    if article_url:
        paragraphs.append(f"Our discussion of {topic} reminded me of this article, which you may find "
                          f"interesting: {article_url}")
    if amplify is not None:
        better = improved_answer.strip() or IMPROVED_PLACEHOLDER
        paragraphs.append(f"On reflection, I would like to add to my answer to your question "
                          f"“{amplify.wording}”: {better}")
    paragraphs += [
        f"I would welcome the chance to bring my experience to {context.company}. Please let me know "
        "if I can provide anything further.",
        f"Kind regards,\n{sender}",
    ]
    subject = (f"Thank you – {context.role} interview at {context.company}" if context.role
               else f"Thank you – my interview at {context.company}")
    return Draft(subject=subject, body="\n\n".join(paragraphs), card=card_text(context, topic, sender), to=context.email)


def card_text(context: DraftContext, topic: str, sender: str) -> str:
    """A handwritten-card version of at most CARD_MAX_WORDS words."""
    name = context.interviewer or f"{context.company} team"
    for topic_words, role_words in ((12, 8), (6, 4), (3, 2), (0, 0)):
        role = _shorten(context.role, role_words)
        about = f" about the {role} role" if role else ""
        topic_part = f" I enjoyed talking about {_shorten(topic, topic_words)}, and" if topic_words else " I"
        text = (f"Dear {name}, thank you for meeting me{about}.{topic_part} would love to bring my "
                f"experience to {context.company}. With best wishes, {sender}")
        if word_count(text) <= CARD_MAX_WORDS:
            return text
    # Only names of dozens of words get here: keep the first words of everything.
    return " ".join(text.split()[:CARD_MAX_WORDS])


def word_count(text: str) -> int:
    return len(text.split())


def _shorten(text: str, max_words: int) -> str:
    words = (text or "").split()
    return " ".join(words) if len(words) <= max_words else " ".join(words[:max_words]) + "…"


def mailto_link(subject: str, body: str, to: str = "") -> str:
    """A `mailto:` URI (RFC 6068): every reserved character percent-encoded, line breaks as CRLF."""
    crlf = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{quote(to, safe='@')}?subject={quote(subject, safe='')}&body={quote(crlf, safe='')}"


def draft_context(db: Database, interview_id: int, interviewer_id: int | None = None) -> DraftContext | None:
    """The context of a draft to one interviewer of an interview (None: to the panel); None if the interview is gone."""
    from .clock import local_day
    head = db.query("get_interview", id=interview_id)
    if head.empty:
        return None
    row = head.iloc[0]
    people = db.query("interview_interviewers", id=interview_id)
    name = email = ""
    if interviewer_id is not None:
        match = people[people.id == interviewer_id]
        if not match.empty:
            name, email = match.name.iloc[0], cell_text(match.email.iloc[0])
    questions = tuple(NotedQuestion(int(q.id), q.wording, cell_text(q.answer_note), int(q.score))
                      for q in db.query("interview_questions", id=interview_id).itertuples())
    return DraftContext(company=row.company, role=cell_text(row.role), interviewer=name,
                        starts_on=local_day(row.starts_at.to_pydatetime(), row.time_zone),
                        topics=topics_from(cell_text(row.key_topics)), questions=questions, email=email)
