"""Normalising a question's wording before matching: "What's your pay?" -> "what is your salary".

Lower case, accents and punctuation off, contractions expanded, one word for synonyms and for
British/American spellings, spoken fillers dropped and wrappers said one way. The result is the
wording key stored with each question (question_group_members.wording_key): changing these rules
changes the keys, and a wording saved before the change is matched afresh when asked again.
Also here: the question-frame words (`FRAME_WORDS`, `topic_words`) and the light stemmer (`stem`).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_CONTRACTIONS = (
    (r"won't\b(?<=\bwon't)", "will not"), (r"can't\b(?<=\bcan't)", "can not"), (r"shan't\b(?<=\bshan't)", "shall not"),
    (r"n't\b", " not"), (r"'re\b", " are"), (r"'ve\b", " have"), (r"'ll\b", " will"),
    (r"'d\b", " would"), (r"'m\b", " am"), (r"(?<![a-z0-9])(what|where|who|how|that|there|it|here|when|why)'s\b", r"\1 is"),
    (r"'s\b", ""),
)
_CONTRACTION_PATTERNS = tuple((re.compile(p), r) for p, r in _CONTRACTIONS)
# One word for words that mean the same here (and one spelling for British/American pairs).
SYNONYMS = {
    "pay": "salary", "paid": "salary", "compensation": "salary", "package": "salary", "remuneration": "salary",
    "wage": "salary", "wages": "salary", "salaries": "salary", "earn": "salary", "earning": "salary",
    "earnings": "salary", "earned": "salary",
    "resume": "cv", "curriculum": "cv", "vitae": "cv",
    "boss": "manager", "supervisor": "manager", "line manager": "manager", "bosses": "managers",
    "coworker": "colleague", "coworkers": "colleagues", "co worker": "colleague", "teammate": "colleague",
    "teammates": "colleagues", "peer": "colleague", "peers": "colleagues",
    "organisation": "company", "organization": "company", "firm": "company", "employer": "company",
    "business": "company", "organisations": "companies", "organizations": "companies",
    "job": "role", "position": "role", "post": "role", "vacancy": "role", "jobs": "roles", "positions": "roles",
    "prioritize": "prioritise", "prioritizing": "prioritising", "prioritization": "prioritisation",
    "organize": "organise", "organizing": "organising", "behavior": "behaviour", "favorite": "favourite",
    "summarize": "summarise", "criticize": "criticise", "criticized": "criticised", "energize": "energise",
    "weaknesses": "weakness", "strengths": "strength",
    "client": "customer", "clients": "customers",
    "5": "five", "10": "ten", "3": "three",
    # Added for wordings nobody has seen: more everyday synonyms (each checked against the AXES).
    "stress": "pressure", "stressed": "pressure", "stressful": "pressure", "stresses": "pressure",
    "cope with": "handle", "coping with": "handling", "coped with": "handled", "deal with": "handle",
    "dealing with": "handling", "dealt with": "handled", "tackle": "handle", "tackled": "handled",
    "tackling": "handling",
    "screw up": "mistake", "screwed up": "made a mistake", "mess up": "mistake", "messed up": "made a mistake",
    "slip up": "mistake", "slipped up": "made a mistake", "blunder": "mistake", "blunders": "mistakes",
    "dropped the ball": "made a mistake",
    "recruit": "hire", "employ": "hire", "take you on": "hire", "applicant": "candidate", "applicants": "candidates",
    "aspiration": "goal", "aspirations": "goals", "ambition": "goal", "ambitions": "goals",
    "strong point": "strength", "strong points": "strength", "strong suit": "strength", "forte": "strength",
    "weak point": "weakness", "weak points": "weakness", "weak spot": "weakness", "weak spots": "weakness",
    "money": "salary", "day rate": "salary", "ctc": "salary",
    "opening": "role", "openings": "roles", "gig": "role",
    "superior": "manager", "superiors": "managers", "fave": "favourite", "fav": "favourite",
    "favor": "favour", "judgment": "judgement", "license": "licence", "traveling": "travelling",
    "traveled": "travelled", "center": "centre", "program": "programme",
    "job hunting": "looking for a new role", "job seeking": "looking for a new role",
    "job searching": "looking for a new role",
    # Third round: more British/American spellings and casual contractions.
    "color": "colour", "humor": "humour", "honor": "honour", "labor": "labour", "endeavor": "endeavour",
    "skeptical": "sceptical", "defense": "defence", "canceled": "cancelled", "modeling": "modelling",
    "fulfill": "fulfil", "practise": "practice", "practising": "practicing", "enrollment": "enrolment",
    "gonna": "going to", "wanna": "want to", "gotta": "have to", "kinda": "kind of", "sorta": "sort of",
}
# Spoken wrappers that say nothing about the question, said the same way: "walk us through" and
# "I'd love to hear about" are "tell me about" (and "love" there must not read as the like side).
_WRAPPERS = (
    ((r"(?m)^((so|well|right|now|ok|okay|alright|and|then|great|thanks|thank you|cool|next|finally|lastly|"
      r"firstly|first of all|to start with|to start|to begin|moving on|let me ask you|quick question|"
      r"to kick (things )?off|to get (things )?started|for starters|first up|last one|one last thing|one more thing|"
      r"one more|on that note|switching gears|changing gears|changing tack|before we (wrap up|finish|close)) )+"), ""),
    (r"(?<![a-z0-9])(um+|uh+|erm+|er|hmm+|basically|actually|i guess|i suppose)\b ?", ""),
    # "Could you start by telling us…" is "could you tell us…".
    (r"(?<![a-z0-9])(start|begin) by (tell|walk|talk|run)ing\b", r"\2"),
    (r"(?<![a-z0-9])(start|begin) by (giv|tak)ing\b", r"\2e"),
    (r"(?<![a-z0-9])(can|could|would) you (please )?(tell|give|walk|talk|take|run|share) ", r"\3 "),
    ((r"(?<![a-z0-9])((i|we) (would (love|like)|am (interested|keen|curious)) to (hear|know|learn|understand)"
      r"( more)?( about)?|(walk|talk|take|run|go) (me|us) through|give (me|us) an example of)\b"), "tell me about"),
    # Starting with a literal lets `re` skip ahead fast; the look-behind then checks the word start.
    (r"share (?<=\bshare )(with (me|us) )?(an example|a time|a situation)\b", r"tell me about \3"),
    (r"tell us\b(?<=\btell us)", "tell me"),
    # The interviewer's "I'd love…" ("I'd love a quick overview of…") is a wrapper, not the like side.
    (r"(?<![a-z0-9])(i|we) would love\b", r"\1 would like"),
    ((r"(?<![a-z0-9])(how come|what is (the|your) (main )?reason( that| why)?|"
      r"what are (the|your) (main )?reasons( that| why)?)(?= (you|your|we|they|i)\b)"), "why"),
)
_WRAPPER_PATTERNS = tuple((re.compile(p), r) for p, r in _WRAPPERS)
_AMERICAN = re.compile(r"iz(?<=[a-z]{3}iz)(e|es|ed|ing|ation|ations)\b")       # organize -> organise
_AMERICAN_YZ = re.compile(r"yz(?<=[a-z]{3}yz)(e|es|ed|ing)\b")                   # analyze -> analyse
# (?<![a-z0-9]) is \b here (the text has no "_" left) and lets `re` scan faster than a leading \b.
_SYNONYM_PATTERN = re.compile(r"(?<![a-z0-9])(" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")\b")
_NOT_WORD = re.compile(r"[^a-z0-9\n]+")     # newlines separate the wordings of a batch
_EDGE_SPACES = re.compile(r" *\n *")


def normalise(text: str) -> str:
    """The wording reduced to what matters for matching: 'What's your pay?' -> 'what is your salary'."""
    return normalise_all([text])[0]


