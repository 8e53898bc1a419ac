-- name: find_application
-- Company and role identify an application, whatever the case or surrounding spaces.
SELECT id FROM applications
WHERE lower(trim(company)) = lower(trim($company)) AND lower(trim(role)) = lower(trim($role))
ORDER BY id
LIMIT 1

-- name: insert_application
-- {columns} and {values}: an application's declared fields (lib/applications.py, APPLICATION_FIELDS).
INSERT INTO applications ({columns}, is_sample)
VALUES ({values}, $is_sample)
RETURNING id

-- name: update_application
-- {assignments}: each declared field set from its $parameter.
UPDATE applications
SET {assignments}, updated_at = now()
WHERE id = $id

-- name: mark_application_interviewing
-- Logging an interview moves an application that was only applied for (or screening) along.
UPDATE applications SET status = 'interviewing', updated_at = now()
WHERE id = $id AND status IN ('applied', 'screening')

-- name: get_application
SELECT * FROM applications WHERE id = $id

-- name: application_choices
-- For pickers: open applications first, newest first, at most $max_choices, plus $include_id.
SELECT id, company, role, status, closed_on IS NULL AS is_open
FROM applications
ORDER BY id = $include_id DESC, is_open DESC, applied_on DESC, id DESC
LIMIT $max_choices

-- name: list_applications
-- Every application with its interview count and last activity, most recent activity first.
WITH last_activity AS (
    SELECT application_id, max(day) AS last_activity_on FROM application_activity GROUP BY application_id
),
interview_counts AS (
    SELECT application_id, count(*) AS interviews FROM interviews GROUP BY application_id
)
SELECT a.id, a.company, a.role, a.status, a.applied_on, a.closed_on, a.source, a.notes,
       coalesce(c.interviews, 0) AS interviews, l.last_activity_on, a.is_sample
FROM applications a
LEFT JOIN interview_counts c ON c.application_id = a.id
LEFT JOIN last_activity l ON l.application_id = a.id
ORDER BY l.last_activity_on DESC, a.id DESC

-- name: active_applications_on
-- Active on $day (docs/import-format.md): applied on or before the day, not closed before
-- it, and some activity (application, interview, follow-up) in the last $stale_after_days days.
SELECT count(*) FROM applications a
WHERE a.applied_on <= $day
  AND (a.closed_on IS NULL OR a.closed_on >= $day)
  AND EXISTS (
      SELECT 1 FROM application_activity v
      WHERE v.application_id = a.id
        AND v.day <= $day
        AND v.day > $day - CAST($stale_after_days AS INTEGER)
  )

-- name: count_all
SELECT
    (SELECT count(*) FROM applications) AS applications,
    (SELECT count(*) FROM interviews) AS interviews,
    (SELECT count(*) FROM questions) AS questions,
    (SELECT count(*) FROM applications WHERE is_sample) AS sample_applications
