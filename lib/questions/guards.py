"""The opposite guard: two questions on opposite sides of an axis are never grouped together.

`AXES` holds keyword patterns for the two sides of greatest strength/weakness, like/dislike,
best/worst manager, leaving/staying and the rest, and a last, general one: the valence of the
words (a lesson that went well / badly); `sides` says which side of each axis a normalised
wording takes, and `conflicts` which pairs (of wordings, or of a wording and an intent) are on
opposite sides. The matcher, the suggestions and the queue never pair what `conflicts` forbids.
"""
from __future__ import annotations

import re
import re._constants as _C
import re._parser as _sre_parser
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Axis:
    """Two opposite sides of a question; `scope` (if set) must appear for the axis to apply.

    A `for` match that lies inside an `against` match does not count, so "not good at" is a
    weakness and not also "good at". A `counted` axis takes the side with more matches (none on a
    tie); a `strict` one is also held against a neutral bank intent (see `conflicts`).
    """
    name: str
    for_side: str
    against_side: str
    scope: str | None = None
    counted: bool = False
    strict: bool = True

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


_POSITIVE = (r"\b(best|good (at|with)|great|greatest|well|proud\w*|enjoy\w*|love\w*|favourite|rewarding|satisf\w*|succe\w*|won|"
             r"win|wins|winning|prais\w*|compliment\w*|strongest|strengths?|easiest|easy|excel\w*|thriv\w*|"
             r"look forward|connected|smooth\w*|pleased|happ(y|iest)|positive|ideal|achiev\w*|highlight\w*|brilliant\w*|"
             r"beat|beats|(most )?effective|pulled (it )?off|over the line|got( [a-z]+){0,3}? right|made a (real |big )?difference|"
             r"gell\w*)\b")
_NEGATIVE = (r"\b(worst|bad|badly|poor\w*|regret\w*|least|hate\w*|dislike\w*|hardest|struggl\w*|fail\w*|mistakes?|wrong|"
             r"lost|lose|losing|complain\w*|complaint\w*|weak\w*|dread\w*|frustrat\w*|annoy\w*|toll|missed|disaster\w*|"
             r"unhapp\w*|negative|toxic|fell (flat|through)|backfir\w*|flop\w*|hard to|drain\w*|low point|lowlight\w*|"
             r"(most )?challenging|toughest|slipped( away)?|up the wall|never made it|wrong fit|"
             r"(could|did|does|do|would|was|were) not (manage to |quite )?(deliver|finish|close|make|get|succeed|work|go|"
             r"meet|hit|land|achieve|pay off|come off))\b")
# A positive word within three words after these reads as negative ("not very good at", "failed to achieve"),
# as does one before "least" ("enjoy the least").
_NEGATED = re.compile(r"(?<![a-z0-9])(not|never|no|nothing|least|fail(ed|s)? to|unable to|struggl\w* to|learning to)( [a-z0-9]+){0,3}? "
                      + _POSITIVE[2:] + r"|" + _POSITIVE + r" (the )?least\b")
# A negative word after "least" reads as positive ("the least challenging section").
_LEAST_NEGATIVE = re.compile(r"(?<![a-z0-9])least " + _NEGATIVE[2:])
# Where a word is not evaluative: "well behind target", "the right thing", "how well", "hard to find", "win back".
_NOT_EVALUATIVE = ((re.compile(r"(?<![a-z0-9])well (behind|below|above|over|under|ahead|before|after|into|beyond|known)\b"), r"\1"),
                   (re.compile(r"(?<![a-z0-9])(the )?right (thing|fit|person|candidate|time|way|choice|decision|now|away)\b"), r"\2"),
                   (re.compile(r"(?<![a-z0-9])(how) well\b|\b(hard to) (find|beat)\b|\b(win|wins|winning|won) back\b"), " "))

