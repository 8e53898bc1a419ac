-- name: get_setting
SELECT value FROM settings WHERE key = $key

-- name: put_setting
INSERT OR REPLACE INTO settings (key, value) VALUES ($key, $value)
