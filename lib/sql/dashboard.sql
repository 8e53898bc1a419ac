-- The coaching dashboard and the report (lib/dashboard.py, lib/report.py).
--
-- Every query takes the same filters, each NULL for "all":
--   $start, $end   the interview's local date (the day the user saw on the clock), inclusive
--   $application_ids  BIGINT[] of applications (company and role)
--   $stages        VARCHAR[] of interview stages as typed ("Phone screen", "Final"…)
-- The filter block is repeated in each query on purpose: each query reads top to bottom on its own.
-- It picks the interviews first, dates included, before joining their questions: with the date
-- test after the join, DuckDB evaluated it per question (50 ms instead of 18 at 20k interviews).

-- name: dashboard_date_range
-- The first and last interview day, and how many interviews there are.
SELECT min(CAST(timezone(time_zone, starts_at) AS DATE)) AS first_day,
       max(CAST(timezone(time_zone, starts_at) AS DATE)) AS last_day,
       count(*) AS interviews
FROM interviews

-- name: dashboard_filter_applications
-- Applications with interviews, most recently interviewed first, at most $limit of them.
SELECT a.id AS application_id, a.company, a.role, max(i.starts_at) AS last_interview
FROM interviews i
JOIN applications a ON a.id = i.application_id
GROUP BY a.id, a.company, a.role
ORDER BY last_interview DESC, a.id DESC
LIMIT $limit

-- name: dashboard_filter_stages
-- The stages as typed, most used first.
SELECT stage FROM interviews
WHERE nullif(trim(stage), '') IS NOT NULL
GROUP BY stage
ORDER BY count(*) DESC, stage
LIMIT $limit

-- name: dashboard_picked_interviews
-- The interviews the dashboard's filters pick, each with its local day: $application_ids and
-- $stages (NULL: all), $start and $end (local days, inclusive; NULL: open). Written once: every
-- query below that takes the filters reads it as its `picked` (lib/dashboard.py, Filters.read).
SELECT * FROM (
    SELECT i.id, i.application_id, i.stage, i.starts_at, CAST(timezone(i.time_zone, i.starts_at) AS DATE) AS day
    FROM interviews i
    WHERE ($application_ids IS NULL OR list_contains(CAST($application_ids AS BIGINT[]), i.application_id))
      AND ($stages IS NULL OR list_contains(CAST($stages AS VARCHAR[]), i.stage))
)
WHERE ($start IS NULL OR day >= CAST($start AS DATE))
  AND ($end IS NULL OR day <= CAST($end AS DATE))

-- name: dashboard_interview_scores
-- One row per interview with at least one scored question: its local day and mean self-score.
WITH picked AS (
{picked}
)
SELECT p.id AS interview_id, p.day, a.company, a.role, p.stage,
       avg(q.score) AS mean_score, count(*) AS questions
FROM picked p
JOIN questions q ON q.interview_id = p.id
JOIN applications a ON a.id = p.application_id
GROUP BY p.id, p.day, a.company, a.role, p.stage
ORDER BY p.day, p.id

-- name: dashboard_daily_scores
-- Per local day: how many scored interviews and the sum of their mean self-scores. The score chart
-- pools these, so 100k interviews ship a few thousand rows rather than one row each with its labels.
WITH picked AS (
{picked}
),
means AS (
    SELECT p.day, avg(q.score) AS mean_score
    FROM picked p
    JOIN questions q ON q.interview_id = p.id
    GROUP BY p.id, p.day
)
SELECT day, count(*) AS interviews, sum(mean_score) AS score_sum
FROM means
GROUP BY day
ORDER BY day

-- name: dashboard_score_trend
-- The least-squares line through the per-interview mean scores against the interview's day
-- (docs/report-json.md), with how many interviews and their mean. x is days since
-- 2000-01-01; the slope is NULL until there are interviews on two different days.
WITH picked AS (
{picked}
),
means AS (
    SELECT p.id, date_diff('day', DATE '2000-01-01', p.day) AS x, avg(q.score) AS y
    FROM picked p
    JOIN questions q ON q.interview_id = p.id
    GROUP BY p.id, p.day
)
SELECT count(*) AS interviews, avg(y) AS mean_score, min(x) AS first_x, max(x) AS last_x,
       CASE WHEN min(x) < max(x) THEN regr_slope(y, x) END AS slope,
       CASE WHEN min(x) < max(x) THEN regr_intercept(y, x) END AS intercept
FROM means

