-- dlp-sla-bot schema, version 9: where each source's data came from. A store whose source id is later pointed at
-- another endpoint (the sandbox's simulator, then a real tenant) must not carry the old endpoint's incidents and
-- watermark into the new one; this is what lets the bot notice. Times are epoch milliseconds.

CREATE TABLE source_origins (
  source      TEXT    NOT NULL PRIMARY KEY,
  -- The registry key of the adapter (paloalto, symantec, …); NULL for the sandbox rows written below.
  vendor      TEXT,
  -- sha256 over vendor, API and endpoint: equal fingerprints mean the same vendor tenant.
  fingerprint TEXT    NOT NULL,
  -- For people: the base URL and the account it is read as, never a secret.
  endpoint    TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;

-- A store the sandbox wrote before origins were kept holds the sandbox anchor: its sources came from the built-in
-- simulators. Any other store's sources are adopted by their next scan, as configured.
INSERT INTO source_origins (source, vendor, fingerprint, endpoint, recorded_at)
  SELECT known.source, NULL, 'sandbox', 'the built-in sandbox simulator', CAST(unixepoch('subsec') * 1000 AS INTEGER)
  FROM (SELECT source FROM scan_state UNION SELECT DISTINCT source FROM incidents) AS known
  WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'sandbox.anchor');
