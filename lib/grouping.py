"""Grouping questions by meaning: "Tell me about yourself" and "Walk me through your background" are one.

What was measured before choosing (benchmarks/bench_grouping.py prints it all):

- String similarity (difflib ratio ≥ 0.6 on normalised wordings): pairwise F1 0.09 on the
  benchmark, opposites merged. Paraphrases share few characters; opposites ("greatest strength" /
  "greatest weakness") share most of theirs.
- Sentence-embedding models: not used. The maintained ones (sentence-transformers, fastembed,
  model2vec) fetch their weights from Hugging Face at first use, which this machine and CI cannot
  reach, and pull in hundreds of MB (torch alone ~700 MB). The PyPI packages that do ship weights
  are unofficial re-uploads of spaCy pipelines (the small ones carry no word vectors). Not measured.
- Shipped: a hand-written bank of interview question intents (lib/question_bank.py: 97 intents,
  about 2,940 phrasings since the third round below, each intent with a category from lib.debriefs.CATEGORIES) matched with TF-IDF
  from scikit-learn (already a dependency; nothing downloaded; ~0.1 s to build per process).

How a wording is grouped (`Matcher.label`):

1. `normalise`: lower case, accents and punctuation off, contractions expanded, British/American
   spellings and near-synonyms mapped to one word (pay/compensation/package/earn → salary,
   résumé → cv, boss/supervisor → manager, job/position/vacancy → role, stress → pressure,
   cope with/deal with → handle, messed up → made a mistake, -ize → -ise…); spoken fillers
   ("so, um, …") dropped and wrappers said one way ("could you walk us through", "I'd love to
   hear about", "give me an example of" → "tell me about"). Changing these changes stored
   wording keys: a wording saved before such a change is matched afresh when asked again.
2. Features: stemmed word 1–2-grams and char_wb 3-grams (HashingVectorizer: no vocabulary to fit,
   so words the bank never saw still weigh, and an unknown question looks unlike the bank instead
   of like its few known words), sublinear tf, IDF, unit rows; words and chars weigh half each,
   so a dot product is the mean of the two cosines. A light suffix-stripper stands in for a
   stemmer (none is installed): stress/stressed/stressful are one word.
3. Bank match: a wording's score for an intent is 0.6 × its best cosine to one of the intent's
   phrasings + 0.4 × its cosine to the intent's centroid; the best intent wins at BANK_THRESHOLD
   (0.30) or more, unless the opposite guard forbids it, and only if the intent's phrasings
   know at least MIN_TOPIC_SHARE (0.5) of the wording's topic-word weight (frame words dropped,
   IDF-weighted) or it scores SURE_SCORE (0.40) or more: "Do you have any pets?" shares only
   its frame with "Do you have any questions for us?" and "How does a load balancer work?"
   only "balance" with work-life balance, so both stay out, while "Tell me about yourself, at
   Contoso" (its only topic word a company name) stays in. Both values were picked on the
   benchmark, the decorated canonicals and a few technical questions written for the purpose.
4. Opposite guard (`AXES`): keyword patterns for the two sides of strength/weakness,
   like/dislike, best/worst manager, success/failure, leave/stay, motivate/demotivate, team/alone,
   current/expected salary and praise/criticism. A wording on one side never joins an intent (or an
   out-of-bank wording) on the other side, however similar the rest of the words are, and joins
   an intent only if the intent is on its side too (so "strongest part of your portfolio" and
   "weakest part…" cannot meet in an intent that is neutral about strengths). A match inside a
   longer one of the other side does not count ("not good at" is not "good at"). An intent is on
   a side when 80% of its side-taking phrasings are (one stray phrasing used to make
   what-demotivates-you and like-least neutral, so "What demotivates you?" could join neither);
   a test keeps the bank free of such strays. Idioms that only look like a side do not count:
   "stay calm" is not staying, "work on your own" is not a weakness.
5. Outside the bank: only the topic words count (question frames such as "what is the difference
   between", "explain the principles of", "how long" are dropped; a word pair also counts as one
   word, so "hash map" meets "hashmap"), with IDF fitted on the bank plus the wordings at hand, so "TCP" and
   "UDP" carry the weight. A wording joins the most similar stored out-of-bank wording or earlier
   group of its batch at cosine ≥ OUTSIDE_THRESHOLD (0.30), else it starts a new group.

How the figures came about, honestly: the benchmark (tests/fixtures/grouping_benchmark.csv, 185
questions, 70 groups, 7 kept-apart pairs, 25 one-offs) was written first, then the bank. The
first bank scored F1 0.61; the bank was then given more phrasings per intent and the normaliser a
stemmer, after looking at which benchmark questions failed, without copying benchmark wordings
in (but 19 classic questions, "What motivates you?", "Are you willing to relocate?", are worded
the same in both). Thresholds were picked from a coarse sweep (0.25/0.30/0.35) on the benchmark.
So the first bank's benchmark figure (F1 0.936, precision 0.961, recall 0.912) was optimistic;
two checks said by how much: a "strict bank" (every phrasing within difflib ratio 0.85 of a
benchmark wording removed) scored F1 0.846, and tests/fixtures/grouping_blind.csv (69 questions,
written after that bank) F1 0.734 (precision 0.800, recall 0.678). Most misses there were
paraphrases with no bank phrasing near them, and one-off questions pulled into an intent.

Second round, for wordings nobody has seen: 23 new intents common in real interviews (typical
day, current responsibilities, disagreeing with your manager, giving feedback, creativity,
data-driven decisions, explaining to non-experts, mentoring, attention to detail, managing
projects, lessons learned, diversity, defining success, why this field, overqualified, working
hours, work-life balance, travel, right to work, improving our product, role model, education,
"sell me this pen"; management style folded into leadership) and ~1,550 more phrasings written
from how interviewers talk (spoken fillers, British/American, short and long, role words); any
new phrasing within difflib ratio 0.97 of a wording of either labelled set was removed (42 of
them, mostly classic questions everyone words the same way). Plus the normaliser, guard and
topic-check changes above and the fixes to the guard's strays. To find *kinds* of failure the
misses on both sets were looked at, so blind (1) is no longer blind, and a few synonyms ("job
hunting", "how come", "what is the reason") were prompted by its misses;
tests/fixtures/grouping_blind2.csv, written by someone else and never opened here, is the
held-out check. Now (75 intents, 2,175 phrasings):
- benchmark F1 0.965 (precision 0.968, recall 0.963); strict bank 0.946;
- blind (1) F1 0.914 (precision 0.930, recall 0.898), opposites apart;
- each intent's canonical wording wrapped in spoken prefixes and role/company suffixes ("OK,
  next one: …as a senior data engineer?"): 99.5% keep their intent.
BANK_THRESHOLD stays 0.30 (best on the benchmark; the blind set would prefer 0.35, not chosen
because that would be tuning on it). Expect F1 around 0.8–0.9 on wordings nobody has seen, lower
for questions no intent covers; merge and split are there for the rest.

Third round (97 intents, 2,940 phrasings): 22 intents real interviews ask and the bank lacked
(how you like to be managed, describing yourself in a few words, why you have stayed, giving bad
news, saying no, how you heard of the role, motivating others, delegating, an underperforming
colleague, risk, counter-offers, presenting, customer service, confidentiality, the role's
challenges, building relationships, references, driving, accepting an offer, communication
style, safeguarding, sales targets); some take phrasings that used to sit in a near neighbour
(best manager, how others describe you, giving feedback, leadership, explaining the complex), so
the question asked gets its own group. ~785 new phrasings in new words (casual, "talk me
through…", sector wordings from hospitals, schools, shops, kitchens and sales, British/American);
every new phrasing within difflib ratio 0.9 of a labelled wording was reworded. The normaliser
drops more lead-ins ("to kick things off", "before we wrap up", "switching gears"…), reads "could
you start by telling…" as "could you tell…" and the interviewer's "I'd love…" as "I'd like…", and
maps a few more spellings and contractions ("gonna", "sceptical"). Guard words used in passing no
longer take a side (each made a neutral intent refuse the wording): "bad news" or "poor
performance" is not a bad manager, "to succeed"/"if successful" is no success story, "annual
leave"/"leave us with" is not leaving, "stay composed" is not staying (and "stick around" is),
a "team leader" is a role. The kinds of failure on grouping_blind2.csv were studied for this round
(and a few phrasings were prompted by its misses), so blind2 is tuned on now: benchmark F1 0.963
(strict bank 0.953), blind 0.914 (strict 0.895), blind2 0.907 (was 0.790). Five small sets
written here (~280 wordings, two or so per question, plus one-offs): four scored 0.53–0.75 with the
second bank and 0.82–0.90 now (tuned on after their first run); the fifth, first run after all
the rest, scored 0.59 with both banks (0.91 once its misses were looked at). So expect much less
than 0.9 on wordings full of context ("The ward can get very busy. How do you handle that?"):
they fall below the threshold or the topic check. "Tell me about a
time you failed" and "…a mistake you made" stay one intent, as the benchmark and blind (1) label
them (blind2 splits them). The AXES patterns' leading \\b is matched as a look-behind (same
meaning on normalised keys, faster to scan), COMMON_SHARE went from 0.05 to 0.03, and an intent's
centroid cosine is now taken from the phrasing cosines already computed (their sum over the length
of the phrasings' sum: the same number, no second sparse product), so the bigger bank costs
nothing in the end: all-distinct 10k at ~11,100–11,300 a second against ~10,900–11,100 for the
second bank, in interleaved runs on this machine.

The third held-out set (tests/fixtures/grouping_blind3.csv: 200 wordings, 72 groups, 8 opposite
pairs, 22 one-offs), written by someone who saw neither the bank, the matcher nor the other sets,
was measured once with this bank: F1 0.761 (P 0.746, R 0.777), against 0.721 for the second bank,
with 4 of its 8 opposite pairs merged by both. Those four became guard axes (giving/receiving
feedback, met/missed deadline, work best with/hard to work with, and "did not bring out the
best" as a bad manager), and "Have you ever missed a deadline?" left tight_deadline: 0.786, every
pair apart, the other sets unchanged. So ~0.76 is the honest figure on unseen wordings; the 0.85
target is not met. Wordings already stored keep their groups: the bank only decides new ones.

Speed (benchmarks/bench_grouping.py, this 2-core AMD EPYC machine): distinct normalised
wordings are matched once, then mapped back to their questions. Questions asked in the demo's
~100 wordings group at 27,000 (1k, fixed costs dominate) to 800,000 (100k) a second. The worst
case, every wording distinct, runs at ~11,800 a second for 10k and ~12,100 for 100k questions
(8,200 for 1k); before the second round it was ~10,000: the bigger bank costs little because
its products are single precision and the normaliser's patterns start with a literal or a
look-behind (faster to scan than a leading word-boundary test). One save of a 6-question
debrief costs 40–200 ms, up to ~230 ms in a database holding 100k distinct wordings (~1.7 s for
the first save of a process there: see `_known_features`).

Stored choices (tables in lib/sql/003_question_groups.sql):

- A question's group is assigned once, when it is saved, imported or generated; pages only read
  `question_group_of`. `assign_missing` groups questions written before grouping existed.
- The same normalised wording lands where that wording already is: where the user pinned it
  (latest split), else in the group where it is asked most.
- `merge_groups(keep, other)`: `other` (and any group merged into it before) points at `keep`;
  the view follows the pointer, so questions the matcher puts in `other` later count under `keep`.
- `split_question`: the question gets a group of its own and is pinned; nothing regroups it,
  and the same wording asked later joins it there.
- Editing a debrief rewrites its questions; one re-saved with the same wording keeps its group
  and pin (`groups_before_edit` / `group_interview`).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize as l2_normalise

from .db import Database, Transaction, cell_text
from .question_bank import BANK

WORD_WEIGHT = 0.5          # share of the word n-grams in the similarity (the rest: char n-grams)
MAX_WEIGHT = 0.6           # share of the best single phrasing in an intent's score (the rest: centroid)
BANK_THRESHOLD = 0.30
OUTSIDE_THRESHOLD = 0.30
MIN_TOPIC_SHARE = 0.5       # share of a wording's topic-word weight its intent must know (see bank_match)
SURE_SCORE = 0.40          # at or above this, the topic check of bank_match is skipped
SIDE_SHARE = 0.8           # an intent takes a side when this share of its side-taking phrasings do
COMMON_SHARE = 0.03         # a feature in more than this share of bank phrasings is "common" (see Matcher)
CHUNK = 2048               # wordings scored against the bank at once (bounds the dense score blocks)
OUTSIDE_CHUNK = 256        # out-of-bank wordings clustered at once: the all-pairs block stays small

# -- normalising -----------------------------------------------------------------------------

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


# -- the opposite guard ------------------------------------------------------------------------

@dataclass(frozen=True)
class Axis:
    """Two opposite sides of a question; `scope` (if set) must appear for the axis to apply.

    A `for` match that lies inside an `against` match does not count, so "not good at" is a
    weakness and not also "good at".
    """
    name: str
    for_side: str
    against_side: str
    scope: str | None = None

    def compiled(self):
        return tuple(None if pattern is None else _compile_side(pattern)
                     for pattern in (self.for_side, self.against_side, self.scope))


@lru_cache(maxsize=64)
def _compile_side(pattern: str) -> re.Pattern:
    """A side's pattern, its leading \\b written as a look-behind: the keys hold only a-z, 0-9, spaces and
    newlines, so it means the same, and `re` scans a pattern that starts with a look-behind ~25% faster."""
    if pattern.startswith(r"\b"):
        pattern = r"(?<![a-z0-9])" + pattern[2:]
    return re.compile(pattern)


AXES = (
    Axis("strength/weakness",
         r"\b(strengths?|strong|strongest|excel\w*|superpower|best at|good at|great at|best quality)\b",
         r"\b(weakness\w*|weak|weakest|improve\w*|get better|((need|needs|have|has|want|like|got) to|still|currently) "
         r"(work|working) on|working on (improv\w*|yourself|getting)|development area|areas? (of|for|to) "
         r"develop\w*|struggle\w*|shortcomings?|flaws?|(not|least) (so |very |that )?(good|great|strong) at|bad at|worst at)\b"),
    Axis("like/dislike",
         r"\b((like|love|enjoy)\w* (most|best|about)|enjoy\w*|love|favourite|best part|most rewarding|satisfying|satisfaction)\b",
         r"\b(dislike\w*|(like|enjoy)\w* least|least (favourite|enjoy\w*|like\w*|satisf\w*|rewarding)|(not|never) (enjoy|like|love)\w*|"
         r"hate|frustrat\w*|worst part|annoy\w*)\b"),
    Axis("best/worst manager",
         r"\b(best|great|good|favourite|ideal)\b",
         # "bad news for your manager" or "poor performance in a manager's team" is not a bad manager.
         r"\b(worst|bad(?! news)|difficult(?! (news|messages?|conversations?|feedback|decisions?))|least favourite|toxic|"
         r"poor(?! perform\w*)|terrible|awful|horrible|not get on|"
         r"(did|does|do|would|could) not (really )?(bring|get|draw) out the best)\b",
         scope=r"\b(manager|managers|leader)\b"),
    Axis("success/failure",
         # "What do you need to succeed?", "If successful, when could you start?" tell no success story.
         r"\b((?<!to )(?<!if )(?<!to be )(?<!if you are )succe\w*|achiev\w*|accomplish\w*|proud\w*|win|pleased)\b",
         r"\b(fail\w*|mistakes?|wrong|errors?|regret\w*|setbacks?|badly|not go (to plan|well)|(not|never) succe\w*)\b"),
    Axis("leave/stay",
         # Leave as time off ("annual leave") or "leave us with" is not leaving a job.
         r"\b((?<!annual )(?<!parental )(?<!maternity )(?<!paternity )(?<!sick )leav\w*(?! (us|me) with)|"
         r"(?<!minutes )(?<!time )left|quit\w*|resign\w*|move on|moving on)\b",
         r"\b(stay(s|ed|ing)?\b(?! (calm|cool|productive|organi[sz]ed|motivated|current|on top|on track|focused|positive|"
         r"up to date|in touch|healthy|sane|composed|level headed|grounded|professional|patient|resilient|objective|"
         r"curious|humble|connected|engaged|late|safe))|remain\w*|keep you|retain\w*|stick(s|ing)? around|stuck around)\b"),
    Axis("motivate/demotivate",
         r"\b(motivat\w*|drives?|inspir\w*|energi\w*|excit\w*)\b",
         r"\b(demotivat\w*|unmotivat\w*|(lose|losing|sap|saps) (your |my )?(motivation|interest|enthusiasm|drive)|drain\w*|"
         r"kills? your \w+|bor(ed|es|ing)|turns? you off|takes? away (your )?(drive|motivation|energy|enthusiasm))\b"),
    Axis("team/alone",
         # "join our team" names the employer, not teamwork; a "team leader" is a role.
         r"\b((?<!our )(?<!this )(?<!join the )(?<!joining the )team\w*(?! lead)|collaborat\w*|together|with others|"
         r"with colleagues)\b",
         r"\b(alone|independent\w*|on your own|by yourself|autonom\w*|without supervision|self starter|solo)\b"),
    Axis("current/expected salary",
         r"\b(current\w*|now|present|today|at the moment|last role|previous\w*|(?<!would )make(?! you))\b",
         r"\b(expect\w*|looking (for|to)|want\w*|hop(e|es|ing)|target\w*|desired|need|ask\w* for|in mind|accept|minimum)\b",
         scope=r"\b(salary|how much(?! (supervision|notice|travel|time|experience|direction|support|do you know)))\b"),
    Axis("praise/criticism",
         r"\b(prais\w*|positive feedback|compliment\w*)\b",
         r"\b(critic\w*|negative feedback|critical feedback|constructive|toughest feedback)\b"),
    # Axes added after the third held-out set (tests/fixtures/grouping_blind3.csv) merged these pairs.
    Axis("give/receive feedback",
         r"\b((?<!been )(?<!were )(?<!was )(?<!being )giv(e|es|ing)|deliver\w*|provid\w*)\b",
         r"\b(receiv\w*|(been|were|was|being) given|(take|takes|taking|took|accept\w*|react\w*|respond\w*) (to )?"
         r"(critic\w*|feedback|negative|constructive|tough|critical|difficult|it)|criticis(es|ed|ing)? (you|your))\b",
         scope=r"\b(feedback|critic\w*)\b"),
    Axis("met/missed deadline",
         r"\b(met|hit|beat|made it)\b",
         r"\b((?<!not )(?<!never )(?<!avoid )(?<!to )miss(ed|ing)?|(could|did|would) not (meet|deliver|make|hit|finish)|"
         r"fail\w* to (meet|deliver|hit|make)|overran|slipped)\b",
         scope=r"\b(deadlines?|on time|timeframe|time frame|timescales?)\b"),
    Axis("work best with/hard to work with",
         r"\b(best|easiest|easy|enjoy\w*|most effectively|get on)\b",
         r"\b(hardest|hard|difficult\w*|challenging|clash\w*|rub\w* you up|wrong way|frustrat\w*|annoy\w*|"
         r"irritat\w*|struggle\w*)\b",
         scope=(r"\b(work(ing)? (best )?with|colleagues?|personalit\w*|(type|kind|sort)s? of (person|people|colleague)\w*)\b")),
)


def sides(keys: Iterable[str]) -> np.ndarray:
    """Per normalised wording and axis: 0 neither (or both) side, 1 the `for` side, 2 the `against` side.

    Each pattern runs once over the batch joined by newlines (no pattern crosses one); a match's
    offset tells its wording.
    """
    keys = list(keys)
    out = np.zeros((len(keys), len(AXES)), dtype=np.int8)
    if not keys:
        return out
    text = "\n".join(keys)
    starts = np.cumsum([0] + [len(key) + 1 for key in keys[:-1]])

    def spans(pattern):
        found = [m.span() for m in pattern.finditer(text)]
        return np.array(found, dtype=np.int64).reshape(-1, 2)

    def rows(offsets):
        found = np.zeros(len(keys), dtype=bool)
        found[np.searchsorted(starts, offsets, side="right") - 1] = True
        return found

    for a, (for_side, against_side, scope) in enumerate(axis.compiled() for axis in AXES):
        against, for_ = spans(against_side), spans(for_side)
        # A `for` match inside an `against` one ("good at" in "not good at") does not count.
        inside = np.searchsorted(against[:, 0], for_[:, 0], side="right") - 1
        covered = (inside >= 0) & (for_[:, 1] <= against[np.maximum(inside, 0), 1]) if len(against) else \
            np.zeros(len(for_), dtype=bool)
        is_against, is_for = rows(against[:, 0]), rows(for_[~covered, 0])
        side = np.where(is_against & ~is_for, 2, np.where(is_for & ~is_against, 1, 0))
        if scope is not None:
            side[~rows(spans(scope)[:, 0])] = 0
        out[:, a] = side
    return out


def conflicts(left: np.ndarray, right: np.ndarray, *, strict: bool = False) -> np.ndarray:
    """(len(left), len(right)) True where the two are on opposite sides of some axis.

    `strict`: a `left` that takes a side also clashes with a `right` that takes none. Used against
    bank intents: "What is the weakest part of your portfolio?" may not join an intent that is
    neutral about strengths, or its opposite "strongest part" could join the same one.
    """
    clash = np.zeros((len(left), len(right)), dtype=bool)
    for a in range(left.shape[1]):
        l, r = left[:, a][:, None], right[:, a][None, :]
        clash |= (l != 0) & (l != r) & ((r != 0) | strict)
    return clash


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


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix-stripper (no stemming library is installed): stress/stressed/stressful → stress."""
    if len(word) <= 4:
        # Plurals of short words too (apis → api, jobs → job), but not "this", "plus", "less".
        return word[:-1] if len(word) == 4 and word[-1] == "s" and word[-2] not in "siu" else word
    for suffix in _SUFFIXES:
        shortest = 5 if suffix in ("er", "ers") else 4   # differ, answer, offer: no "-er" to strip
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest and not (suffix == "s" and word.endswith("ss")):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "ls" else word


