-- Grouping questions by meaning (lib/grouping.py). A question belongs to one group, given when
-- it is saved, imported or generated; the user's merges and splits are stored here and win.

CREATE SEQUENCE question_groups_id_seq;

CREATE TABLE question_groups (
    id          BIGINT PRIMARY KEY DEFAULT nextval('question_groups_id_seq'),
    canonical   TEXT NOT NULL,      -- the wording shown for the group
    category    TEXT,               -- one of lib.debriefs.CATEGORIES, or NULL
    intent      TEXT,               -- the bank intent (lib/question_bank.py) it stands for; NULL outside the bank
    merged_into BIGINT,             -- set when the user merged this group into another: its questions count there
    made_by     TEXT NOT NULL DEFAULT 'matcher' CHECK (made_by IN ('matcher', 'split')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Which group each question was put in. `wording_key` is the normalised wording
-- (lib.grouping.normalise), so the same wording finds its group again; `pinned` marks a question
-- the user split out: nothing regroups it.
CREATE TABLE question_group_members (
    question_id BIGINT PRIMARY KEY,
    group_id    BIGINT NOT NULL,
    wording_key TEXT NOT NULL,
    pinned      BOOLEAN NOT NULL DEFAULT false
);

-- The current group of every question, after merges (merges are kept one level deep by
-- lib.grouping.merge_groups). Deleted questions drop out through the join.
CREATE VIEW question_group_of AS
SELECT m.question_id, coalesce(g.merged_into, g.id) AS group_id
FROM question_group_members m
JOIN questions q ON q.id = m.question_id
JOIN question_groups g ON g.id = m.group_id;
