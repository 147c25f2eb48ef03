-- dlp-sla-bot schema, version 14: a new incident's closed_at is written by its INSERT (src/store/incidents.ts), not by
-- a trigger that UPDATEd every closed row again right after inserting it (a second write of 7 B-trees' row, ~10% of
-- a first scan's inserts). The INSERT is the only writer that adds incidents; the UPDATE trigger stays for changes.

DROP TRIGGER incidents_closed_on_insert;
