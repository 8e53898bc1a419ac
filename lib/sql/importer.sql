-- name: import_existing_applications
-- Every application with what the import needs to merge a spreadsheet row into it: its last
-- interview or follow-up day (for a closing day left blank) and whether it has an interview.
WITH per_application AS (
    SELECT application_id, max(day) AS last_activity_on, bool_or(kind = 'interview') AS has_interview
    FROM application_activity WHERE kind <> 'applied' GROUP BY application_id
)
SELECT a.*, p.last_activity_on, coalesce(p.has_interview, false) AS has_interview
FROM applications a LEFT JOIN per_application p ON p.application_id = a.id
ORDER BY a.id

-- name: import_existing_interviews
-- An interview is identified by its application and start instant.
SELECT id, application_id, starts_at FROM interviews
WHERE application_id IN (SELECT unnest($application_ids))

-- name: import_existing_questions
SELECT interview_id, wording, seq FROM questions
WHERE interview_id IN (SELECT unnest($interview_ids))

-- name: import_mark_interviewing
-- The set-based form of mark_application_interviewing, for every application an import touches.
UPDATE applications SET status = 'interviewing', updated_at = now()
WHERE id IN (SELECT unnest($ids)) AND status IN ('applied', 'screening')