# -- vectors -----------------------------------------------------------------------------------

@lru_cache(maxsize=100_000)
def _char_grams(word: str) -> tuple[str, ...]:
    """Character 3-grams of one word padded with spaces, as sklearn's char_wb analyzer makes them."""
    padded = f" {word} "
    return tuple(padded[i:i + 3] for i in range(max(1, len(padded) - 2)))


def _word_features(key: str) -> list[str]:
    """Stemmed words and word pairs."""
    words = [stem(word) for word in key.split()]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def _char_features(key: str) -> list[str]:
    return [gram for word in key.split() for gram in _char_grams(word)]


# Hashed, not fitted: no vocabulary to learn, and words the bank never saw still count (so an
# unknown question looks unlike the bank rather than like its few known words). The analyzers
# are plain functions over an already normalised key, cached per word: the same few thousand
# words make up nearly every interview question. Char 3-grams only: 3–5-grams scored the same on
# the benchmark (F1 0.937 vs 0.936) at about twice the cost.
_WORDS = HashingVectorizer(analyzer=_word_features, n_features=2**20, alternate_sign=False, norm=None)
_CHARS = HashingVectorizer(analyzer=_char_features, n_features=2**20, alternate_sign=False, norm=None)


def _topic_stems(key: str) -> list[str]:
    return [stem(word) for word in topic_words(key).split()]


