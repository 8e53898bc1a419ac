-- Preparing for an interview (lib/prepare.py): one application's earlier rounds, the questions
-- asked there, the people met there, and its next scheduled interview. "Earlier" means started
-- at or before $now; "next" means started after it.

-- name: prepare_choices
-- For the picker: open applications (status not closed) first, those with an interview ahead at
-- the very top (soonest first), then by latest activity; closed ones last. At most $max_choices,
-- plus $include_id wherever it ranks.
WITH next_up AS (
    SELECT application_id, min(starts_at) AS next_at
    FROM interviews WHERE starts_at > CAST($now AS TIMESTAMPTZ)
    GROUP BY application_id
),
held AS (
    SELECT application_id, count(*) AS rounds_held
    FROM interviews WHERE starts_at <= CAST($now AS TIMESTAMPTZ)
    GROUP BY application_id
),
last_activity AS (
    SELECT application_id, max(day) AS last_activity_on FROM application_activity GROUP BY application_id
)
SELECT a.id, a.company, a.role, a.status,
       NOT list_contains($closed_statuses, a.status) AS is_open,
       n.next_at, coalesce(h.rounds_held, 0) AS rounds_held,
       coalesce(l.last_activity_on, a.applied_on) AS last_activity_on
FROM applications a
LEFT JOIN next_up n ON n.application_id = a.id
LEFT JOIN held h ON h.application_id = a.id
LEFT JOIN last_activity l ON l.application_id = a.id
QUALIFY row_number() OVER (ORDER BY is_open DESC, (is_open AND n.next_at IS NOT NULL) DESC, n.next_at,
                                    last_activity_on DESC, a.id DESC) <= $max_choices
     OR a.id = $include_id
ORDER BY is_open DESC, (is_open AND n.next_at IS NOT NULL) DESC, n.next_at, last_activity_on DESC, a.id DESC

-- name: prepare_application
SELECT id, company, role, status, applied_on, closed_on, source, notes,
       NOT list_contains($closed_statuses, status) AS is_open
FROM applications WHERE id = $id

-- name: prepare_rounds
-- The application's interviews held so far, oldest first, with their local day and mean score.
SELECT i.id AS interview_id, i.round, coalesce(i.stage, '') AS stage, i.format, i.starts_at, i.time_zone,
       CAST(timezone(i.time_zone, i.starts_at) AS DATE) AS day, coalesce(i.key_topics, '') AS key_topics,
       (SELECT count(*) FROM questions q WHERE q.interview_id = i.id) AS questions,
       (SELECT avg(q.score) FROM questions q WHERE q.interview_id = i.id) AS mean_score
FROM interviews i
WHERE i.application_id = $application_id AND i.starts_at <= CAST($now AS TIMESTAMPTZ)
ORDER BY i.starts_at, i.id

-- name: prepare_questions
-- Every question asked in the application's interviews held so far, round by round, with its group.
SELECT q.interview_id, q.id AS question_id, q.seq, q.wording, coalesce(q.answer_note, '') AS answer_note,
       q.score, q.category, g.group_id
FROM questions q
JOIN interviews i ON i.id = q.interview_id
LEFT JOIN question_group_of g ON g.question_id = q.id
WHERE i.application_id = $application_id AND i.starts_at <= CAST($now AS TIMESTAMPTZ)
ORDER BY i.starts_at, i.id, q.seq

-- name: prepare_interviewers
-- The people met in the application's interviews held so far, one row per person: names equal
-- once case and spacing are ignored are one person. The name as last written, the latest
-- position given, and each round they were in (oldest first); in the order first met.
WITH met AS (
    SELECT regexp_replace(lower(trim(p.name)), '\s+', ' ', 'g') AS person,
           trim(p.name) AS name, nullif(trim(p.position), '') AS position,
           p.seq, i.id AS interview_id, i.round, coalesce(i.stage, '') AS stage, i.starts_at,
           CAST(timezone(i.time_zone, i.starts_at) AS DATE) AS day
    FROM interviewers p
    JOIN interviews i ON i.id = p.interview_id
    WHERE i.application_id = $application_id AND i.starts_at <= CAST($now AS TIMESTAMPTZ)
)
SELECT person,
       arg_max(name, starts_at) AS name,
       arg_max(position, starts_at) FILTER (WHERE position IS NOT NULL) AS position,
       count(DISTINCT interview_id) AS times_met,
       list(DISTINCT struct_pack(starts_at := starts_at, round := round, stage := stage, day := day)) AS meetings,
       min(starts_at) AS first_met, arg_min(seq, starts_at) AS first_seq
FROM met
GROUP BY person
ORDER BY first_met, first_seq, name

-- name: prepare_next_interview
-- The application's next scheduled interview (the soonest after $now), with who is on it.
SELECT i.id AS interview_id, i.round, coalesce(i.stage, '') AS stage, i.format, i.starts_at, i.time_zone,
       coalesce(i.key_topics, '') AS key_topics,
       coalesce((SELECT string_agg(p.name || coalesce(' (' || nullif(trim(p.position), '') || ')', ''), ', '
                                   ORDER BY p.seq)
                 FROM interviewers p WHERE p.interview_id = i.id), '') AS interviewers
FROM interviews i
WHERE i.application_id = $application_id AND i.starts_at > CAST($now AS TIMESTAMPTZ)
ORDER BY i.starts_at, i.id
LIMIT 1