AXES = (
    Axis("strength/weakness",
         r"\b(strengths?|strong|strongest|excel\w*|superpower|best at|good at|great at|best quality)\b",
         r"\b(weakness\w*|weak|weakest|improve\w*|get better|((need|needs|have|has|want|like|got) to|still|currently) "
         r"(work|working) on|working on (improv\w*|yourself|getting)|development area|areas? (of|for|to) "
         r"develop\w*|struggle\w*|shortcomings?|flaws?|(not|least) (so |very |that )?(good|great|strong) at|bad at|worst at)\b"),
    Axis("like/dislike",
         r"\b((like|love|enjoy)\w* (most|best|about)|enjoy\w*|love|favourite|best part|most rewarding|satisfying|satisfaction)\b",
         r"\b(dislike\w*|(like|enjoy)\w* (the )?least|least (favourite|enjoy\w*|like\w*|satisf\w*|rewarding)|(not|never) (enjoy|like|love)\w*|"
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
         r"\b((?<!to )(?<!if )(?<!to be )(?<!if you are )succe\w*|achiev\w*|accomplish\w*|proud\w*|win|won|pleased|"
         r"(?<!not )(?<!never )(went|go|goes|going) (really |very |particularly )?well|(?<!not )(?<!never )worked out)\b",
         r"\b(fail\w*|mistakes?|wrong|errors?|regret\w*|setbacks?|badly|not go (to plan|well)|(not|never) succe\w*|"
         r"flop\w*|lost|backfir\w*|fell (flat|through)|(did|does) not work( out)?|disaster\w*)\b"),
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
         r"\b(met|hit|beat|made it|on (time|schedule|budget)|ahead of (schedule|time))\b",
         r"\b((?<!not )(?<!never )(?<!avoid )(?<!to )miss(ed|ing)?|(could|did|would) not (meet|deliver|make|hit|finish)|"
         r"fail\w* to (meet|deliver|hit|make)|overran|slipped|(ran|running|was|were|went) late|over budget)\b",
         # Not "targets": the bank asks about hitting and missing a target as one question.
         scope=r"\b(deadlines?|on time|timeframe|time frame|timescales?|schedule|budget|late)\b"),
    # Added with the development set of profession questions (docs/asked-before.md), as was the
    # outcome wording of success/failure ("went well", "worked out" / "flopped", "backfired").
    Axis("follow/bend the rules",
         r"\b((?<!not )(?<!never )(follow\w*|stick\w*( strictly)? to|stuck( strictly)? to|kept to|adher\w* to))\b",
         r"\b(bend\w*|bent|break\w*|broke|(not|never) follow\w*|ignor\w*|work\w* around|cut corners)\b",
         scope=r"\b(rules?|procedures?|polic(y|ies)|process(es)?|protocols?|guidelines?)\b"),
    Axis("work best with/hard to work with",
         r"\b(best|easiest|easy|enjoy\w*|most effectively|get on)\b",
         r"\b(hardest|hard|difficult\w*|challenging|clash\w*|rub\w* you up|wrong way|frustrat\w*|annoy\w*|"
         r"irritat\w*|struggle\w*)\b",
         scope=(r"\b(work(ing)? (best )?with|colleagues?|personalit\w*|(type|kind|sort)s? of (person|people|colleague)\w*)\b")),
    # Added after the fourth held-out set, whose opposites the keyword axes above mostly missed (30
    # of 89 pairs): a profession's own "a lesson that went well / badly", "a deal you won / lost",
    # "the most rewarding / most challenging thing about nursing". Evaluative words in general,
    # counted (more on one side wins), a positive word negated ("not very good at", "failed to
    # achieve", "least effective") counting as negative. Not strict: most bank intents are neutral
    # here and must still take a wording that says "good" or "bad" in passing.
    Axis("valence", _POSITIVE, _NEGATIVE, counted=True, strict=False),
)


def sides(keys: Iterable[str]) -> np.ndarray:
    """Per normalised wording and axis: 0 neither (or both) side, 1 the `for` side, 2 the `against` side.

    Each pattern runs once over the batch joined by newlines (no pattern crosses one, or looks
    past one); a match's offset tells its wording. A pattern runs only over the wordings that have
    a word holding one of the literal pieces every match of it holds (`_pieces`): most wordings
    take no side, and scanning the batch's distinct words for the pieces is far quicker than
    running the patterns over every wording. An axis with a scope runs its sides' patterns only
    over the wordings in scope (the others take neither side).
    """
    keys = list(keys)
    out = np.zeros((len(keys), len(AXES)), dtype=np.int8)
    if not keys:
        return out
    batch = _Batch(keys)
    for a, (axis, (for_side, against_side, scope)) in enumerate(zip(AXES, (axis.compiled() for axis in AXES))):
        # The wordings that may take a side: with a piece of either side's pattern (and in scope).
        maybe = batch.holding(for_side) | batch.holding(against_side)
        if axis.counted:
            where = np.flatnonzero(maybe)
            out[where, a] = _counted_sides([keys[n] for n in where], for_side, against_side)
            continue
        if scope is not None:
            where = np.flatnonzero(maybe & batch.holding(scope))
            part = _Batch([keys[n] for n in where])
            where = where[part.rows(part.spans(scope)[:, 0])]
        else:
            where = np.flatnonzero(maybe)
        if len(where):
            out[where, a] = _Batch([keys[n] for n in where]).sides(for_side, against_side)
    return out


