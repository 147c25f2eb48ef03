-- dlp-sla-bot schema, version 2: what clicks record here. Times are INTEGER epoch milliseconds (UTC).
-- Still no snippet text, matched content or raw vendor payload anywhere: note text is what a person typed.

-- A card posted as a reply under a roll-up message lives in that message's thread.
ALTER TABLE postings ADD COLUMN thread_id TEXT;

-- One line for the thread reply ("Assigned to Alice by Bob — recorded here, not in …"); at most 500 characters.
ALTER TABLE outbox ADD COLUMN detail TEXT;

-- Triage the vendor cannot hold (no assign or false-positive API): kept here and laid over every rescan.
CREATE TABLE triage_local (
  source                TEXT    NOT NULL,
  incident_id           TEXT    NOT NULL,
  assignee_email        TEXT,
  assignee_display      TEXT,
  assignee_surface      TEXT,
  assignee_chat_user_id TEXT,
  assigned_by           TEXT,
  assigned_at           INTEGER,
  closure_status        TEXT    CHECK (closure_status IN ('false_positive')),
  closure_reason        TEXT,
  closed_by             TEXT,
  closed_at             INTEGER,
  PRIMARY KEY (source, incident_id),
  FOREIGN KEY (source, incident_id) REFERENCES incidents (source, id) ON DELETE CASCADE,
  CHECK ((assignee_display IS NULL) = (assigned_at IS NULL)),
  CHECK ((closure_status IS NULL) = (closed_at IS NULL))
) STRICT;

-- Notes for vendors without a note API.
CREATE TABLE local_notes (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  source      TEXT    NOT NULL,
  incident_id TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  author      TEXT    NOT NULL,
  text        TEXT    NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  FOREIGN KEY (source, incident_id) REFERENCES incidents (source, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX local_notes_incident ON local_notes (source, incident_id, at);

-- Clicks already handled, so a double click or a platform retry runs once. Rows older than a day are pruned.
CREATE TABLE action_requests (
  key        TEXT    NOT NULL PRIMARY KEY,
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX action_requests_created ON action_requests (created_at);
