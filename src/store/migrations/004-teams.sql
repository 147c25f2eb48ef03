-- Where the Teams bot may post without being spoken to first (proactive messages): one Bot Framework
-- conversation reference per conversation, captured when the app is installed or first messaged.
CREATE TABLE conversation_refs (
  conversation_id   TEXT    NOT NULL PRIMARY KEY,
  -- personal, groupChat or channel: decides whether replies go in a thread.
  conversation_type TEXT    NOT NULL,
  -- For personal chats, the user's AAD object id, so private answers can find their chat.
  user_aad_id       TEXT,
  team_id           TEXT,
  -- A name people recognise in logs and `dlp-bot doctor` ("Security / DLP alerts"); display only.
  label             TEXT,
  -- The reference as JSON (service URL, tenant, bot and conversation ids); no message content.
  reference         TEXT    NOT NULL,
  updated_at        INTEGER NOT NULL
) STRICT;

CREATE INDEX conversation_refs_user ON conversation_refs (user_aad_id) WHERE user_aad_id IS NOT NULL;
