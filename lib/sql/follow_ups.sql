-- The action centre (lib/follow_ups.py, lib/drafts.py, lib/calendar_ics.py): thank-yous, follow-ups,
-- upcoming interviews. An interview's "day" is its local date in the zone it was entered in.

-- name: thank_you_statuses
-- The thank-you rule, written once: thank_you_status below and dashboard_thank_you_months read
-- from this (its text placed in their FROM by lib/follow_ups.py). In no set order, with starts_at.
-- One row per interview on or before $as_of: 'on_time' when any of its thank-yous went out
-- within $thank_you_within of the start (rules.THANK_YOU_WITHIN: 24 real hours; a date-only one:
-- within $thank_you_days days of the interview's day, so 24 hours give that day or the next),
-- 'late' when some went out but none in time, 'not_sent' when none is recorded by $as_of.
WITH interview_days AS (
    SELECT id, starts_at, CAST(timezone(time_zone, starts_at) AS DATE) AS starts_on FROM interviews
),
sent AS (
    SELECT t.interview_id,
           bool_or(CASE WHEN t.sent_at IS NOT NULL THEN t.sent_at <= d.starts_at + $thank_you_within
                        ELSE t.sent_on <= d.starts_on + $thank_you_days END) AS any_on_time
    FROM thank_yous t JOIN interview_days d ON d.id = t.interview_id
    WHERE (t.sent_on IS NOT NULL OR t.sent_at IS NOT NULL)
      AND coalesce(t.sent_on, CAST(timezone('UTC', t.sent_at) AS DATE)) <= $as_of
    GROUP BY t.interview_id
)
SELECT d.id AS interview_id, d.starts_on, d.starts_at,
       CASE WHEN s.any_on_time THEN 'on_time' WHEN s.interview_id IS NOT NULL THEN 'late' ELSE 'not_sent' END AS status
FROM interview_days d LEFT JOIN sent s ON s.interview_id = d.id
WHERE d.starts_on <= $as_of

-- name: thank_you_status
-- thank_you_statuses, by the interview's local day.
SELECT interview_id, starts_on, status
FROM (
{statuses}
)
ORDER BY starts_on, interview_id

-- name: follow_up_state
-- Per application still open on $as_of (or closed on or after $closed_since): its latest
-- interview on or before $as_of, the response date expected from it, and the follow-ups logged
-- since that interview's day: how many, how many unanswered (no outcome, or no_reply), how many
-- answered (any other outcome), and the day of the last unanswered one. Days are in the user's
-- zone $zone, like $as_of and the days follow-ups are logged on: an interview abroad that has
-- started by the end of the user's day counts, whatever the date where it took place.
-- imported_at / imported_on: when that interview came in by an import (NULL: typed).
WITH latest AS (
    SELECT i.id, i.application_id, i.starts_at, i.time_zone, i.expected_response_by, i.may_follow_up,
           i.imported_at, CAST(timezone($zone, i.starts_at) AS DATE) AS starts_on,
           row_number() OVER (PARTITION BY i.application_id ORDER BY i.starts_at DESC, i.id DESC) AS newest
    FROM interviews i
    WHERE CAST(timezone($zone, i.starts_at) AS DATE) <= $as_of
),
logged AS (
    SELECT l.application_id,
           count(*) AS follow_ups,
           count(*) FILTER (WHERE coalesce(f.outcome, 'no_reply') = 'no_reply') AS unanswered,
           count(*) FILTER (WHERE coalesce(f.outcome, 'no_reply') <> 'no_reply') AS replies,
           max(f.followed_up_on) FILTER (WHERE coalesce(f.outcome, 'no_reply') = 'no_reply') AS last_unanswered_on
    FROM latest l
    JOIN follow_ups f ON f.application_id = l.application_id
                     AND f.followed_up_on >= l.starts_on AND f.followed_up_on <= $as_of
    WHERE l.newest = 1
    GROUP BY l.application_id
),
people AS (
    SELECT interview_id, string_agg(name, ', ' ORDER BY seq) AS interviewers FROM interviewers GROUP BY interview_id
)
SELECT a.id AS application_id, a.company, a.role, a.status,
       (a.closed_on IS NULL OR a.closed_on > $as_of) AS is_open,
       l.id AS interview_id, l.starts_at, l.time_zone, l.starts_on, l.expected_response_by AS expected_by,
       l.may_follow_up, coalesce(p.interviewers, '') AS interviewers,
       l.imported_at, CAST(timezone($zone, l.imported_at) AS DATE) AS imported_on,
       coalesce(g.follow_ups, 0) AS follow_ups, coalesce(g.unanswered, 0) AS unanswered,
       coalesce(g.replies, 0) AS replies, g.last_unanswered_on
FROM applications a
JOIN latest l ON l.application_id = a.id AND l.newest = 1
LEFT JOIN logged g ON g.application_id = a.id
LEFT JOIN people p ON p.interview_id = l.id
WHERE a.closed_on IS NULL OR a.closed_on >= $closed_since
ORDER BY l.expected_response_by, a.id

-- name: pending_thank_yous
-- Thank-yous not yet sent for interviews that have started by $now, whose deadline (the start +
-- $thank_you_within) is at or after $shown_from (older ones are no longer worth a reminder).
SELECT t.id AS thank_you_id, t.interview_id, t.interviewer_id, coalesce(p.name, '') AS interviewer,
       coalesce(p.position, '') AS position, t.channel, i.starts_at, i.time_zone,
       i.starts_at + $thank_you_within AS due_at, a.id AS application_id, a.company, a.role
FROM thank_yous t
JOIN interviews i ON i.id = t.interview_id
JOIN applications a ON a.id = i.application_id
LEFT JOIN interviewers p ON p.id = t.interviewer_id
WHERE t.sent_on IS NULL AND t.sent_at IS NULL
  AND i.starts_at <= $now
  AND i.starts_at + $thank_you_within >= $shown_from
ORDER BY due_at, i.id, p.seq NULLS FIRST, t.id

-- name: upcoming_interviews
SELECT i.id AS interview_id, a.id AS application_id, a.company, a.role, i.round, i.stage, i.format,
       i.starts_at, i.time_zone,
       coalesce((SELECT string_agg(p.name, ', ' ORDER BY p.seq) FROM interviewers p WHERE p.interview_id = i.id), '')
           AS interviewers
FROM interviews i JOIN applications a ON a.id = i.application_id
WHERE i.starts_at > $now AND i.starts_at <= $until
ORDER BY i.starts_at, i.id

-- name: get_thank_you
SELECT t.id, t.interview_id, t.interviewer_id, t.channel, t.sent_at, t.sent_on, i.starts_at, i.time_zone
FROM thank_yous t JOIN interviews i ON i.id = t.interview_id
WHERE t.id = $id

-- name: mark_thank_you_sent
UPDATE thank_yous SET channel = $channel, sent_at = $sent_at, sent_on = $sent_on WHERE id = $id

-- name: insert_follow_up
INSERT INTO follow_ups (application_id, interview_id, followed_up_on, channel, note, outcome)
VALUES ($application_id, $interview_id, $followed_up_on, $channel, $note, $outcome)
RETURNING id

-- name: interview_of_application
SELECT count(*) FROM interviews WHERE id = $interview_id AND application_id = $application_id

-- name: latest_interview_day_of_application
-- In the user's zone $zone, as follow_up_state counts days.
SELECT max(CAST(timezone($zone, starts_at) AS DATE)) FROM interviews
WHERE application_id = $application_id AND CAST(timezone($zone, starts_at) AS DATE) <= $on

-- name: latest_unanswered_follow_up
-- The follow-up a reply on $on answers: the newest one without a reply, since $since.
SELECT id FROM follow_ups
WHERE application_id = $application_id AND coalesce(outcome, 'no_reply') = 'no_reply'
  AND followed_up_on >= $since AND followed_up_on <= $on
ORDER BY followed_up_on DESC, id DESC
LIMIT 1

-- name: set_follow_up_outcome
UPDATE follow_ups SET outcome = $outcome WHERE id = $id

-- name: follow_up_diary
-- Every follow-up of one application, newest first, with the interview it followed.
SELECT f.id, f.followed_up_on, f.channel, coalesce(f.note, '') AS note, f.outcome, f.interview_id,
       i.round, i.starts_at, i.time_zone
FROM follow_ups f LEFT JOIN interviews i ON i.id = f.interview_id
WHERE f.application_id = $application_id
ORDER BY f.followed_up_on DESC, f.id DESC

-- name: recent_interviews
-- Interviews started by $now, newest first, for the thank-you draft picker.
SELECT i.id AS interview_id, a.company, a.role, i.round, i.stage, i.starts_at, i.time_zone
FROM interviews i JOIN applications a ON a.id = i.application_id
WHERE i.starts_at <= $now
ORDER BY i.starts_at DESC, i.id DESC
LIMIT $max_interviews

-- name: calendar_thank_yous
-- Interviews started since $since with their thank-yous: who is still to thank, and whether all are sent.
SELECT i.id AS interview_id, i.starts_at, i.time_zone, a.company, a.role,
       coalesce(string_agg(p.name, ', ' ORDER BY p.seq) FILTER (WHERE t.sent_on IS NULL AND t.sent_at IS NULL), '')
           AS to_thank,
       coalesce(string_agg(p.name, ', ' ORDER BY p.seq), '') AS interviewers,
       count(t.id) FILTER (WHERE t.sent_on IS NOT NULL OR t.sent_at IS NOT NULL) AS sent,
       count(t.id) AS thank_yous
FROM interviews i
JOIN applications a ON a.id = i.application_id
LEFT JOIN thank_yous t ON t.interview_id = i.id
LEFT JOIN interviewers p ON p.id = t.interviewer_id
WHERE i.starts_at >= $since
GROUP BY ALL
ORDER BY i.starts_at, i.id
