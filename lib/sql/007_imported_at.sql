-- When an interview came in by a CSV import (NULL: typed on the Debrief page). The Today list
-- treats what was long overdue at import time as settled history (lib/actions.py).
ALTER TABLE interviews ADD COLUMN imported_at TIMESTAMPTZ;
