-- dlp-sla-bot schema, version 7: the reminder and escalation DMs that were sent, so they can be updated in place
-- when the incident's card changes (as channel cards are through `postings`). Times are epoch milliseconds (UTC).

-- One row per DM message. `channel` is the DM's own place (Slack: the D… channel from conversations.open; Teams:
-- the 1:1 conversation id), which an update needs; the person it went to is in `notices`.
CREATE TABLE direct_messages (
  surface     TEXT    NOT NULL,
  channel     TEXT    NOT NULL,
  message_id  TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('reminder', 'escalation')),
  source      TEXT    NOT NULL,
  incident_id TEXT    NOT NULL,
  sent_at     INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (surface, channel, message_id),
  FOREIGN KEY (source, incident_id) REFERENCES incidents (source, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX direct_messages_incident ON direct_messages (source, incident_id);
