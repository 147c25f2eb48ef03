-- dlp-sla-bot schema, version 14: a new incident's closed_at is written by its INSERT (src/store/incidents.ts), not by
-- a trigger that UPDATEd every closed row again right after inserting it (bench scan-floor's inserts cost 40% less
-- without it). The INSERT is the only writer that adds incidents; the UPDATE trigger stays for status changes.

DROP TRIGGER incidents_closed_on_insert;