def _joined_pairs(key: str) -> list[str]:
    words = key.split()
    return [stem(a + b) for a, b in pairwise(words)]


_JOINED = HashingVectorizer(analyzer=_joined_pairs, n_features=2**20, alternate_sign=False, norm=None)

# The topic words alone, for the topic check of `Matcher.bank_match`.
_TOPICS = HashingVectorizer(analyzer=_topic_stems, n_features=2**20, alternate_sign=False, norm=None, binary=True)


@dataclass
class Counts:
    """Sublinear term counts of some normalised wordings, words and chars apart."""
    words: sp.csr_matrix
    chars: sp.csr_matrix

    @classmethod
    def of_topics(cls, keys: list[str]) -> Counts:
        """Counts of the topic words only (for comparing questions outside the bank).

        Word pairs also count written as one word, so "hash map" meets "hashmap" and "data base"
        meets "database".
        """
        topics = [topic_words(key) for key in keys]
        counts = cls.of(topics)
        joined = _JOINED.transform(topics).tocsr()
        joined.data[:] = 1.0
        return cls(counts.words + joined, counts.chars)

    @classmethod
    def of(cls, keys: list[str]) -> Counts:
        words, chars = _WORDS.transform(keys).tocsr(), _CHARS.transform(keys).tocsr()
        for matrix in (words, chars):
            np.log(matrix.data, out=matrix.data)     # sublinear tf, as sklearn's: 1 + log(tf)
            matrix.data += 1.0
        return cls(words, chars)

    def stack(self, other: Counts) -> Counts:
        return Counts(sp.vstack([self.words, other.words]).tocsr(), sp.vstack([self.chars, other.chars]).tocsr())

    def __len__(self) -> int:
        return self.words.shape[0]


