-- dlp-sla-bot schema, version 5: scheduled jobs, daily digests, escalation and reminder notices, snoozes.
-- Times are INTEGER epoch milliseconds (UTC). (Version 4 is the Teams conversation references.)

-- One row per run of a scheduled job. `slot` is the schedule time the run stands for; a slot runs at most once,
-- which is what makes catch-up after downtime run once and a second trigger of the same slot a no-op.
CREATE TABLE job_runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  job         TEXT    NOT NULL,
  slot        INTEGER NOT NULL,
  reason      TEXT    NOT NULL CHECK (reason IN ('scheduled', 'catch_up', 'start', 'manual')),
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  outcome     TEXT    NOT NULL CHECK (outcome IN ('running', 'ok', 'failed', 'skipped')),
  detail      TEXT,
  UNIQUE (job, slot)
) STRICT;

CREATE INDEX job_runs_job ON job_runs (job, slot);

-- A digest posted to one channel for one local day: at most one per channel and day.
CREATE TABLE digest_posts (
  surface    TEXT    NOT NULL,
  channel    TEXT    NOT NULL,
  local_date TEXT    NOT NULL,
  message_id TEXT    NOT NULL,
  posted_at  INTEGER NOT NULL,
  PRIMARY KEY (surface, channel, local_date)
) STRICT;

-- Escalation posts, escalation DMs and reminders: each sent once per incident and kind.
CREATE TABLE notices (
  source      TEXT    NOT NULL,
  incident_id TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('escalation_lead', 'escalation_dm', 'reminder')),
  surface     TEXT    NOT NULL,
  target      TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  PRIMARY KEY (source, incident_id, kind, surface, target),
  FOREIGN KEY (source, incident_id) REFERENCES incidents (source, id) ON DELETE CASCADE
) STRICT;

-- "Snooze reminders": mutes reminders to one person until `until`; never touches an SLA clock.
CREATE TABLE reminder_snoozes (
  surface      TEXT    NOT NULL,
  chat_user_id TEXT    NOT NULL,
  until        INTEGER NOT NULL,
  PRIMARY KEY (surface, chat_user_id)
) STRICT;

-- When an incident closed and when it stopped awaiting triage, for the digest's 24-hour counts, false-positive
-- rates and SLA compliance. Kept by triggers so every writer (scan, click, refresh) maintains them alike.
ALTER TABLE incidents ADD COLUMN closed_at INTEGER;
ALTER TABLE incidents ADD COLUMN left_triage_at INTEGER;

CREATE INDEX incidents_closed_at ON incidents (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX incidents_created_at ON incidents (created_at);

CREATE TRIGGER incidents_closed_on_insert AFTER INSERT ON incidents
WHEN NEW.status IN ('resolved', 'false_positive', 'dismissed')
BEGIN
  UPDATE incidents SET closed_at = COALESCE(NEW.updated_at, NEW.last_seen_at)
  WHERE source = NEW.source AND id = NEW.id;
END;

CREATE TRIGGER incidents_closed_on_update AFTER UPDATE OF status ON incidents
WHEN NEW.status <> OLD.status
BEGIN
  UPDATE incidents SET closed_at = CASE
      WHEN NEW.status IN ('resolved', 'false_positive', 'dismissed') THEN COALESCE(NEW.updated_at, NEW.last_seen_at)
      ELSE NULL END
  WHERE source = NEW.source AND id = NEW.id;
END;

CREATE TRIGGER incidents_left_triage AFTER UPDATE OF sla_state ON incidents
WHEN OLD.sla_state IS NOT NULL AND NEW.sla_state IS NULL
BEGIN
  UPDATE incidents SET left_triage_at = COALESCE(left_triage_at, NEW.updated_at, NEW.last_seen_at)
  WHERE source = NEW.source AND id = NEW.id;
END;

CREATE TRIGGER incidents_back_in_triage AFTER UPDATE OF sla_state ON incidents
WHEN OLD.sla_state IS NULL AND NEW.sla_state IS NOT NULL
BEGIN
  UPDATE incidents SET left_triage_at = NULL WHERE source = NEW.source AND id = NEW.id;
END;
