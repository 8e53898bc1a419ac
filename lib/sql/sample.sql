-- Sample data (lib/sample.py). Applications and interviews carry `is_sample`; their children
-- (reflections, interviewers, questions, thank-yous, follow-ups) are sample through their interview.

-- name: sample_exists
SELECT EXISTS (SELECT 1 FROM applications WHERE is_sample)
    OR EXISTS (SELECT 1 FROM interviews WHERE is_sample)

-- name: sample_mark_thank_yous_sent
UPDATE thank_yous SET sent_at = $sent_at, sent_on = $sent_on
WHERE interview_id = $interview_id

-- name: sample_insert_follow_up
INSERT INTO follow_ups (application_id, interview_id, followed_up_on, channel, note, outcome)
VALUES ($application_id, $interview_id, $followed_up_on, $channel, $note, $outcome)

-- name: sample_delete_thank_yous
DELETE FROM thank_yous WHERE interview_id IN (SELECT id FROM interviews WHERE is_sample)

-- name: sample_delete_interviewers
DELETE FROM interviewers WHERE interview_id IN (SELECT id FROM interviews WHERE is_sample)

-- name: sample_delete_questions
DELETE FROM questions WHERE interview_id IN (SELECT id FROM interviews WHERE is_sample)

-- name: sample_delete_reflections
DELETE FROM reflections WHERE interview_id IN (SELECT id FROM interviews WHERE is_sample)

-- name: sample_delete_follow_ups
-- Follow-ups on sample interviews, and any on a sample application that is about to go
-- (one with no interview of the user's own under it: see sample_adopt_applications).
DELETE FROM follow_ups
WHERE interview_id IN (SELECT id FROM interviews WHERE is_sample)
   OR application_id IN (
        SELECT a.id FROM applications a
        WHERE a.is_sample
          AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = a.id AND NOT i.is_sample))

-- name: sample_delete_interviews
DELETE FROM interviews WHERE is_sample

-- name: sample_delete_applications
-- Run after sample_delete_interviews: any interview still under a sample application is the user's.
DELETE FROM applications a
WHERE a.is_sample AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = a.id)

-- name: sample_adopt_applications
-- A sample application the user logged a real interview under is theirs now: deleting it would
-- orphan that interview, so it stays, no longer marked sample.
UPDATE applications SET is_sample = false, updated_at = now() WHERE is_sample

-- name: demo_table_rows
-- Rows in each table written by `python -m lib demo` (benchmarks/bench_demo.py reports them).
SELECT
    (SELECT count(*) FROM applications) AS applications,
    (SELECT count(*) FROM interviews) AS interviews,
    (SELECT count(*) FROM interviewers) AS interviewers,
    (SELECT count(*) FROM questions) AS questions,
    (SELECT count(*) FROM reflections) AS reflections,
    (SELECT count(*) FROM thank_yous) AS thank_yous,
    (SELECT count(*) FROM follow_ups) AS follow_ups