class _Batch:
    """Wordings joined by newlines, where each starts, and (on demand) their distinct words."""

    def __init__(self, keys: list[str]):
        self.keys, self.count = keys, len(keys)
        self.text = "\n".join(keys)
        self.starts = np.cumsum([0] + [len(key) + 1 for key in keys[:-1]])
        self._words = None

    def spans(self, pattern: re.Pattern) -> np.ndarray:
        found = [m.span() for m in pattern.finditer(self.text)]
        return np.array(found, dtype=np.int64).reshape(-1, 2)

    def rows(self, offsets: np.ndarray) -> np.ndarray:
        """True for each wording holding one of `offsets`."""
        found = np.zeros(self.count, dtype=bool)
        found[np.searchsorted(self.starts, offsets, side="right") - 1] = True
        return found

    def sides(self, for_side: re.Pattern, against_side: re.Pattern) -> np.ndarray:
        """The side of one (not counted) axis per wording: 2 against, 1 for, 0 neither or both."""
        against, for_ = self.spans(against_side), self.spans(for_side)
        # A `for` match inside an `against` one ("good at" in "not good at") does not count.
        inside = np.searchsorted(against[:, 0], for_[:, 0], side="right") - 1
        covered = (inside >= 0) & (for_[:, 1] <= against[np.maximum(inside, 0), 1]) if len(against) else \
            np.zeros(len(for_), dtype=bool)
        is_against, is_for = self.rows(against[:, 0]), self.rows(for_[~covered, 0])
        return np.where(is_against & ~is_for, 2, np.where(is_for & ~is_against, 1, 0))

    def holding(self, pattern: re.Pattern) -> np.ndarray:
        """True for each wording that has a word holding one of `pattern`'s pieces (all if it has none)."""
        pieces = _pieces(pattern.pattern)
        if pieces is None:
            return np.ones(self.count, dtype=bool)
        if self._words is None:
            split = list(map(str.split, self.keys))
            ids, distinct = pd.factorize(np.array(list(chain.from_iterable(split)), dtype=object))
            row = np.repeat(np.arange(self.count), np.fromiter(map(len, split), dtype=np.int64, count=len(split)))
            self._words = (_Batch(list(distinct)) if len(distinct) else None, ids, row)
        words, ids, row = self._words
        found = np.zeros(self.count, dtype=bool)
        if words is not None:
            hit = words.rows(np.array([m.start() for m in pieces.finditer(words.text)], dtype=np.int64))
            found[row[hit[ids]]] = True
        return found


@lru_cache(maxsize=128)
def _pieces(pattern: str) -> re.Pattern | None:
    """A pattern matching any of a set of space-free literal pieces one of which every match of
    `pattern` holds (so a wording none of whose words holds one cannot match), or None."""
    required = _required(_sre_parser.parse(pattern))
    if required is None:
        return None
    pieces = {max(text.split(), key=len, default="") for text in required}
    if "" in pieces:
        return None
    return re.compile("|".join(map(re.escape, sorted(pieces, key=len, reverse=True))))


def _required(items) -> set[str] | None:
    """Literal strings one of which every match of the parsed sequence `items` holds, or None.

    Each part of a sequence is in every match, so any part's set will do: the one whose shortest
    string is longest. A branch needs a set for each alternative; a repeat one at least once."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, av in list(items) + [(None, None)]:
        if op is _C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        found = None
        if op is _C.SUBPATTERN:
            found = _required(av[-1])
        elif op is _C.ATOMIC_GROUP:
            found = _required(av)
        elif op is _C.BRANCH:
            alternatives = [_required(alternative) for alternative in av[1]]
            if all(alternative is not None for alternative in alternatives):
                found = set().union(*alternatives)
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _required(av[2])
        if found:
            candidates.append(found)
    return max(candidates, key=lambda strings: (min(map(len, strings)), -len(strings)), default=None)


def _counted_sides(keys: list[str], for_side: re.Pattern, against_side: re.Pattern) -> np.ndarray:
    """The side with more matches per wording (0 on a tie), once the words that are not evaluative
    are taken out and each negated positive word is made one negative mark."""
    text = "\n".join(keys)
    for pattern, replacement in _NOT_EVALUATIVE:
        text = pattern.sub(replacement, text)
    text = _LEAST_NEGATIVE.sub(" positive ", text)   # "positive" and "negative" are themselves on the sides
    text = _NEGATED.sub(" negative ", text)
    lengths = [len(line) + 1 for line in text.split("\n")]
    starts = np.cumsum([0] + lengths[:-1])

    def counts(pattern):
        offsets = [m.start() for m in pattern.finditer(text)]
        return np.bincount(np.searchsorted(starts, offsets, side="right") - 1, minlength=len(keys))

    for_, against = counts(for_side), counts(against_side)
    return np.where(for_ > against, 1, np.where(against > for_, 2, 0)).astype(np.int8)


def conflicts(left: np.ndarray, right: np.ndarray, *, strict: bool = False) -> np.ndarray:
    """(len(left), len(right)) True where the two are on opposite sides of some axis.

    `strict`: a `left` that takes a side also clashes with a `right` that takes none (on the axes
    that are `strict`). Used against
    bank intents: "What is the weakest part of your portfolio?" may not join an intent that is
    neutral about strengths, or its opposite "strongest part" could join the same one.
    """
    clash = np.zeros((len(left), len(right)), dtype=bool)
    # Most wordings take no side: only the rows that take one (and, unless strict, the columns
    # that take one) can clash, so the comparison runs on that corner alone.
    rows = np.flatnonzero((left != 0).any(axis=1))
    columns = np.arange(len(right)) if strict else np.flatnonzero((right != 0).any(axis=1))
    if not (len(rows) and len(columns)):
        return clash
    taking, taken = left[rows], right[columns]
    corner = np.zeros((len(rows), len(columns)), dtype=bool)
    for a in np.flatnonzero((taking != 0).any(axis=0)):
        l, r = taking[:, a][:, None], taken[:, a][None, :]
        corner |= (l != 0) & (l != r) & ((r != 0) | (strict and AXES[a].strict))
    clash[np.ix_(rows, columns)] = corner
    return clash