@dataclass
class Space:
    """IDF weights for words and chars: turns Counts into unit rows whose dot product is a similarity."""
    word_idf: np.ndarray
    char_idf: np.ndarray

    @classmethod
    def fitted(cls, counts: Counts) -> Space:
        def idf(matrix):
            df = np.bincount(matrix.indices, minlength=matrix.shape[1])
            return (np.log((1 + matrix.shape[0]) / (1 + df)) + 1).astype(np.float64)
        return cls(idf(counts.words), idf(counts.chars))

    def vectors(self, counts: Counts) -> sp.csr_matrix:
        halves = []
        for matrix, idf, weight in ((counts.words, self.word_idf, WORD_WEIGHT), (counts.chars, self.char_idf, 1 - WORD_WEIGHT)):
            weighted = matrix.copy()
            weighted.data *= idf[weighted.indices]
            halves.append(l2_normalise(weighted) * np.sqrt(weight))
        return sp.hstack(halves, format="csr")


# -- the matcher -------------------------------------------------------------------------------

class Matcher:
    """The bank in vector form, and the rules that put a wording in a group."""

    def __init__(self, bank=BANK):
        self.intents = bank
        self.keys = np.array([intent.key for intent in bank], dtype=object)
        phrasings = normalise_all(p for intent in bank for p in intent.phrasings)
        owner = np.repeat(np.arange(len(bank)), [len(intent.phrasings) for intent in bank])
        self.bank_counts = Counts.of(phrasings)
        self.bank_topic_counts = Counts.of_topics(phrasings)
        self.space = Space.fitted(self.bank_counts)
        self.phrasings = self.space.vectors(self.bank_counts)
        self.starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        membership = sp.csr_matrix((np.ones(len(owner)), (owner, np.arange(len(owner)))))
        # Features found in many phrasings (" wh", "you") would make the sparse product touch
        # every phrasing for every wording; they are few, so that part is done as a dense product.
        df = np.bincount(self.phrasings.indices, minlength=self.phrasings.shape[1])
        common = np.flatnonzero(df > COMMON_SHARE * len(phrasings))
        self.select_common = sp.csr_matrix((np.ones(len(common)), (common, np.arange(len(common)))),
                                           shape=(self.phrasings.shape[1], len(common)))
        self.common_phrasings = (self.phrasings @ self.select_common).toarray().T.astype(np.float32)
        self.select_common = self.select_common.astype(np.float32)
        rare = self.phrasings.copy()
        rare.data[np.isin(rare.indices, common)] = 0.0
        rare.eliminate_zeros()
        # Single precision for the products with every phrasing: half the memory traffic, and
        # scores differ from double precision by ~1e-7, far below any threshold.
        self.rare_phrasings_t = rare.T.tocsr().astype(np.float32)
        # A centroid's cosine is the sum of the cosines to its phrasings over the length of their sum,
        # so it comes from the phrasing cosines already at hand (see intent_scores).
        summed = membership @ self.phrasings
        lengths = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
        self.centroid_scale = (1.0 / np.maximum(lengths, 1e-12)).astype(np.float32)
        self.intent_sides = _intent_sides(sides(phrasings), owner, len(bank))
        # Which topic words (question frame dropped) each intent's phrasings use, and their IDF.
        topics = _TOPICS.transform(phrasings).tocsr()
        df = np.bincount(topics.indices, minlength=topics.shape[1])
        self.topic_idf = np.log((1 + len(phrasings)) / (1 + df)) + 1
        vocabulary = (membership @ topics).tocsr()
        vocabulary.data[:] = 1.0
        self.intent_vocabulary_t = vocabulary.T.tocsr()

    def intent_scores(self, vectors: sp.csr_matrix) -> np.ndarray:
        """(wordings, intents): MAX_WEIGHT × best phrasing cosine + the rest × centroid cosine."""
        vectors = vectors.astype(np.float32)
        cosines = (vectors @ self.rare_phrasings_t).toarray()
        cosines += (vectors @ self.select_common).toarray() @ self.common_phrasings
        nearest = np.maximum.reduceat(cosines, self.starts, axis=1)
        centroid = np.add.reduceat(cosines, self.starts, axis=1) * self.centroid_scale
        return MAX_WEIGHT * nearest + (1 - MAX_WEIGHT) * centroid

    def bank_match(self, counts: Counts, key_sides: np.ndarray, topics: sp.csr_matrix | None = None) -> np.ndarray:
        """Per wording, the index of its intent in the bank, or -1.

        `topics` (binary topic-word counts, `_TOPICS`): a wording whose topic words are mostly
        unknown to the best intent's phrasings (less than MIN_TOPIC_SHARE of their IDF weight)
        does not join it unless it scores SURE_SCORE or more: "Do you have any criminal
        convictions?" is not "Do you have any questions for us?", while "Tell me about yourself,
        here at Contoso" (whose only topic word is the company) is sure enough. A wording made of
        frame words only ("Tell me about yourself") has nothing to check.
        """
        scores = self.intent_scores(self.space.vectors(counts))
        scores[conflicts(key_sides, self.intent_sides, strict=True)] = -1.0
        best = scores.argmax(axis=1)
        best_scores = scores[np.arange(len(best)), best]
        matched = best_scores >= BANK_THRESHOLD
        if topics is not None:
            weighted = topics.astype(np.float64)
            weighted.data *= self.topic_idf[weighted.indices]
            total = np.asarray(weighted.sum(axis=1)).ravel()
            known = (weighted @ self.intent_vocabulary_t).toarray()[np.arange(len(best)), best]
            matched &= (total == 0) | (known >= MIN_TOPIC_SHARE * total) | (best_scores >= SURE_SCORE)
        return np.where(matched, best, -1)

    def label(self, keys: list[str], known_keys: list[str] = (), known_labels: Iterable = ()) -> list:
        """A label per normalised wording: the intent key (str), a known label it joins, or a new int.

        `known_keys`/`known_labels`: wordings already grouped outside the bank and their labels
        (any hashable but an int). New out-of-bank groups are numbered 0, 1, … in order of first
        appearance.
        """
        if not keys:
            return []
        counts = Counts.of(keys)
        topics = _TOPICS.transform(keys).tocsr()
        key_sides = sides(keys)
        labels: list = [None] * len(keys)
        for start in range(0, len(keys), CHUNK):
            block = slice(start, start + CHUNK)
            part = Counts(counts.words[block], counts.chars[block])
            for n, intent in enumerate(self.bank_match(part, key_sides[block], topics[block]), start=start):
                if intent >= 0:
                    labels[n] = self.keys[intent]
        outside = [n for n, label in enumerate(labels) if label is None]
        if outside:
            clustered = _cluster_outside(self, [keys[n] for n in outside], key_sides[outside],
                                         list(known_keys), list(known_labels))
            for n, label in zip(outside, clustered):
                labels[n] = label
        return labels


