-- dlp-sla-bot schema, version 1. Times are INTEGER epoch milliseconds (UTC).
-- Nothing here holds snippet text, matched content or a raw vendor payload: only allowlisted Incident fields.

CREATE TABLE incidents (
  source         TEXT    NOT NULL,
  id             TEXT    NOT NULL,
  severity       TEXT    NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  status         TEXT    NOT NULL
                 CHECK (status IN ('new', 'open', 'in_review', 'resolved', 'false_positive', 'dismissed')),
  raw_status     TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER,
  policy         TEXT,
  actor          TEXT,
  channel        TEXT,
  application    TEXT,
  file_name      TEXT,
  match_count    INTEGER,
  assignee       TEXT,
  link           TEXT,
  -- sha256 of the incident as the source last reported it; equal hashes mean a rescan, not a change.
  content_hash   TEXT    NOT NULL,
  sla_state      TEXT    CHECK (sla_state IN ('ok', 'due_soon', 'breached', 'escalated')),
  sla_deadline   INTEGER,
  first_seen_at  INTEGER NOT NULL,
  last_seen_at   INTEGER NOT NULL,
  last_seen_scan TEXT    NOT NULL,
  PRIMARY KEY (source, id)
) STRICT;

-- Covers countBy (run after every scan) without reading the wide rows; status and SLA state rarely change.
CREATE INDEX incidents_source_status_sla ON incidents (source, status, sla_state);
CREATE INDEX incidents_severity_created ON incidents (severity, created_at);
-- Deliberately no index on last_seen_scan: every scan rewrites it on every row, so an index would be churned
-- 100k times per scan to speed up one query per full pass that the primary key's source prefix serves well.

-- One row per configured source: where incremental scans resume, and how the last scan went.
CREATE TABLE scan_state (
  source                TEXT    NOT NULL PRIMARY KEY,
  watermark             INTEGER,
  last_full_pass_at     INTEGER,
  scans_since_full_pass INTEGER NOT NULL DEFAULT 0,
  last_scan_at          INTEGER,
  last_outcome          TEXT    CHECK (last_outcome IN ('ok', 'failed')),
  last_error            TEXT
) STRICT;

-- The one parent message per incident per channel that later changes update in place.
CREATE TABLE postings (
  source             TEXT    NOT NULL,
  incident_id        TEXT    NOT NULL,
  surface            TEXT    NOT NULL,
  channel            TEXT    NOT NULL,
  message_id         TEXT    NOT NULL,
  posted_at          INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  last_rendered_hash TEXT,
  PRIMARY KEY (source, incident_id, surface, channel),
  FOREIGN KEY (source, incident_id) REFERENCES incidents (source, id) ON DELETE CASCADE
) STRICT;

-- Clicks arrive naming the message; this finds the incident behind it.
CREATE UNIQUE INDEX postings_message ON postings (surface, channel, message_id);

-- Announcements, written in the same transaction as the incident change that implies them.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  source          TEXT    NOT NULL,
  incident_id     TEXT    NOT NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('due_soon', 'breached', 'escalated', 'updated', 'closed')),
  dedupe_key      TEXT    NOT NULL UNIQUE,
  created_at      INTEGER NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  delivered_at    INTEGER,
  last_error      TEXT,
  FOREIGN KEY (source, incident_id) REFERENCES incidents (source, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_incident ON outbox (source, incident_id);

CREATE TABLE identities (
  surface      TEXT    NOT NULL,
  chat_user_id TEXT    NOT NULL,
  email        TEXT,
  display_name TEXT,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (surface, chat_user_id)
) STRICT;

CREATE INDEX identities_email ON identities (email);

CREATE TABLE vendor_users (
  email          TEXT NOT NULL,
  source         TEXT NOT NULL,
  vendor_user_id TEXT NOT NULL,
  PRIMARY KEY (email, source)
) STRICT;

CREATE TABLE settings (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Append-only and hash-chained: hash = sha256(prev_hash || "\n" || canonical JSON of the row's fields).
-- No CHECKs on surface/outcome on purpose: adding a value later must not mean rebuilding this table.
CREATE TABLE audit_events (
  seq            INTEGER PRIMARY KEY,
  at             INTEGER NOT NULL,
  actor          TEXT    NOT NULL,
  surface        TEXT    NOT NULL,
  action         TEXT    NOT NULL,
  source         TEXT,
  incident_id    TEXT,
  outcome        TEXT    NOT NULL,
  correlation_id TEXT,
  detail         TEXT    NOT NULL,
  prev_hash      TEXT    NOT NULL,
  hash           TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_incident ON audit_events (source, incident_id);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
