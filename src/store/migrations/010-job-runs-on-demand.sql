-- dlp-sla-bot schema, version 10: only a schedule time runs at most once. A run on demand (`dlp-bot scan`, `/dlp
-- scan`) or at start is recorded at the moment it began, and two of those may begin in the same millisecond; the
-- old table-wide UNIQUE (job, slot) refused the second and the scan it stood for never ran.

CREATE TABLE job_runs_v10 (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  job         TEXT    NOT NULL,
  slot        INTEGER NOT NULL,
  reason      TEXT    NOT NULL CHECK (reason IN ('scheduled', 'catch_up', 'start', 'manual')),
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  outcome     TEXT    NOT NULL CHECK (outcome IN ('running', 'ok', 'failed', 'skipped')),
  detail      TEXT
) STRICT;

INSERT INTO job_runs_v10 (id, job, slot, reason, started_at, finished_at, outcome, detail)
  SELECT id, job, slot, reason, started_at, finished_at, outcome, detail FROM job_runs;
DROP TABLE job_runs;
ALTER TABLE job_runs_v10 RENAME TO job_runs;

CREATE INDEX job_runs_job ON job_runs (job, slot);
-- A schedule time of a job runs once, whether the trigger fired it or catch-up did.
CREATE UNIQUE INDEX job_runs_schedule_time ON job_runs (job, slot) WHERE reason IN ('scheduled', 'catch_up');