-- name: dashboard_question_score_counts
-- How many answers got each score on each day, week (from Monday), month or year: the faint cloud
-- behind the interview means, by the finest of these that gives at most $max_points rows.
WITH picked AS (
{picked}
),
daily AS (
    SELECT p.day, q.score, count(*) AS answers
    FROM picked p
    JOIN questions q ON q.interview_id = p.id
    GROUP BY p.day, q.score
),
sizes AS (
    SELECT count(*) AS days,
           count(DISTINCT (date_trunc('week', day), score)) AS weeks,
           count(DISTINCT (date_trunc('month', day), score)) AS months
    FROM daily
)
SELECT CAST(CASE WHEN days <= $max_points THEN day
                 WHEN weeks <= $max_points THEN date_trunc('week', day)
                 WHEN months <= $max_points THEN date_trunc('month', day)
                 ELSE date_trunc('year', day) END AS DATE) AS day,
       score, sum(answers) AS answers
FROM daily, sizes
GROUP BY ALL
ORDER BY day, score

-- name: dashboard_category_scores
-- Mean self-score per question category and calendar month.
WITH picked AS (
{picked}
)
SELECT CAST(date_trunc('month', p.day) AS DATE) AS month,
       coalesce(nullif(trim(q.category), ''), 'uncategorised') AS category,
       avg(q.score) AS mean_score, count(*) AS answers
FROM picked p
JOIN questions q ON q.interview_id = p.id
GROUP BY ALL
ORDER BY month, category

-- name: dashboard_question_groups
-- Every group of questions (same question, any wording) asked in at least $min_times of the
-- filtered interviews. times_asked counts distinct interviews; last_score is the score in the
-- latest interview (the last one asked there when a question came up twice); recent_scores the
-- last 20, newest first; the canonical wording is the one used most (ties: the first asked).
-- One pass over the questions: the groups come from their two tables directly (the view
-- question_group_of would join the questions a second time), and asked_order is one number that
-- sorts as (starts_at, seq) does while seq < 1,000,000 (a debrief holds tens): DuckDB takes the
-- top 20 by a number several times faster than by a pair.
WITH picked AS (
{picked}
),
asked AS (
    SELECT coalesce(g.merged_into, g.id) AS group_id, q.interview_id, q.wording, q.score, q.category, p.day,
           p.starts_at, epoch_ms(p.starts_at) * 1000000 + q.seq AS asked_order
    FROM picked p
    JOIN questions q ON q.interview_id = p.id
    JOIN question_group_members m ON m.question_id = q.id
    JOIN question_groups g ON g.id = m.group_id
),
stats AS (
    SELECT group_id,
           count(DISTINCT interview_id) AS times_asked,
           count(*) AS answers,
           avg(score) AS avg_score,
           arg_max(score, asked_order) AS last_score,
           max(day) AS last_asked,
           min(day) AS first_asked,
           mode(category) AS category,
           arg_max(score, asked_order, 20) AS recent_scores
    FROM asked
    GROUP BY group_id
    HAVING count(DISTINCT interview_id) >= $min_times
),
wordings AS (
    SELECT a.group_id, trim(a.wording) AS wording, count(*) AS uses, min(a.starts_at) AS first_asked
    FROM asked a  -- every group: cheaper than narrowing to the recurring ones first (measured)
    GROUP BY a.group_id, trim(a.wording)
),
variants AS (
    SELECT group_id,
           arg_max(wording, (uses, -epoch(first_asked))) AS canonical,
           list(wording ORDER BY first_asked, wording) AS variants
    FROM wordings
    GROUP BY group_id
)
SELECT s.*, v.canonical, v.variants
FROM stats s JOIN variants v USING (group_id)

-- name: dashboard_group_answers
-- Every past answer in one group, newest first, with the interview's day and company.
WITH picked AS (
{picked}
)
SELECT q.id AS question_id, p.day, a.company, a.role, p.stage, q.wording, q.answer_note, q.score
FROM picked p
JOIN questions q ON q.interview_id = p.id
JOIN question_group_of g ON g.question_id = q.id
JOIN applications a ON a.id = p.application_id
WHERE g.group_id = $group_id
ORDER BY p.starts_at DESC, q.seq DESC

