-- Your data (pages/7_Your_data.py): the catalog, snapshots, export and restore (lib/db.py, lib/export.py, lib/backup.py).
-- Queries with {placeholders} take a table name or a file path where DuckDB accepts no $parameter;
-- the caller fills them with lib.db.identifier() / lib.db.literal().

-- name: catalog_tables
SELECT table_name
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary AND NOT internal
ORDER BY table_name

-- name: catalog_columns
SELECT column_name, data_type
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $table
ORDER BY column_index

-- name: catalog_sequences
SELECT sequence_name, last_value
FROM duckdb_sequences()
WHERE database_name = current_database() AND schema_name = 'main'
ORDER BY sequence_name

-- name: table_has_rows
SELECT EXISTS (SELECT 1 FROM {table})

-- name: table_row_count
SELECT count(*) FROM {table}

-- name: attach_copy
ATTACH {path} AS {alias}

-- name: copy_database
COPY FROM DATABASE {source} TO {alias}

-- name: detach_copy
DETACH {alias}

-- name: export_table
-- Every row, in a stable order, as CSV with a header. {columns} renders instants in UTC.
COPY (SELECT {columns} FROM {table} ORDER BY ALL) TO {path} (FORMAT csv, HEADER)

-- name: count_query
SELECT count(*) FROM ({query})

-- name: restore_table
-- Read every cell as text (a quoted "" is the empty string, an empty cell is NULL) and cast it
-- to the column's type, so the CSV never has its types guessed.
INSERT INTO {table} ({names})
SELECT {casts}
FROM read_csv($path, header = true, all_varchar = true, allow_quoted_nulls = false,
              delim = ',', quote = '"', escape = '"')

-- name: delete_all_rows
DELETE FROM {table}

-- name: advance_sequence
SELECT max(nextval({sequence})) FROM range($steps)

-- name: export_applications
-- The applications file of docs/import-format.md (sample data left out: it is made up). lib/export.py
-- keeps the declared columns (lib/applications.py, APPLICATION_FIELDS), in their order, as text
-- (a date cast to text is YYYY-MM-DD).
SELECT *
FROM applications
WHERE NOT is_sample
ORDER BY applied_on, id

-- name: export_questions
-- The questions file of docs/import-format.md: one row per question; the interview's own
-- values on its first row only. interview_at and thank-you times are wall-clock time in $zone.
-- {interview_columns}: the interview's declared fields the file has (lib/importer.py,
-- FILE_INTERVIEW_FIELDS), each as `CASE WHEN q.nth = 1 THEN i.name END AS name`; lib/export.py
-- puts every column in the declared order, as text.
WITH people AS (
    SELECT interview_id,
           string_agg(CASE WHEN position IS NULL OR trim(position) = '' THEN name
                           ELSE name || ' (' || position || ')' END, '; ' ORDER BY seq) AS interviewer
    FROM interviewers GROUP BY interview_id
), items AS (
    SELECT interview_id,
           string_agg(item, '; ' ORDER BY seq) FILTER (WHERE kind = 'went_well') AS went_well,
           string_agg(item, '; ' ORDER BY seq) FILTER (WHERE kind = 'to_improve') AS to_improve
    FROM reflections GROUP BY interview_id
), thanks AS (
    -- Only when every thank-you went out: the import marks them all sent on the day given.
    SELECT interview_id, bool_and(sent_on IS NOT NULL) AS all_sent, max(sent_on) AS last_day,
           max(sent_at) AS last_instant, bool_and(sent_at IS NOT NULL) AS all_timed
    FROM thank_yous GROUP BY interview_id
), asked AS (
    SELECT q.*, row_number() OVER (PARTITION BY q.interview_id ORDER BY q.seq, q.id) AS nth,
           row_number() OVER (PARTITION BY q.interview_id, lower(regexp_replace(trim(q.wording), '\s+', ' ', 'g'))
                              ORDER BY q.seq, q.id) AS copy_number
    FROM questions q
)
SELECT a.company, a.role,
       strftime(timezone($zone, i.starts_at), '%Y-%m-%d %H:%M') AS interview_at,
       {interview_columns},
       CASE WHEN q.nth = 1 THEN p.interviewer END AS interviewer,
       q.wording AS question, q.answer_note AS answer, CAST(q.score AS VARCHAR) AS score,
       CASE WHEN q.nth = 1 THEN r.went_well END AS went_well,
       CASE WHEN q.nth = 1 THEN r.to_improve END AS to_improve,
       CASE WHEN q.nth = 1 AND t.all_sent THEN
            CASE WHEN t.all_timed THEN strftime(timezone($zone, t.last_instant), '%Y-%m-%d %H:%M')
                 ELSE strftime(t.last_day, '%Y-%m-%d') END END AS thank_you_sent_at,
       CASE WHEN q.nth = 1 AND NOT i.expected_response_is_default
            THEN strftime(i.expected_response_by, '%Y-%m-%d') END AS expected_response_by
