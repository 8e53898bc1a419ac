-- name: insert_interview
-- {columns} and {values}: an interview's declared fields (lib/debriefs.py, INTERVIEW_FIELDS).
INSERT INTO interviews (application_id, starts_at, time_zone, expected_response_by, expected_response_is_default,
                        {columns}, is_sample)
VALUES ($application_id, $starts_at, $time_zone, $expected_response_by, $expected_response_is_default,
        {values}, $is_sample)
RETURNING id

-- name: update_interview
-- {assignments}: each declared field set from its $parameter.
UPDATE interviews
SET application_id = $application_id, starts_at = $starts_at, time_zone = $time_zone,
    expected_response_by = $expected_response_by,
    expected_response_is_default = $expected_response_is_default, {assignments}, updated_at = now()
WHERE id = $id

-- name: interview_exists
SELECT count(*) FROM interviews WHERE id = $id

-- name: get_interview
SELECT i.*, a.company, a.role
FROM interviews i JOIN applications a ON a.id = i.application_id
WHERE i.id = $id

-- name: interview_interviewers
SELECT id, name, position, email FROM interviewers WHERE interview_id = $id ORDER BY seq

-- name: interview_questions
SELECT id, wording, answer_note, score, category FROM questions WHERE interview_id = $id ORDER BY seq

-- name: interview_reflections
SELECT kind, item FROM reflections WHERE interview_id = $id ORDER BY kind, seq

-- name: interview_thank_yous
SELECT t.id, t.interviewer_id, lower(trim(p.name)) AS interviewer_key, t.channel, t.sent_at, t.sent_on
FROM thank_yous t LEFT JOIN interviewers p ON p.id = t.interviewer_id
WHERE t.interview_id = $id

-- name: delete_interviewers_of
DELETE FROM interviewers WHERE interview_id = $id

-- name: delete_questions_of
DELETE FROM questions WHERE interview_id = $id

-- name: delete_reflections_of
DELETE FROM reflections WHERE interview_id = $id

-- name: delete_thank_yous_of
DELETE FROM thank_yous WHERE interview_id = $id

-- name: detach_follow_ups_of
-- Follow-ups belong to the application; deleting one interview keeps them.
UPDATE follow_ups SET interview_id = NULL WHERE interview_id = $id

-- name: delete_interview
DELETE FROM interviews WHERE id = $id

-- name: count_interviews_of_application
SELECT count(*) FROM interviews WHERE application_id = $application_id

-- name: list_interviews
-- Interviews for the Interviews page: the applications with the most recent interviews first,
-- each application's rounds newest first. $search matches company or role; $max_applications
-- keeps the page light however long the history.
WITH matching AS (
    SELECT a.id, a.company, a.role, a.status, max(i.starts_at) AS last_interview_at
    FROM applications a JOIN interviews i ON i.application_id = a.id
    WHERE $search = '' OR a.company ILIKE '%' || $search || '%' OR a.role ILIKE '%' || $search || '%'
    GROUP BY ALL
    ORDER BY last_interview_at DESC
    LIMIT $max_applications
),
scores AS (
    SELECT q.interview_id, avg(q.score) AS mean_score, count(*) AS questions
    FROM questions q JOIN interviews i ON i.id = q.interview_id
    WHERE i.application_id IN (SELECT id FROM matching)
    GROUP BY q.interview_id
),
people AS (
    SELECT p.interview_id,
           string_agg(p.name || CASE WHEN coalesce(p.position, '') = '' THEN '' ELSE ' (' || p.position || ')' END,
                      ', ' ORDER BY p.seq) AS interviewers
    FROM interviewers p JOIN interviews i ON i.id = p.interview_id
    WHERE i.application_id IN (SELECT id FROM matching)
    GROUP BY p.interview_id
)
SELECT m.id AS application_id, m.company, m.role, m.status, m.last_interview_at,
       i.id AS interview_id, i.round, i.stage, i.format, i.starts_at, i.time_zone,
       i.expected_response_by, i.is_sample,
       coalesce(s.questions, 0) AS questions, s.mean_score, coalesce(pp.interviewers, '') AS interviewers
FROM matching m
JOIN interviews i ON i.application_id = m.id
LEFT JOIN scores s ON s.interview_id = i.id
LEFT JOIN people pp ON pp.interview_id = i.id
ORDER BY m.last_interview_at DESC, m.id, i.starts_at DESC, i.id DESC

-- name: keep_draft
INSERT OR REPLACE INTO debrief_drafts (slot, form, kept_at) VALUES ($slot, $form, $kept_at)

-- name: kept_draft
SELECT form, kept_at FROM debrief_drafts WHERE slot = $slot

-- name: discard_draft
DELETE FROM debrief_drafts WHERE slot = $slot
