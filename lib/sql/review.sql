-- Review sessions (lib/review.py): the last review, the interviews since, practice attempts and
-- the improvement notes to tick off.

-- name: review_last
SELECT id, held_at, held_on, focus FROM reviews ORDER BY held_at DESC, id DESC LIMIT 1

-- name: review_before
-- The review held just before `held_at` (where a finished review's "since" starts).
SELECT id, held_at, held_on, focus FROM reviews
WHERE held_at < CAST($held_at AS TIMESTAMPTZ)
ORDER BY held_at DESC, id DESC LIMIT 1

-- name: review_get
SELECT id, held_at, held_on, focus FROM reviews WHERE id = $id

-- name: review_list
SELECT id, held_at, held_on, focus FROM reviews ORDER BY held_at DESC, id DESC

-- name: review_insert
INSERT INTO reviews (held_at, held_on, focus) VALUES ($held_at, $held_on, $focus) RETURNING id

-- name: review_window_scores
-- The interviews held in (since, until] (every one before `until` when since is NULL), each with
-- its local day and mean self-score; x is days since 2000-01-01, as in dashboard_score_trend.
WITH picked AS (
    SELECT i.id, CAST(timezone(i.time_zone, i.starts_at) AS DATE) AS day
    FROM interviews i
    WHERE ($since IS NULL OR i.starts_at > CAST($since AS TIMESTAMPTZ))
      AND i.starts_at <= CAST($until AS TIMESTAMPTZ)
),
means AS (
    SELECT p.id, date_diff('day', DATE '2000-01-01', p.day) AS x, avg(q.score) AS y
    FROM picked p JOIN questions q ON q.interview_id = p.id
    GROUP BY p.id, p.day
)
SELECT (SELECT count(*) FROM picked) AS held,
       count(*) AS interviews, avg(y) AS mean_score, min(x) AS first_x, max(x) AS last_x,
       CASE WHEN min(x) < max(x) THEN regr_slope(y, x) END AS slope,
       CASE WHEN min(x) < max(x) THEN regr_intercept(y, x) END AS intercept
FROM means

-- name: review_mean_before
-- The mean of the interview means up to `since`: what "since the last review" is compared with.
SELECT count(*) AS interviews, avg(y) AS mean_score
FROM (
    SELECT i.id, avg(q.score) AS y
    FROM interviews i JOIN questions q ON q.interview_id = i.id
    WHERE i.starts_at <= CAST($since AS TIMESTAMPTZ)
    GROUP BY i.id
)

-- name: practice_insert
INSERT INTO practice_attempts (group_id, wording, answer, score, practiced_at, practiced_on)
VALUES ($group_id, $wording, $answer, $score, $practiced_at, $practiced_on)
RETURNING id

-- name: practice_list
-- Practice attempts, newest first, with the group they count in after the user's merges.
SELECT p.id, coalesce(g.merged_into, p.group_id) AS group_id, p.wording, p.answer, p.score,
       p.practiced_at, p.practiced_on
FROM practice_attempts p
LEFT JOIN question_groups g ON g.id = p.group_id
WHERE $group_ids IS NULL
   OR list_contains(CAST($group_ids AS BIGINT[]), coalesce(g.merged_into, p.group_id))
ORDER BY p.practiced_at DESC, p.id DESC

-- name: practice_count_between
SELECT count(*) FROM practice_attempts
WHERE ($since IS NULL OR practiced_at > CAST($since AS TIMESTAMPTZ))
  AND practiced_at <= CAST($until AS TIMESTAMPTZ)

-- name: improvement_note_rows
-- Every "to improve" note of interviews held from `from_day` to `today` (local days), or of one
-- application whatever its age; lib/review.py folds equal notes together.
SELECT * FROM (
    SELECT r.interview_id, r.item, CAST(timezone(i.time_zone, i.starts_at) AS DATE) AS day,
           i.starts_at, i.application_id, a.company
    FROM reflections r
    JOIN interviews i ON i.id = r.interview_id
    JOIN applications a ON a.id = i.application_id
    WHERE r.kind = 'to_improve'
)
WHERE day <= CAST($today AS DATE)
  AND (($application_id IS NULL AND day >= CAST($from_day AS DATE)) OR application_id = $application_id)
ORDER BY starts_at DESC, interview_id

-- name: improvement_worked_on_rows
SELECT interview_id, note_key FROM improvements_worked_on
WHERE list_contains(CAST($interview_ids AS BIGINT[]), interview_id)

-- name: improvement_tick
INSERT INTO improvements_worked_on (interview_id, note_key, worked_on_at)
VALUES ($interview_id, $note_key, $worked_on_at)
ON CONFLICT DO NOTHING

-- name: improvement_untick
DELETE FROM improvements_worked_on WHERE interview_id = $interview_id AND note_key = $note_key

-- name: improvements_delete_of
-- When an interview is deleted, its ticks go with it.
DELETE FROM improvements_worked_on WHERE interview_id = $id

-- name: sample_delete_improvements
DELETE FROM improvements_worked_on WHERE interview_id IN (SELECT id FROM interviews WHERE is_sample)

-- name: sample_delete_reviews
-- Reviews held before any interview of the user's own was recorded were reviews of the sample.
DELETE FROM reviews r
WHERE NOT EXISTS (SELECT 1 FROM interviews i WHERE NOT i.is_sample AND i.created_at <= r.held_at)

-- name: sample_delete_practice
-- Practice on a question asked only in sample interviews (its group, merges followed, has no
-- question of the user's own) goes with the sample.
DELETE FROM practice_attempts p
WHERE p.group_id IS NOT NULL AND NOT EXISTS (
    SELECT 1
    FROM question_groups gp, question_group_members m
    JOIN question_groups gm ON gm.id = m.group_id
    JOIN questions q ON q.id = m.question_id
    JOIN interviews i ON i.id = q.interview_id
    WHERE gp.id = p.group_id AND NOT i.is_sample
      AND coalesce(gm.merged_into, gm.id) = coalesce(gp.merged_into, gp.id))
