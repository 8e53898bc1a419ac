-- "Asked before?": nearest earlier questions, the user's decisions, the queue (lib/questions/).

-- name: asked_before_missing_vectors
-- Wordings with no vector yet, oldest first, each with the first text asked in that wording.
SELECT m.wording_key, arg_min(q.wording, q.id) AS wording
FROM question_group_members m
JOIN questions q ON q.id = m.question_id
WHERE NOT EXISTS (SELECT 1 FROM wording_vectors v WHERE v.wording_key = m.wording_key)
GROUP BY m.wording_key
ORDER BY min(q.id)
LIMIT $limit

-- name: asked_before_missing_count
SELECT count(DISTINCT m.wording_key)
FROM question_group_members m
WHERE NOT EXISTS (SELECT 1 FROM wording_vectors v WHERE v.wording_key = m.wording_key)

-- name: asked_before_vector_count
SELECT count(*) FROM wording_vectors

-- name: asked_before_vectors_of
SELECT wording_key, vector FROM wording_vectors WHERE wording_key IN (SELECT unnest($keys::TEXT[]))

-- name: asked_before_nearest
-- The stored wordings most like a vector, each with the group it counts in now (after merges) and
-- that group's bank intent; questions of the interview being edited do not count as earlier.
WITH nearest AS (
    SELECT v.wording_key, array_cosine_similarity(v.vector, $vector::FLOAT[384]) AS similarity
    FROM wording_vectors v
    ORDER BY similarity DESC
    LIMIT $limit
)
SELECT n.wording_key, o.group_id, g.intent, max(n.similarity) AS similarity
FROM nearest n
JOIN question_group_members m ON m.wording_key = n.wording_key
JOIN question_group_of o ON o.question_id = m.question_id
JOIN questions q ON q.id = m.question_id
JOIN question_groups g ON g.id = o.group_id
WHERE q.interview_id IS DISTINCT FROM $exclude_interview
GROUP BY ALL

-- name: asked_before_intent_group
-- The group (after merges) where a bank intent's questions count, if it has any earlier question.
SELECT o.group_id, list(DISTINCT m.wording_key) AS wording_keys
FROM question_groups g
JOIN question_group_members m ON m.group_id = g.id
JOIN question_group_of o ON o.question_id = m.question_id
JOIN questions q ON q.id = m.question_id
WHERE g.intent = $intent AND q.interview_id IS DISTINCT FROM $exclude_interview
GROUP BY o.group_id
ORDER BY count(*) DESC
LIMIT 1

-- name: asked_before_group_details
-- Per group: its shown wording, how often and how well it was answered, every wording, and the
-- latest time it was asked (where, when, the score and the answer noted then).
WITH asked AS (
    SELECT o.group_id, q.id, q.wording, q.score, q.answer_note, i.starts_at, i.time_zone, a.company
    FROM question_group_of o
    JOIN questions q ON q.id = o.question_id
    JOIN interviews i ON i.id = q.interview_id
    JOIN applications a ON a.id = i.application_id
    WHERE o.group_id IN (SELECT unnest($ids::BIGINT[]))
      AND q.interview_id IS DISTINCT FROM $exclude_interview
)
SELECT s.group_id, g.canonical,
       count(*) AS times_asked,
       avg(s.score) AS avg_score,
       arg_max(s.score, (s.starts_at, s.id)) AS last_score,
       arg_max(s.wording, (s.starts_at, s.id)) AS last_wording,
       arg_max(s.answer_note, (s.starts_at, s.id)) AS last_answer,
       arg_max(s.company, (s.starts_at, s.id)) AS last_company,
       max(s.starts_at) AS last_asked_at,
       arg_max(s.time_zone, (s.starts_at, s.id)) AS last_time_zone,
       list(DISTINCT s.wording ORDER BY s.wording) AS variants
FROM asked s
JOIN question_groups g ON g.id = s.group_id
GROUP BY s.group_id, g.canonical

-- name: asked_before_decisions_for_wording
SELECT group_id, same FROM question_decisions WHERE wording_key = $key ORDER BY id

-- name: asked_before_wording_decisions
-- The user's answers for some wordings, oldest first, each with the group it names as it counts now.
SELECT d.wording_key, coalesce(g.merged_into, g.id) AS group_id, d.same
FROM question_decisions d JOIN question_groups g ON g.id = d.group_id
WHERE d.wording_key IN (SELECT unnest($keys::TEXT[]))
ORDER BY d.id

-- name: asked_before_current_groups
SELECT id, coalesce(merged_into, id) AS current_id FROM question_groups WHERE id IN (SELECT unnest($ids::BIGINT[]))

-- name: asked_before_insert_decision
INSERT INTO question_decisions (wording_key, other_group_id, group_id, same)
VALUES ($wording_key, $other_group_id, $group_id, $same)

