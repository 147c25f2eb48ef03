-- dlp-sla-bot schema, version 11: an incident whose id is too long for a button (over 256 characters) is named on
-- its buttons and forms by a short key (src/domain/vendor-id.ts), which this column maps back to the id. Every
-- upsert writes it, so an incident stored before this version has its key after the next scan.

ALTER TABLE incidents ADD COLUMN short_key TEXT;

CREATE INDEX incidents_short_key ON incidents (source, short_key) WHERE short_key IS NOT NULL;
