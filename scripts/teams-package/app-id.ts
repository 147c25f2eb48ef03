import { createHash } from 'node:crypto';

/** RFC 4122 appendix C's URL namespace: the name below reads like one. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A name-based (v5, SHA-1) UUID, RFC 4122 §4.3: the same namespace and name always give the same id. */
function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The Teams app id when none is given: derived from the bot id, so packaging again for the same bot
 * produces an update of the same Teams app instead of a second app.
 */
export function defaultTeamsAppId(botId: string): string {
  return uuidV5(URL_NAMESPACE, `urn:dlp-sla-bot:teams-app:${botId.toLowerCase()}`);
}
