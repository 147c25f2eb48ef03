-- dlp-sla-bot schema, version 8: a DM whose update failed is retried at the next delivery runs instead of waiting
-- for its incident's next change (which never comes once the incident is closed). Times are epoch milliseconds.

-- `retry_at` is set while the DM shows an older card than its incident (NULL: up to date); `retry_attempts` counts
-- the failed updates since it last went through, so the retries stop after a bound.
ALTER TABLE direct_messages ADD COLUMN retry_attempts INTEGER NOT NULL DEFAULT 0 CHECK (retry_attempts >= 0);
ALTER TABLE direct_messages ADD COLUMN retry_at INTEGER;

CREATE INDEX direct_messages_retry ON direct_messages (retry_at) WHERE retry_at IS NOT NULL;
