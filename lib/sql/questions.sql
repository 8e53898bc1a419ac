-- Question groups (lib/questions/store.py, tables in 003_question_groups.sql).

-- name: grouping_ungrouped_questions
SELECT q.id, q.wording, q.category
FROM questions q
WHERE NOT EXISTS (SELECT 1 FROM question_group_members m WHERE m.question_id = q.id)
ORDER BY q.id

-- name: grouping_ungrouped_questions_among
SELECT q.id, q.wording, q.category
FROM questions q
WHERE q.id IN (SELECT unnest($ids::BIGINT[]))
  AND NOT EXISTS (SELECT 1 FROM question_group_members m WHERE m.question_id = q.id)
ORDER BY q.id

-- name: grouping_known_wordings
-- Every normalised wording already grouped: its own group's intent (NULL outside the bank), the
-- group it counts in now, whether the user pinned it there, and how often it was asked.
-- first_question orders them oldest first (lib.questions.matcher caches their vectors by that order).
SELECT m.wording_key, g.intent, coalesce(g.merged_into, g.id) AS group_id,
       bool_or(m.pinned) AS pinned, count(*) AS questions, min(m.question_id) AS first_question
FROM question_group_members m
JOIN question_groups g ON g.id = m.group_id
GROUP BY ALL

-- name: grouping_intent_groups
SELECT intent, id FROM question_groups WHERE intent IS NOT NULL AND made_by = 'matcher'

-- name: grouping_group
SELECT id, coalesce(merged_into, id) AS current_id, canonical, category FROM question_groups WHERE id = $id

-- name: grouping_merge
-- `other` and every group already merged into it now count under `keep`.
UPDATE question_groups SET merged_into = $keep WHERE id = $other OR merged_into = $other

-- name: grouping_question
SELECT q.id, q.wording, q.category, v.group_id, g.category AS group_category
FROM questions q
LEFT JOIN question_group_of v ON v.question_id = q.id
LEFT JOIN question_groups g ON g.id = v.group_id
WHERE q.id = $id

-- name: grouping_delete_membership
DELETE FROM question_group_members WHERE question_id = $id

-- name: grouping_insert_membership
INSERT INTO question_group_members (question_id, group_id, wording_key, pinned)
VALUES ($question_id, $group_id, $wording_key, $pinned)

-- name: grouping_insert_group
INSERT INTO question_groups (canonical, category, intent, made_by)
VALUES ($canonical, $category, NULL, $made_by)
RETURNING id

-- name: grouping_members_of_interview
SELECT m.wording_key, m.group_id, m.pinned
FROM question_group_members m JOIN questions q ON q.id = m.question_id
WHERE q.interview_id = $id

-- name: delete_question_groups_of
-- Before an interview's questions are deleted (or rewritten by an edit).
DELETE FROM question_group_members
WHERE question_id IN (SELECT id FROM questions WHERE interview_id = $id)

-- name: sample_delete_question_groups
DELETE FROM question_group_members
WHERE question_id IN (SELECT q.id FROM questions q JOIN interviews i ON i.id = q.interview_id WHERE i.is_sample)

-- name: grouping_questions_of_interview
SELECT q.id FROM questions q WHERE q.interview_id = $id ORDER BY q.seq

-- name: groups_frame
SELECT g.id AS group_id, g.canonical, g.category, count(*) AS n_questions
FROM question_group_of v JOIN question_groups g ON g.id = v.group_id
GROUP BY ALL
ORDER BY n_questions DESC, g.canonical, g.id

-- name: grouping_ungrouped_count
SELECT count(*) FROM questions q
WHERE NOT EXISTS (SELECT 1 FROM question_group_members m WHERE m.question_id = q.id)

-- name: grouping_group_count
SELECT count(*) FROM question_groups
