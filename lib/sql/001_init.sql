-- The first schema. Conventions:
--   * Ids come from sequences; bulk inserts take a block of ids with nextval() first.
--   * No FOREIGN KEY clauses: DuckDB cannot delete a child row and its parent in one
--     transaction while a foreign key links them ("key is still referenced"), and editing or
--     deleting an interview must be one transaction. lib/ keeps the references whole instead.
--   * Instants are TIMESTAMPTZ (stored as UTC); the zone the user entered them in is kept
--     beside them so the local wall-clock time can be shown again.

CREATE SEQUENCE applications_id_seq;
CREATE SEQUENCE interviews_id_seq;
CREATE SEQUENCE interviewers_id_seq;
CREATE SEQUENCE questions_id_seq;
CREATE SEQUENCE reflections_id_seq;
CREATE SEQUENCE thank_yous_id_seq;
CREATE SEQUENCE follow_ups_id_seq;

CREATE TABLE applications (
    id          BIGINT PRIMARY KEY DEFAULT nextval('applications_id_seq'),
    company     VARCHAR NOT NULL CHECK (length(trim(company)) BETWEEN 1 AND 200),
    role        VARCHAR NOT NULL DEFAULT '' CHECK (length(role) <= 200),
    source      VARCHAR,
    applied_on  DATE NOT NULL,
    status      VARCHAR NOT NULL DEFAULT 'applied' CHECK (status IN
                ('applied', 'screening', 'interviewing', 'offer',
                 'accepted', 'rejected', 'withdrawn', 'ghosted')),
    closed_on   DATE CHECK (closed_on IS NULL OR closed_on >= applied_on),
    notes       VARCHAR,
    is_sample   BOOLEAN NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE interviews (
    id                    BIGINT PRIMARY KEY DEFAULT nextval('interviews_id_seq'),
    application_id        BIGINT NOT NULL,
    round                 INTEGER CHECK (round BETWEEN 1 AND 50),
    stage                 VARCHAR,
    format                VARCHAR CHECK (format IN ('phone', 'video', 'onsite')),
    starts_at             TIMESTAMPTZ NOT NULL,
    time_zone             VARCHAR NOT NULL DEFAULT 'UTC',
    key_topics            VARCHAR,
    next_steps            VARCHAR,
    timeline_given        VARCHAR,
    may_follow_up         BOOLEAN,          -- NULL: not discussed
    expected_response_by  DATE,
    expected_response_is_default BOOLEAN NOT NULL DEFAULT false,
    is_sample             BOOLEAN NOT NULL DEFAULT false,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- "What went well" and "what to improve", one item per row so they can be counted over time.
CREATE TABLE reflections (
    id            BIGINT PRIMARY KEY DEFAULT nextval('reflections_id_seq'),
    interview_id  BIGINT NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('went_well', 'to_improve')),
    seq           INTEGER NOT NULL,
    item          VARCHAR NOT NULL CHECK (length(trim(item)) BETWEEN 1 AND 500)
);

CREATE TABLE interviewers (
    id            BIGINT PRIMARY KEY DEFAULT nextval('interviewers_id_seq'),
    interview_id  BIGINT NOT NULL,
    seq           INTEGER NOT NULL,
    name          VARCHAR NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    position      VARCHAR          -- the person's job title
);

CREATE TABLE questions (
    id            BIGINT PRIMARY KEY DEFAULT nextval('questions_id_seq'),
    interview_id  BIGINT NOT NULL,
    seq           INTEGER NOT NULL,
    wording       VARCHAR NOT NULL CHECK (length(trim(wording)) BETWEEN 1 AND 1000),
    answer_note   VARCHAR,
    score         INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    category      VARCHAR
);

-- One per interviewer (interviewer_id NULL: to the interview as a whole, e.g. from an import
-- without names). Due 24 hours after the interview starts: derived, never stored, so that
-- editing the start time cannot leave a stale deadline behind.
CREATE TABLE thank_yous (
    id             BIGINT PRIMARY KEY DEFAULT nextval('thank_yous_id_seq'),
    interview_id   BIGINT NOT NULL,
    interviewer_id BIGINT,
    channel        VARCHAR NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'handwritten', 'both')),
    sent_at        TIMESTAMPTZ,        -- when the time is known
    sent_on        DATE                -- the local day it went out (always set once sent)
);

CREATE TABLE follow_ups (
    id             BIGINT PRIMARY KEY DEFAULT nextval('follow_ups_id_seq'),
    application_id BIGINT NOT NULL,
    interview_id   BIGINT,
    followed_up_on DATE NOT NULL,
    channel        VARCHAR NOT NULL CHECK (channel IN ('email', 'phone', 'other')),
    note           VARCHAR,
    outcome        VARCHAR CHECK (outcome IN ('no_reply', 'replied', 'next_round', 'offer', 'rejected'))
);

CREATE TABLE settings (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);

-- No secondary indexes: DuckDB scans columns fast, and its ART indexes would only slow the
-- bulk loads (benchmarks/bench_foundation.py measures the pages at 100k interviews).