FROM asked q
JOIN interviews i ON i.id = q.interview_id
JOIN applications a ON a.id = i.application_id
LEFT JOIN people p ON p.interview_id = i.id
LEFT JOIN items r ON r.interview_id = i.id
LEFT JOIN thanks t ON t.interview_id = i.id
WHERE NOT i.is_sample AND q.copy_number = 1
ORDER BY i.starts_at, i.id, q.seq, q.id

-- name: export_interviews_without_questions
SELECT count(*) FROM interviews i
WHERE NOT i.is_sample AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.interview_id = i.id)

-- name: export_sample_applications
SELECT count(*) FROM applications WHERE is_sample

-- name: export_repeated_questions
SELECT count(*) - count(DISTINCT (q.interview_id, lower(regexp_replace(trim(q.wording), '\s+', ' ', 'g'))))
FROM questions q JOIN interviews i ON i.id = q.interview_id
WHERE NOT i.is_sample

-- name: spreadsheet_safe_text
-- A text column as a CSV cell a spreadsheet will not run as a formula (lib/spreadsheet.py).
-- RE2 in DuckDB; a SQL literal keeps its backslashes, so \t and \r reach the regex as written.
CASE WHEN regexp_matches({column}, '^''*[=+\-@\t\r]') THEN '''' || {column} ELSE {column} END

-- name: spreadsheet_text_as_typed
-- The inverse of spreadsheet_safe_text: one quote comes off a quoted formula cell.
CASE WHEN regexp_matches({column}, '^''+[=+\-@\t\r]') THEN substr({column}, 2) ELSE {column} END

-- name: export_spreadsheet_query
-- The rows of another named query of these files as CSV for a spreadsheet: {columns} are its
-- columns through spreadsheet_safe_text.
COPY (SELECT {columns} FROM ({query})) TO {path} (FORMAT csv, HEADER)

-- name: create_schema_migrations
-- Debrief's record of the migrations applied (lib/db.py); created inside the first one's transaction.
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)

-- name: recorded_migrations
SELECT version, name FROM schema_migrations ORDER BY version

-- name: catalog_user_objects
-- Every table, view and sequence of the file, in any schema, but schema_migrations: a file that
-- holds any of these and records no migration was made by another program.
SELECT 'table' AS kind, CASE WHEN schema_name = 'main' THEN table_name ELSE schema_name || '.' || table_name END
FROM duckdb_tables()
WHERE database_name = current_database() AND NOT temporary AND NOT internal AND table_name <> 'schema_migrations'
UNION ALL
SELECT 'view', CASE WHEN schema_name = 'main' THEN view_name ELSE schema_name || '.' || view_name END
FROM duckdb_views()
WHERE database_name = current_database() AND NOT temporary AND NOT internal
UNION ALL
SELECT 'sequence', CASE WHEN schema_name = 'main' THEN sequence_name ELSE schema_name || '.' || sequence_name END
FROM duckdb_sequences()
WHERE database_name = current_database() AND NOT temporary
ORDER BY 1, 2
