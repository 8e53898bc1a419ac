-- "Asked before?" (lib/questions/suggestions.py): a vector per distinct wording, and the user's
-- own answers to "is this the same question?", which win over the matcher from then on.

-- One sentence-embedding vector per normalised wording (question_group_members.wording_key),
-- worked out once, after the questions are committed (lib/questions/index.py).
CREATE TABLE wording_vectors (
    wording_key TEXT PRIMARY KEY,
    vector      FLOAT[384] NOT NULL
);

CREATE SEQUENCE question_decisions_id_seq;

-- Each answer the user gave. Either a typed wording compared with an earlier group (Debrief
-- page), or two groups compared (the queue of possible repeats). `same` = true joins them: a
-- wording is then put in that group whenever it is saved; two groups are merged (merged_into).
-- `same` = false is never suggested again for that pair; for a wording, it also keeps the matcher
-- from putting it in that group when saved.
CREATE TABLE question_decisions (
    id             BIGINT PRIMARY KEY DEFAULT nextval('question_decisions_id_seq'),
    wording_key    TEXT,
    other_group_id BIGINT,
    group_id       BIGINT NOT NULL,
    same           BOOLEAN NOT NULL,
    decided_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((wording_key IS NULL) <> (other_group_id IS NULL))
);
