-- Calibration: do self-scores predict moving to the next round? (lib/calibration.py, whose
-- docstring states the outcome rule in words).

-- name: calibration_outcomes
-- One row per scored interview held between $since (NULL: from the first) and $as_of, local days
-- inclusive, in no set order: its mean self-score and what came of it. The two queries below read
-- from it (lib/calibration.py places its text in their FROM), so the rule is written once, here.
-- The signals come from everything recorded: a later interview of the same application counts
-- even when it is only scheduled, so the window runs over every interview before the date test. Precedence, first match wins: a later interview
-- (it happened) > the latest definite answer to a follow-up linked to this interview > the
-- application's status, for its last interview > waiting.
WITH scored AS (
    SELECT interview_id, avg(score) AS mean_score
    FROM questions
    GROUP BY interview_id
),
ordered AS (
    SELECT i.id, i.application_id, i.round, i.stage, i.starts_at,
           CAST(timezone(i.time_zone, i.starts_at) AS DATE) AS day,
           -- Ties on starts_at are broken by id, so two interviews at the same instant still have an order.
           lead(i.id) OVER (PARTITION BY i.application_id ORDER BY i.starts_at, i.id) IS NOT NULL AS has_later
    FROM interviews i
),
answers AS (
    SELECT interview_id, arg_max(outcome, (followed_up_on, id)) AS answer
    FROM follow_ups
    WHERE interview_id IS NOT NULL AND outcome IN ('next_round', 'offer', 'rejected')
    GROUP BY interview_id
)
SELECT o.id AS interview_id, o.day, o.starts_at, a.company, a.role, o.round, o.stage, s.mean_score,
       CASE WHEN o.has_later THEN 'advanced'
            WHEN f.answer IN ('next_round', 'offer') THEN 'advanced'
            WHEN f.answer = 'rejected' THEN 'stopped'
            WHEN a.status IN ('offer', 'accepted') THEN 'advanced'
            WHEN a.status IN ('rejected', 'ghosted') THEN 'stopped'
            WHEN a.status = 'withdrawn' THEN 'withdrawn'
            ELSE 'waiting' END AS outcome
FROM ordered o
JOIN scored s ON s.interview_id = o.id
JOIN applications a ON a.id = o.application_id
LEFT JOIN answers f ON f.interview_id = o.id
WHERE o.day <= CAST($as_of AS DATE)
  AND ($since IS NULL OR o.day >= CAST($since AS DATE))

-- name: calibration_interview_outcomes
-- calibration_outcomes, oldest first (ties on the instant by id).
SELECT * EXCLUDE (starts_at)
FROM (
{outcomes}
)
ORDER BY day, starts_at, interview_id

-- name: calibration_outcome_counts
-- calibration_outcomes counted per outcome and mean self-score: all a count, an average, an
-- interval or a pooled chart needs. Mean scores are averages of a few whole scores, so 100,000
-- interviews come back as a few hundred rows.
SELECT outcome, mean_score, count(*) AS interviews
FROM (
{outcomes}
)
GROUP BY ALL
ORDER BY outcome, mean_score
