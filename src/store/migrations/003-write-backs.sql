-- Breached incidents the bot has marked in the vendor (or decided to leave alone), so each is marked once.
CREATE TABLE write_backs (
  source      TEXT    NOT NULL,
  incident_id TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  outcome     TEXT    NOT NULL CHECK (outcome IN ('written', 'skipped')),
  PRIMARY KEY (source, incident_id),
  FOREIGN KEY (source, incident_id) REFERENCES incidents (source, id) ON DELETE CASCADE
) STRICT;
