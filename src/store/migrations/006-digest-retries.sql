-- dlp-sla-bot schema, version 6: same-day digest retries, kept here so a restart does not reset the daily cap.

-- One row per digest job and local day that needed a retry. `tries` counts retries claimed (a try is counted
-- before it posts, so one cut off by a crash still counts); `done` marks a digest that made it on a retry.
CREATE TABLE digest_retries (
  job        TEXT    NOT NULL,
  local_date TEXT    NOT NULL,
  tries      INTEGER NOT NULL CHECK (tries >= 0),
  done       INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
  PRIMARY KEY (job, local_date)
) STRICT;
