"""The product's rules as values, in one place.

Code reads the time rules as `rules.NAME` when it runs (so a test can change one and see every
page, the report and the calendar follow); the statuses and limits, which no test changes, are
imported by name. SQL receives them as parameters (`$thank_you_within`,
`$closed_statuses`), never as literals; UI text formats them (`words.hours`). Settings a user
can change (the 2–3 target, when an application goes stale) live in `settings.py` instead.
"""
import datetime as dt

# -- time ------------------------------------------------------------------------------------------
# A thank-you is due this long after the interview starts: real hours, across daylight-saving changes.
THANK_YOU_WITHIN = dt.timedelta(hours=24)
# An overdue thank-you stays on the Today list this long after its deadline, then drops off.
THANK_YOU_OVERDUE_SHOWN_FOR = dt.timedelta(days=7)
# If no timeline was given, expect to hear within a working week.
DEFAULT_RESPONSE_BUSINESS_DAYS = 5
# After an unanswered follow-up, the next falls due this many business days later …
FOLLOW_UP_AGAIN_AFTER_BUSINESS_DAYS = 5
# … and after this many unanswered, Debrief suggests moving on.
MOVE_ON_AFTER_UNANSWERED = 2
# A follow-up of an imported interview due more than this before the import is settled history.
IMPORTED_SETTLED_AFTER = dt.timedelta(days=7)
# Interviews this close ahead are listed on Today.
UPCOMING_WITHIN = dt.timedelta(days=14)
# A thank-you "sent" this little in the future is a clock difference, not a mistake.
CLOCK_SLACK = dt.timedelta(minutes=5)

# -- applications ------------------------------------------------------------------------------------
STATUSES = ("applied", "screening", "interviewing", "offer", "accepted", "rejected", "withdrawn", "ghosted")
# An application is over once accepted, rejected, withdrawn or ghosted: it needs the day it ended.
# An offer not yet accepted or declined is still running (you negotiate, and keep the others
# going): it may carry a closing day but needs none (docs/report-json.md's example counts it).
CLOSED_STATUSES = ("accepted", "rejected", "withdrawn", "ghosted")
MAY_CLOSE_STATUSES = CLOSED_STATUSES + ("offer",)

# -- what a person may type ----------------------------------------------------------------------------
# Generous for notes, but a pasted 1 MB document is a mistake, not a note.
MAX_NAME = 200        # company, role, interviewer name and position
MAX_SHORT = 500       # stage, timeline, one went-well item, source
MAX_QUESTION = 1_000
MAX_NOTE = 10_000     # answer note, key topics, next steps, application notes
MAX_EMAIL = 254       # RFC 5321's limit on a forward path
SCORE_MIN, SCORE_MAX = 1, 10
ROUND_MIN, ROUND_MAX = 1, 50   # an interview round; more is a typing mistake
# Interview and application dates outside this window are typing mistakes (1900, 2999…).
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_YEARS_AHEAD = 2