def _intent_sides(phrasing_sides: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """An intent is on a side of an axis when at least SIDE_SHARE of its phrasings that take a side take that one.

    Not all of them: one stray phrasing ("What takes away your drive?" reads as "drive") used to
    make an intent neutral, and a neutral intent refuses every wording that takes a side (strict
    guard), so "What demotivates you?" could not join what-demotivates-you. tests/test_grouping.py
    checks that the bank has no such strays left.
    """
    out = np.zeros((count, phrasing_sides.shape[1]), dtype=np.int8)
    for intent in range(count):
        taken = phrasing_sides[owner == intent]
        for a in range(taken.shape[1]):
            for_, against = int((taken[:, a] == 1).sum()), int((taken[:, a] == 2).sum())
            if for_ + against and max(for_, against) >= SIDE_SHARE * (for_ + against):
                out[intent, a] = 1 if for_ > against else 2
    return out


def _cluster_outside(matcher: Matcher, keys: list[str], key_sides: np.ndarray,
                     known_keys: list[str], known_labels: list) -> list:
    """Out-of-bank wordings: join the most similar known or earlier wording, else a new group.

    The IDF here is fitted on the bank plus every wording at hand, so words the bank never uses
    ("TCP", "hash map") carry weight. Each new group keeps its first wording as representative and
    the comparison is against representatives (and all known wordings), which keeps the cost at
    wordings × groups rather than wordings².
    """
    counts = Counts.of_topics(keys)
    known_counts, known_sides = _known_features(known_keys) if known_keys else (None, None)
    pool = matcher.bank_topic_counts.stack(counts)
    if known_counts is not None:
        pool = pool.stack(known_counts)
    space = Space.fitted(pool)
    vectors = space.vectors(counts)
    reference = space.vectors(known_counts) if known_counts is not None else sp.csr_matrix((0, vectors.shape[1]))
    reference_sides = known_sides if known_keys else np.zeros((0, len(AXES)), dtype=np.int8)
    reference_labels = list(known_labels)
    labels: list = [None] * len(keys)
    next_label = 0
    for start in range(0, len(keys), OUTSIDE_CHUNK):
        block = range(start, min(start + OUTSIDE_CHUNK, len(keys)))
        rows = vectors[block.start:block.stop]
        to_known = (rows @ reference.T).toarray() if reference.shape[0] else np.zeros((len(block), 0))
        to_known[conflicts(key_sides[block.start:block.stop], reference_sides)] = -1.0
        within = (rows @ rows.T).toarray()
        within_clash = conflicts(key_sides[block.start:block.stop], key_sides[block.start:block.stop])
        within[within_clash] = -1.0
        leaders: list[int] = []          # positions in this block that started a group
        for i, n in enumerate(block):
            best_known = int(to_known[i].argmax()) if to_known.shape[1] else -1
            known_score = to_known[i, best_known] if best_known >= 0 else -1.0
            if leaders:
                candidates = within[i, leaders]
                best_leader = int(candidates.argmax())
                leader_score = candidates[best_leader]
            else:
                leader_score = -1.0
            if max(known_score, leader_score) >= OUTSIDE_THRESHOLD:
                labels[n] = reference_labels[best_known] if known_score >= leader_score else labels[block.start + leaders[best_leader]]
            else:
                labels[n] = next_label
                next_label += 1
                leaders.append(i)
        # This block's leaders become known to the next blocks.
        new = [block.start + i for i in leaders]
        if new:
            reference = sp.vstack([reference, vectors[new]]).tocsr()
            reference_sides = np.vstack([reference_sides, key_sides[new]])
            reference_labels += [labels[n] for n in new]
    return labels


_known_cache: dict[str, object] = {"keys": [], "counts": None, "sides": None}


def _known_features(known_keys: list[str]) -> tuple[Counts, np.ndarray]:
    """Topic counts and sides of the stored out-of-bank wordings, reusing those of the last call.

    The stored wordings come oldest first (grouping_known_wordings), so a save usually finds
    the previous list plus a few: only those few are worked out again. Saving a debrief in a
    database with tens of thousands of distinct wordings stays fast that way.
    """
    cached = _known_cache["keys"]
    if cached and len(cached) <= len(known_keys) and known_keys[:len(cached)] == cached:
        tail = known_keys[len(cached):]
        counts, key_sides = _known_cache["counts"], _known_cache["sides"]
        if tail:
            counts, key_sides = counts.stack(Counts.of_topics(tail)), np.vstack([key_sides, sides(tail)])
    else:
        counts, key_sides = Counts.of_topics(known_keys), sides(known_keys)
    _known_cache.update(keys=list(known_keys), counts=counts, sides=key_sides)
    return counts, key_sides


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    """The bank's matcher, built once per process (a few hundred ms)."""
    return Matcher()


def group_wordings(wordings: list[str]) -> list:
    """A group label per wording, grouped among themselves: an intent key (str) or an int.

    The same matcher `assign_groups` uses, without a database: what the benchmark measures.
    """
    keys = normalise_all(wordings)
    unique = list(dict.fromkeys(keys))
    labels = dict(zip(unique, matcher().label(unique)))
    return [labels[key] for key in keys]


# -- measuring ---------------------------------------------------------------------------------

def pairwise_scores(truth: list, predicted: list) -> dict[str, float]:
    """Pairwise precision, recall and F1: over all pairs of items, "same group" predicted vs true."""
    truth_codes = pd.factorize(pd.Series(truth, dtype=object))[0]
    predicted_codes = pd.factorize(pd.Series([str(p) if isinstance(p, str) else f"#{p}" for p in predicted]))[0]

    def pairs(*codes):
        sizes = pd.Series(list(zip(*codes))).value_counts().to_numpy()
        return int((sizes * (sizes - 1) // 2).sum())

    both, true_pairs, predicted_pairs = pairs(truth_codes, predicted_codes), pairs(truth_codes), pairs(predicted_codes)
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


# -- the database ------------------------------------------------------------------------------

class GroupingError(ValueError):
    """A merge or split that cannot be done, worded for the person asking."""


def assign_groups(tx: Transaction, question_ids: Iterable[int] | None = None) -> int:
    """Give a group to each question that has none (all of them, or those of `question_ids`); return how many.

    Runs inside the caller's transaction. Distinct normalised wordings are matched once, then
    mapped back to their questions, so 400,000 questions asked in 100 wordings cost 100 matches.
    """
    if question_ids is None:
        questions = tx.query("grouping_ungrouped_questions")
    else:
        ids = [int(i) for i in question_ids]
        if not ids:
            return 0
        questions = tx.query("grouping_ungrouped_questions_among", ids=ids)
    return _assign(tx, questions)


def assign_missing(db: Database) -> int:
    """Group any question still without a group (e.g. written before grouping existed); usually 0, and cheap."""
    if not db.scalar("grouping_ungrouped_count"):
        return 0
    with db.transaction() as tx:
        return assign_groups(tx)


def groups_before_edit(tx: Transaction, interview_id: int) -> pd.DataFrame:
    """The groups of an interview's questions by wording, read before an edit rewrites them."""
    return tx.query("grouping_members_of_interview", id=interview_id)


def group_interview(tx: Transaction, interview_id: int, previous: pd.DataFrame | None = None) -> int:
    """Group the questions of a just-written interview; a wording it had before keeps its group and pin."""
    ids = tx.query("grouping_questions_of_interview", id=interview_id).id.tolist()
    if not ids:
        return 0
    questions = tx.query("grouping_ungrouped_questions_among", ids=ids)
    carried = 0
    if previous is not None and not previous.empty and not questions.empty:
        # Keys stored by an older normaliser are normalised again (it is idempotent), so a wording
        # keeps its group and pin across a change of SYNONYMS or _WRAPPERS.
        previous = previous.assign(wording_key=normalise_all(previous.wording_key.astype(str)))
        kept = previous.sort_values("pinned", ascending=False).drop_duplicates("wording_key").set_index("wording_key")
        keys = pd.Series(normalise_all(questions.wording), index=questions.index)
        again = keys.isin(kept.index)
        if again.any():
            rows = kept.loc[keys[again]]
            tx.insert_frame("question_group_members", pd.DataFrame({
                "question_id": questions.id[again].to_numpy(dtype="int64"),
                "group_id": rows.group_id.to_numpy(dtype="int64"),
                "wording_key": keys[again].to_numpy(dtype=object),
                "pinned": rows.pinned.to_numpy(dtype=bool),
            }))
            carried = int(again.sum())
            questions = questions[~again]
    return carried + _assign(tx, questions)


def _assign(tx: Transaction, questions: pd.DataFrame) -> int:
    """Group `questions` (id, wording, category; none grouped yet) and store their memberships."""
    if questions.empty:
        return 0
    wording_codes, wordings = pd.factorize(questions.wording.astype(object))
    key_codes, keys = pd.factorize(np.array(normalise_all(wordings), dtype=object)[wording_codes])
    keys = list(keys)
    group_of_key, outside = _stored_groups(tx)
    new_keys = [key for key in keys if key not in group_of_key]
    labels = matcher().label(new_keys, list(outside.wording_key), [("group", int(g)) for g in outside.group_id])
    first_asked = pd.Series(np.arange(len(key_codes))).groupby(key_codes).first().to_numpy()
    position = {key: n for n, key in enumerate(keys)}
    group_of_key |= _groups_for_labels(tx, questions, new_keys, labels,
                                       [first_asked[position[key]] for key in new_keys])
    group_ids = np.array([group_of_key[key] for key in keys], dtype="int64")
    tx.insert_frame("question_group_members", pd.DataFrame({
        "question_id": questions.id.to_numpy(dtype="int64"),
        "group_id": group_ids[key_codes],
        "wording_key": pd.Categorical.from_codes(key_codes, keys),
        "pinned": False,
    }))
    return len(questions)


def _stored_groups(tx: Transaction) -> tuple[dict[str, int], pd.DataFrame]:
    """Where each stored wording counts now, and the stored out-of-bank wordings, oldest first.

    A wording asked again goes where it already is: where the user pinned it (the latest split),
    else to the group it is asked in most.
    """
    known = tx.query("grouping_known_wordings")
    known["preference"] = np.where(known.pinned, known.group_id, known.questions)
    exact = known.sort_values(["pinned", "preference"], ascending=False).drop_duplicates("wording_key")
    outside = known[known.intent.isna()].sort_values("first_question").drop_duplicates("wording_key")
    return dict(zip(exact.wording_key, exact.group_id.astype("int64").tolist())), outside


def _groups_for_labels(tx: Transaction, questions: pd.DataFrame, keys: list[str], labels: list,
                       first_rows: list[int]) -> dict[str, int]:
    """The group id of each newly labelled wording, creating the groups it needs.

    A bank intent gets one group (made the first time it is used); a new out-of-bank label gets
    a group named after the first question asked in it, filed under that question's category.
    """
    intent_groups = {intent: int(group) for intent, group in
                     tx.query("grouping_intent_groups")[["intent", "id"]].itertuples(index=False)}
    intent_of = {intent.key: intent for intent in matcher().intents}
    wanted_intents = sorted({label for label in labels if isinstance(label, str)} - set(intent_groups))
    wanted_labels = {label for label in labels if isinstance(label, (int, np.integer))}
    ids = iter(tx.new_ids("question_groups", len(wanted_intents) + len(wanted_labels)))
    rows = []   # new question_groups: id, canonical, category, intent
    for intent in wanted_intents:
        intent_groups[intent] = next(ids)
        rows.append((intent_groups[intent], intent_of[intent].canonical, intent_of[intent].category, intent))
    categories = questions.category.astype(object).to_numpy()
    label_groups: dict[int, int] = {}
    group_of_key = {}
    for key, label, row in zip(keys, labels, first_rows):
        if isinstance(label, str):
            group_of_key[key] = intent_groups[label]
        elif isinstance(label, tuple):             # ("group", id): joins a stored out-of-bank group
            group_of_key[key] = label[1]
        else:
            if label not in label_groups:
                label_groups[label] = next(ids)
                category = categories[row]
                rows.append((label_groups[label], questions.wording.iloc[row],
                             None if category is None or pd.isna(category) else str(category), None))
            group_of_key[key] = label_groups[label]
    if rows:
        tx.insert_frame("question_groups", pd.DataFrame(rows, columns=["id", "canonical", "category", "intent"]))
    return group_of_key


def merge_groups(db: Database, keep_group_id: int, other_group_id: int) -> int:
    """The user says two groups are one question: `other` counts under `keep` from now on; return keep's id.

    Stored as a pointer (`merged_into`), so questions the matcher puts in `other` later count
    under `keep` too. Merging a group with itself (or one already merged into it) changes nothing.
    """
    with db.transaction() as tx:
        keep, other = tx.query("grouping_group", id=int(keep_group_id)), tx.query("grouping_group", id=int(other_group_id))
        if keep.empty or other.empty:
            raise GroupingError("One of those question groups no longer exists; reload the page and pick again.")
        keep_id, other_id = int(keep.current_id.iloc[0]), int(other.current_id.iloc[0])
        if keep_id != other_id:
            tx.execute("grouping_merge", keep=keep_id, other=other_id)
        return keep_id


def split_question(db: Database, question_id: int) -> int:
    """Take one question out into a group of its own, pinned there for good; return the new group's id.

    The same wording asked later lands in this new group too (the user's latest choice for a
    wording wins); merging the new group back undoes the split.
    """
    with db.transaction() as tx:
        found = tx.query("grouping_question", id=int(question_id))
        if found.empty:
            raise GroupingError("That question no longer exists; reload the page and pick again.")
        row = found.iloc[0]
        category = cell_text(row.category) or cell_text(row.group_category) or None
        group_id = int(tx.scalar("grouping_insert_group", canonical=row.wording, category=category, made_by="split"))
        tx.execute("grouping_delete_membership", id=int(question_id))
        tx.execute("grouping_insert_membership", question_id=int(question_id), group_id=group_id,
                   wording_key=normalise(row.wording), pinned=True)
        return group_id


def groups_frame(db: Database) -> pd.DataFrame:
    """Every group with questions in it: group_id, canonical, category, n_questions (most asked first)."""
    return db.query("groups_frame")