-- name: dashboard_active_changes
-- Active applications per day (docs/import-format.md) as +1/-1 changes, for a running sum.
-- Each activity keeps its application active from that day for $stale_after_days days;
-- overlapping spells are merged (gaps and islands), then clipped to applied_on..closed_on
-- (still active on the day it closes).
WITH spells AS (
    SELECT v.application_id, v.day AS starts, v.day + CAST($stale_after_days AS INTEGER) - 1 AS ends
    FROM application_activity v
),
ordered AS (
    SELECT *, max(ends) OVER (PARTITION BY application_id ORDER BY starts, ends
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM spells
),
islands AS (
    SELECT application_id, starts, ends,
           sum(CASE WHEN reach IS NULL OR starts > reach + 1 THEN 1 ELSE 0 END)
               OVER (PARTITION BY application_id ORDER BY starts, ends) AS island
    FROM ordered
),
merged AS (
    SELECT i.application_id,
           greatest(min(i.starts), any_value(a.applied_on)) AS starts,
           CASE WHEN any_value(a.closed_on) IS NULL THEN max(i.ends)
                ELSE least(max(i.ends), any_value(a.closed_on)) END AS ends
    FROM islands i
    JOIN applications a ON a.id = i.application_id
    GROUP BY i.application_id, i.island
)
SELECT day, sum(change) AS change FROM (
    SELECT starts AS day, 1 AS change FROM merged WHERE starts <= ends
    UNION ALL
    SELECT ends + 1 AS day, -1 AS change FROM merged WHERE starts <= ends
)
GROUP BY day
ORDER BY day

-- name: dashboard_reflection_kinds
-- The kinds of note (went_well, to_improve) in at least one picked interview: what the notes
-- section says while its charts are hidden, without counting anything.
WITH picked AS (
{picked}
)
SELECT DISTINCT r.kind
FROM picked p
JOIN reflections r ON r.interview_id = p.id

-- name: dashboard_any_activity
-- Whether any application has activity (application_activity): the running-at-once chart's empty state.
SELECT EXISTS (SELECT 1 FROM application_activity)

-- name: dashboard_reflections_by_month
-- How many interviews noted each went-well / to-improve item, per month, for the $top items of
-- each kind noted in most interviews (ties: by name). Items are compared without case or
-- surrounding spaces, and shown in the spelling most used in their busiest month (on a tie in
-- uses, the spelling that sorts first, capitals before small letters; in busy months, the first).
-- Each distinct text is keyed once (spellings: a few dozen rows, not one per note), so counting
-- the interviews works on numbers: half the time at 100k interviews.
WITH picked AS (
{picked}
),
spellings AS (
    SELECT kind, item, lower(trim(item)) AS item_key, trim(item) AS trimmed,
           dense_rank() OVER (ORDER BY kind, lower(trim(item))) AS key_id
    FROM (SELECT DISTINCT kind, item FROM reflections)
),
noted AS (
    SELECT r.interview_id, s.key_id, s.trimmed, CAST(date_trunc('month', p.day) AS DATE) AS month
    FROM picked p
    JOIN reflections r ON r.interview_id = p.id
    JOIN spellings s ON s.kind = r.kind AND s.item = r.item
),
per_month AS (
    SELECT key_id, month, count(*) AS interviews
    FROM (SELECT DISTINCT key_id, month, interview_id FROM noted)
    GROUP BY key_id, month
),
shown AS (
    SELECT key_id, month, arg_min(trimmed, (-uses, trimmed)) AS item
    FROM (SELECT key_id, month, trimmed, count(*) AS uses FROM noted GROUP BY key_id, month, trimmed)
    GROUP BY key_id, month
),
keys AS (
    SELECT DISTINCT kind, item_key, key_id FROM spellings
),
top AS (
    SELECT k.key_id, k.kind, k.item_key, arg_max(s.item, (n.interviews, -epoch(n.month))) AS item
    FROM per_month n
    JOIN shown s USING (key_id, month)
    JOIN keys k USING (key_id)
    GROUP BY k.key_id, k.kind, k.item_key
    QUALIFY row_number() OVER (PARTITION BY k.kind ORDER BY sum(n.interviews) DESC, k.item_key) <= $top
)
SELECT t.kind, t.item, n.month, n.interviews
FROM per_month n
JOIN top t USING (key_id)
ORDER BY t.kind, n.month, t.item_key

-- name: dashboard_thank_you_months
-- thank_you_statuses (lib/sql/follow_ups.sql, its text placed in the FROM) counted per month of the
-- interview's local day and status, with 'not_due' for an interview with nothing sent that started
-- at or after $window_opened_after (dashboard_thank_yous_not_due).
SELECT CAST(date_trunc('month', starts_on) AS DATE) AS starts_on,
       CASE WHEN status = 'not_sent' AND starts_at >= $window_opened_after THEN 'not_due' ELSE status END AS status,
       count(*) AS interviews
FROM (
{statuses}
)
GROUP BY ALL
ORDER BY starts_on, status

-- name: dashboard_thank_yous_not_due
-- Interviews whose thank-you window has not run out: they started at or after $window_opened_after
-- (now minus lib.rules.THANK_YOU_WITHIN; a thank-you sent exactly at the deadline is on time).
SELECT id AS interview_id FROM interviews WHERE starts_at >= $window_opened_after
