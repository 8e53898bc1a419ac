-- Everything that counts as activity on an application, one row per event and local day:
-- applying, each interview (on its local date), each follow-up. "Active" (docs/
-- import-format.md), "last activity" and the import's closing day all read it.
CREATE VIEW application_activity AS
SELECT id AS application_id, applied_on AS day, 'applied' AS kind FROM applications
UNION ALL
SELECT application_id, CAST(timezone(time_zone, starts_at) AS DATE), 'interview' FROM interviews
UNION ALL
SELECT application_id, followed_up_on, 'follow_up' FROM follow_ups;
