-- The sentence model's part of the unattended grouping (lib/questions/joins.py): two out-of-bank
-- groups whose wordings are each other's nearest are joined (question_groups.merged_into, as a
-- merge by hand is). Each join is logged here, so the docs and a reader can tell the model's
-- joins from the user's; splitting a question out undoes one for that wording.
CREATE TABLE model_joins (
    group_id          BIGINT NOT NULL,     -- the group that now counts under into_group_id
    into_group_id     BIGINT NOT NULL,
    wording_key       TEXT NOT NULL,       -- the two wordings that were each other's nearest
    other_wording_key TEXT NOT NULL,
    similarity        DOUBLE NOT NULL,     -- their cosine
    joined_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
