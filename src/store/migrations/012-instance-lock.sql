-- dlp-sla-bot schema, version 12: one writer per store. Times are epoch milliseconds.

-- Who writes this store now: at most one row. `holder` is a random token per process run, so a restarted process
-- with a recycled pid is still told apart; pid and host are for people and for the same-host liveness check.
CREATE TABLE instance_lock (
  id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  holder       TEXT    NOT NULL,
  command      TEXT    NOT NULL,
  pid          INTEGER NOT NULL,
  host         TEXT    NOT NULL,
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
) STRICT;

-- A row is leased by the process sending it, so two processes never send the same row; a lease past its expiry,
-- or one whose holder lost the instance lock, is free again.
ALTER TABLE outbox ADD COLUMN lease_holder TEXT;
ALTER TABLE outbox ADD COLUMN lease_expires_at INTEGER;

-- Which process run a job run belongs to, so a start marks as interrupted only the runs of a holder that is gone.
ALTER TABLE job_runs ADD COLUMN holder TEXT;

-- What a one-shot command asks the running `serve` to do (a scan), and its answer. The store is the channel:
-- it works in Socket Mode and in HTTP mode alike and needs no open port.
CREATE TABLE control_requests (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  kind         TEXT    NOT NULL CHECK (kind IN ('scan')),
  -- JSON: what the command line asked for (`{"full":true}`).
  args         TEXT    NOT NULL,
  -- "pid N on host H", for the log of the process that answers.
  requester    TEXT    NOT NULL,
  requested_at INTEGER NOT NULL,
  state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed', 'cancelled')),
  taken_by     TEXT,
  finished_at  INTEGER,
  -- JSON: the answer (a scan summary) or, when failed, {"error": "…"}.
  result       TEXT
) STRICT;

CREATE INDEX control_requests_pending ON control_requests (state, id);
