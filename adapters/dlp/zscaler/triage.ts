import { adapterError } from '../../../src/domain/errors.js';
import { clipText } from '../../../src/domain/incident.js';
import { err, ok } from '../../../src/domain/result.js';
import { otherIncidentError } from '../../../src/domain/vendor-id.js';
import {
  type ActionReceipt,
  type Actor,
  SNIPPET_TEXT_CAP,
  type Snippet,
  type SourceResult,
  type VendorUser,
} from '../../../src/ports/index.js';
import { alreadyThere, holdsMarker, noteMarker, withMarker } from '../../../src/vendor-writes.js';
import { validated, type ZwaClient } from './client.js';
import type { ZscalerConfig } from './config.js';
import { statusOf, ZwaNotedIncident } from './schema.js';

/** ZWA documents no note limit; this keeps one click's note well inside any sane column. */
const NOTE_LIMIT = 4_000;
const MAX_SNIPPETS = 50;
const LABEL_LIMIT = 256;

/** How a note reads in ZWA's history: who, through what (the API key's owner is the one ZWA records). */
export function formatNote(text: string, by: Actor, label = 'Note'): string {
  const who = by.email ?? by.display;
  return `${label} by ${who} via dlp-bot: ${text}`;
}

const receipt = (recordedIn: ActionReceipt['recordedIn']) => ok<ActionReceipt>({ recordedIn });

/** A note with its idempotency marker (`src/vendor-writes.ts`), inside the note limit. */
function markedNote(id: string, text: string, by: Actor, at: Date, label = 'Note') {
  const marker = noteMarker({ incidentId: id, author: by.email ?? by.display, label, text, at });
  return { note: withMarker(formatNote(text, by, label), marker, NOTE_LIMIT), marker };
}

/** The incident as it stands before a note: whether a note holds `marker` (a retry) and whether it is a false positive. */
async function beforeNote(client: ZwaClient, id: string, marker: string) {
  const op = 'getIncident';
  const raw = await client.get(id);
  if (!raw.ok) return raw;
  const record = validated(ZwaNotedIncident, op, raw.value);
  if (!record.ok) return record;
  if (record.value.internalId !== id) return err(otherIncidentError(op));
  const { notes, status, resolution } = record.value;
  return ok({
    noted: (notes ?? []).some((n) => holdsMarker(n.body, marker)),
    falsePositive: statusOf(status, resolution) === 'false_positive',
  });
}

/** `POST /{id}/notes` adds a note every time it is sent, so the incident is read first: a retry adds nothing. */
export async function addNote(client: ZwaClient, id: string, text: string, by: Actor, at: Date) {
  const entry = markedNote(id, text, by, at);
  const before = await beforeNote(client, id, entry.marker);
  if (!before.ok) return before;
  if (before.value.noted) return alreadyThere();
  const result = await client.addNote(id, entry.note);
  return result.ok ? receipt('vendor') : result;
}

/** `POST /{id}/close` with `resolutionCode: FALSE_POSITIVE`; the reason goes in the close's own notes, once. */
export async function markFalsePositive(client: ZwaClient, id: string, reason: string, by: Actor, at: Date) {
  const entry = markedNote(id, reason || 'no reason given', by, at, 'Marked false positive');
  const before = await beforeNote(client, id, entry.marker);
  if (!before.ok) return before;
  if (before.value.noted && before.value.falsePositive) return alreadyThere();
  const result = await client.closeFalsePositive(id, before.value.noted ? undefined : entry.note);
  return result.ok ? receipt('vendor') : result;
}

/**
 * ZWA has no assignment API (`assignedAdmin` is read-only), so the assignment lives here. With `assigneeLabel`
 * configured, the assignee's email is also set as that label so the console shows it; the label must exist in
 * Setup > Labels. Either way the receipt says `local`: ZWA's own assignee has not changed, and the card says so.
 */
export async function assign(
  client: ZwaClient,
  config: Pick<ZscalerConfig, 'assigneeLabel'>,
  id: string,
  who: VendorUser,
): Promise<SourceResult<ActionReceipt>> {
  if (!config.assigneeLabel) {
    return err(adapterError('unsupported', 'the ZWA API cannot assign incidents (no assigneeLabel configured)'));
  }
  const result = await client.addLabel(id, config.assigneeLabel, who.id);
  return result.ok ? receipt('local') : result;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? null;
}

/**
 * `GET /{id}/triggers`: what matched (a dictionary or engine name) to the matched text. The core masks both.
 * The evidence file (`/evidence`, a presigned URL) is
 * never fetched: a link to the raw content must not reach a chat message.
 */
export async function snippets(client: ZwaClient, id: string): Promise<SourceResult<Snippet[]>> {
  const triggers = await client.triggers(id);
  if (!triggers.ok) return triggers;
  const out: Snippet[] = [];
  for (const [key, value] of Object.entries(triggers.value)) {
    const text = asText(value);
    if (text === null) continue;
    out.push({
      // Keys name a dictionary or engine, but a tenant's custom names can carry values too: the core masks both.
      label: clipText(key, LABEL_LIMIT) ?? key,
      text: clipText(text, SNIPPET_TEXT_CAP) ?? text,
    });
    if (out.length >= MAX_SNIPPETS) break;
  }
  return ok(out);
}