-- name: asked_before_group_pair_decisions
SELECT group_id, other_group_id, same FROM question_decisions WHERE other_group_id IS NOT NULL

-- name: asked_before_all_vectors
-- Every stored wording with a vector, the group it counts in now (after merges), its bank
-- intent, and how the group has been answered: what the queue compares.
-- The current group is question_group_of's rule, coalesce(merged_into, id), written here because
-- the view joins the questions again (this query joins them once itself); the 384 floats of each
-- vector are joined to the hundred-odd wordings after grouping, not carried through 500,000
-- questions (0.47 s → 0.06 s at 100k interviews).
WITH stored AS (
    SELECT m.wording_key, arg_min(q.wording, q.id) AS wording, coalesce(g.merged_into, g.id) AS group_id
    FROM question_group_members m
    JOIN questions q ON q.id = m.question_id
    JOIN question_groups g ON g.id = m.group_id
    WHERE m.wording_key IN (SELECT wording_key FROM wording_vectors)
    GROUP BY m.wording_key, coalesce(g.merged_into, g.id)
)
SELECT s.wording_key, s.wording, s.group_id, t.intent, v.vector
FROM stored s
JOIN question_groups t ON t.id = s.group_id
JOIN wording_vectors v ON v.wording_key = s.wording_key

-- name: asked_before_group_scores
-- Per group (after merges): the interviews it was asked in and the sum and count of its scores.
-- (question_group_of's rule inline, as in asked_before_all_vectors: the questions joined once.)
WITH asked AS (
    SELECT coalesce(g.merged_into, g.id) AS group_id, q.interview_id, q.score
    FROM question_group_members m
    JOIN questions q ON q.id = m.question_id
    JOIN question_groups g ON g.id = m.group_id
)
SELECT a.group_id, c.canonical, count(DISTINCT a.interview_id) AS interviews,
       sum(a.score) AS score_sum, count(*) AS answers
FROM asked a
JOIN question_groups c ON c.id = a.group_id
GROUP BY a.group_id, c.canonical

-- name: asked_before_groups_of_wording
-- The groups (after merges) a stored wording counts in now.
SELECT DISTINCT o.group_id
FROM question_group_members m JOIN question_group_of o ON o.question_id = m.question_id
WHERE m.wording_key = $key

-- name: asked_before_wording_stats
-- Per stored wording and the group it counts in now: its interviews, and the sum and count of its scores.
-- (question_group_of's rule inline, as in asked_before_all_vectors: the questions joined once.)
SELECT m.wording_key, coalesce(g.merged_into, g.id) AS group_id, count(DISTINCT q.interview_id) AS interviews,
       sum(q.score) AS score_sum, count(*) AS answers
FROM question_group_members m
JOIN questions q ON q.id = m.question_id
JOIN question_groups g ON g.id = m.group_id
GROUP BY m.wording_key, coalesce(g.merged_into, g.id)

-- name: asked_before_answered_wordings
-- (wording, group as it counts now) pairs the user has answered, either way.
SELECT DISTINCT d.wording_key, coalesce(g.merged_into, g.id) AS group_id
FROM question_decisions d JOIN question_groups g ON g.id = d.group_id
WHERE d.wording_key IS NOT NULL

-- name: asked_before_move_wording
-- The questions in one wording that count in a group now, moved to another group and pinned there.
UPDATE question_group_members SET group_id = $new_group, pinned = true
WHERE wording_key = $key
  AND question_id IN (SELECT question_id FROM question_group_of WHERE group_id = $group_id)

-- name: asked_before_first_wording
-- The first question asked in a wording among those counting in a group: the new group is named after it.
SELECT q.wording, q.category
FROM question_group_members m
JOIN questions q ON q.id = m.question_id
JOIN question_group_of o ON o.question_id = m.question_id
WHERE m.wording_key = $key AND o.group_id = $group_id
ORDER BY q.id
LIMIT 1

-- name: asked_before_wording_count
SELECT count(DISTINCT wording_key) FROM question_group_members

-- name: asked_before_decided_keys
-- Which of these wordings the user has answered "Asked before?" about.
SELECT DISTINCT wording_key FROM question_decisions WHERE wording_key IN (SELECT unnest($keys::TEXT[]))

-- name: asked_before_forget_wording_decisions
-- A split or a merge by hand is the user's newest choice for a wording: older answers give way.
DELETE FROM question_decisions WHERE wording_key = $key

-- name: asked_before_forget_different_between
-- A merge by hand overrides earlier "different" answers between the two groups' wordings and them.
DELETE FROM question_decisions
WHERE NOT same AND group_id IN ($keep, $other)
  AND (wording_key IN (SELECT m.wording_key FROM question_group_members m
                       JOIN question_group_of o ON o.question_id = m.question_id WHERE o.group_id IN ($keep, $other))
       OR other_group_id IN ($keep, $other))
