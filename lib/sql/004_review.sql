-- Review sessions (lib/review.py): when each review was held, the better answers practised, and
-- the improvement notes ticked off once worked on.

CREATE SEQUENCE reviews_id_seq;
CREATE SEQUENCE practice_attempts_id_seq;

-- One row per finished review. "Since the last review" starts at the latest `held_at`.
CREATE TABLE reviews (
    id        BIGINT PRIMARY KEY DEFAULT nextval('reviews_id_seq'),
    held_at   TIMESTAMPTZ NOT NULL,
    held_on   DATE NOT NULL,            -- the local day, in the user's time zone at the time
    focus     VARCHAR CHECK (focus IS NULL OR length(focus) <= 2000)  -- what to work on before the next one
);

-- A better answer written outside an interview, with its own self-score. Kept apart from the
-- scores given in interviews: the dashboard, the report and calibration read `questions` only.
CREATE TABLE practice_attempts (
    id            BIGINT PRIMARY KEY DEFAULT nextval('practice_attempts_id_seq'),
    group_id      BIGINT,               -- the question group practised (question_groups.id)
    wording       VARCHAR NOT NULL CHECK (length(trim(wording)) BETWEEN 1 AND 1000),  -- the question as practised
    answer        VARCHAR NOT NULL CHECK (length(trim(answer)) BETWEEN 1 AND 5000),
    score         INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    practiced_at  TIMESTAMPTZ NOT NULL,
    practiced_on  DATE NOT NULL         -- the local day
);

-- An improvement note ticked off once worked on. Keyed by interview and the note's normalised
-- text (lib.review.note_key), not by reflection id: editing a debrief rewrites its reflections.
CREATE TABLE improvements_worked_on (
    interview_id  BIGINT NOT NULL,
    note_key      VARCHAR NOT NULL,
    worked_on_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (interview_id, note_key)
);
