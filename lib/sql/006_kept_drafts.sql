-- Nothing typed is lost: the Debrief page keeps its unsaved form here (lib/debriefs.py, "kept
-- drafts") until it is saved or discarded. A kept draft is not an interview: nothing that counts,
-- charts or exports interviews reads this table.
--   slot 'new'            the debrief being written
--   slot 'interview:<id>' unsaved changes to a stored interview
CREATE TABLE debrief_drafts (
    slot      VARCHAR PRIMARY KEY,
    form      VARCHAR NOT NULL,        -- the form as JSON (lib/debriefs.py: draft_json / draft_from_json)
    kept_at   TIMESTAMPTZ NOT NULL
);

-- An optional e-mail address per interviewer, so the thank-you's mailto: link has a recipient.
ALTER TABLE interviewers ADD COLUMN email VARCHAR;

-- When an interview came in by a CSV import (NULL: typed on the Debrief page). The Today list
-- treats what was long overdue at import time as settled history (lib/actions.py).
ALTER TABLE interviews ADD COLUMN imported_at TIMESTAMPTZ;
