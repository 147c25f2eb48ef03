-- dlp-sla-bot schema, version 13: cards in doubt. A card is claimed here before it is sent and the claim is removed
-- in the transaction that records its posting (or when the platform certainly did not create it). A claim left
-- behind means the platform may hold a card the bot never recorded (a kill -9 mid-send, an answer lost, a timeout),
-- so the next attempt first looks for that card instead of posting a second one. Times are epoch milliseconds.

CREATE TABLE post_claims (
  source      TEXT    NOT NULL,
  incident_id TEXT    NOT NULL,
  surface     TEXT    NOT NULL,
  channel     TEXT    NOT NULL,
  -- The message whose thread the card was sent into (a card under a roll-up); NULL for a channel message.
  thread_id   TEXT,
  -- When the first attempt started: the platform's copy, if any, is not older than this (less clock skew).
  claimed_at  INTEGER NOT NULL,
  PRIMARY KEY (source, incident_id, surface, channel),
  FOREIGN KEY (source, incident_id) REFERENCES incidents (source, id) ON DELETE CASCADE
) STRICT;
