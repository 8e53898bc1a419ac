"""Questions grouped by meaning: "Tell me about yourself" and "Walk me through your background" are one.

normalise.py reduces a wording to its key, guards.py keeps opposite questions apart, bank.py reads
the intents of bank.toml, matcher.py puts a wording in an intent or a group of its own, and
store.py keeps the groups in the database. The design and its measured figures: docs/grouping.md.
"""
from .bank import BANK, Intent
from .guards import AXES, Axis, conflicts, sides
from .matcher import Matcher, group_wordings
from .normalise import FRAME_WORDS, SYNONYMS, normalise, normalise_all, stem, topic_words
from .store import (GroupingError, assign_groups, assign_missing, group_interview, groups_before_edit, groups_frame,
                    merge_groups, split_question)

# The function `matcher()` is not re-exported: `lib.questions.matcher` stays the module (whose
# thresholds a benchmark sets); call `lib.questions.matcher.matcher()`.
__all__ = ["AXES", "BANK", "FRAME_WORDS", "SYNONYMS", "Axis", "GroupingError", "Intent", "Matcher", "assign_groups",
           "assign_missing", "conflicts", "group_interview", "group_wordings", "groups_before_edit", "groups_frame",
           "merge_groups", "normalise", "normalise_all", "sides", "split_question", "stem", "topic_words"]