def normalise_all(texts: Iterable[str]) -> list[str]:
    """`normalise` of many wordings at once: each regex runs once over the whole batch, joined by newlines."""
    text = "\n".join(str(t).replace("\n", " ").replace("\r", " ") for t in texts)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("`", "'")
    for pattern, replacement in _CONTRACTION_PATTERNS:
        text = pattern.sub(replacement, text)
    text = _EDGE_SPACES.sub("\n", _NOT_WORD.sub(" ", text)).strip(" ")
    text = _AMERICAN_YZ.sub(r"ys\1", _AMERICAN.sub(r"is\1", text))
    text = _SYNONYM_PATTERN.sub(lambda m: SYNONYMS[m.group(1)], text)
    for pattern, replacement in _WRAPPER_PATTERNS:
        text = pattern.sub(replacement, text)
    return _EDGE_SPACES.sub("\n", text).strip(" ").split("\n")


# Words that say how a question is put rather than what it is about. Dropped only when comparing
# questions outside the bank with each other, where the topic ("TCP", "hash map") is what counts.
FRAME_WORDS = frozenset("""
a an the to of in on at for from by with about as into than then so and or but if is are was were be been being
am do does did done doing have has had you your yours yourself i me my we us our it its this that these those
there here what how why when where which who would could can will should shall may might must please tell
describe explain give example walk through talk take some any ever just really bit little quick briefly kind
sort one thing things time times between difference different differ differs compare comparison versus vs
mean means meaning work works say says use used using happen happens
principle principles concept concepts basics idea ideas make makes purpose advantages disadvantages pros cons
tradeoffs trade offs benefits drawbacks implement implemented implementation implementing under hood inside
internally approach example examples long much many often
""".split())


def topic_words(key: str) -> str:
    """The normalised wording without its question frame: 'how does tcp differ from udp' -> 'tcp udp'."""
    return " ".join(word for word in key.split() if word not in FRAME_WORDS)


_SUFFIXES = ("ational", "ations", "ation", "ements", "ement", "ments", "ment", "ences", "ence", "ances", "ance",
             "ingly", "ings", "ing", "ities", "ity", "ively", "ive", "ness", "fully", "ful", "ously", "ous",
             "edly", "ied", "ies", "ed", "ers", "er", "es", "ly", "s", "e")


# The suffixes by their last letter, in the order above: only those can end a word.
_SUFFIXES_ENDING = {last: tuple(s for s in _SUFFIXES if s[-1] == last) for last in {s[-1] for s in _SUFFIXES}}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix-stripper (no stemming library is installed): stress/stressed/stressful → stress."""
    if len(word) <= 4:
        # Plurals of short words too (apis → api, jobs → job), but not "this", "plus", "less".
        return word[:-1] if len(word) == 4 and word[-1] == "s" and word[-2] not in "siu" else word
    for suffix in _SUFFIXES_ENDING.get(word[-1], ()):
        shortest = 5 if suffix in ("er", "ers") else 4   # differ, answer, offer: no "-er" to strip
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest and not (suffix == "s" and word.endswith("ss")):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "ls" else word
