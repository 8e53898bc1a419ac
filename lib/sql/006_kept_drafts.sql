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
