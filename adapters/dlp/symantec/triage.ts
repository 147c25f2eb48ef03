import { adapterError } from '../../../src/domain/errors.js';
import { clipText } from '../../../src/domain/incident.js';
import { err, ok } from '../../../src/domain/result.js';
import {
  type ActionReceipt,
  type Actor,
  SNIPPET_TEXT_CAP,
  type Snippet,
  type SourceResult,
  type VendorUser,
} from '../../../src/ports/index.js';
import { alreadyThere, confirmWrite, noteMarker, withMarker } from '../../../src/vendor-writes.js';
import type { PatchBody } from './client.js';
import { explain401, parseIncidentId, type SymantecContext, unknownIncident } from './context.js';
import { readEditable } from './list.js';
import { toLocalDateTime } from './local-time.js';
import { noteMarkerQuery } from './queries.js';
import { requireStatusId } from './statuses.js';

/** Enforce documents no note limit; this keeps one click's note well inside any sane column. */
const NOTE_LIMIT = 4_000;
const MAX_SNIPPETS = 50;
const SNIPPET_LABEL_LIMIT = 256;

/** How a note reads in Enforce's history: who, through what. Enforce stamps the time itself. */
export function formatNote(text: string, by: Actor, label = 'Note'): string {
  const who = by.email ?? by.display;
  return clipText(`${label} by ${who} via dlp-bot: ${text}`, NOTE_LIMIT) ?? '';
}

/** `incidentNotes` entries carry the time on the Enforce server's clock, to the second. */
export function noteAt(ctx: SymantecContext, note: string) {
  const now = ctx.deps.clock.now();
  return { note, dateTime: toLocalDateTime(new Date(Math.floor(now.getTime() / 1000) * 1000), ctx.config.timeZone) };
}

/** A note for `incidentNotes`, with its idempotency marker (`src/vendor-writes.ts`) inside the note limit. */
function markedNote(ctx: SymantecContext, id: string, text: string, by: Actor, label = 'Note') {
  const marker = noteMarker({ incidentId: id, author: by.email ?? by.display, label, text, at: ctx.deps.clock.now() });
  return { note: noteAt(ctx, withMarker(formatNote(text, by, label), marker, NOTE_LIMIT)), marker };
}

/** Whether one of the incident's notes holds `marker`. */
async function holdsNote(ctx: SymantecContext, numeric: number, marker: string): Promise<SourceResult<boolean>> {
  const found = await ctx.client.query(noteMarkerQuery(numeric, marker));
  return found.ok ? ok(found.value.incidents.length > 0) : found;
}

/**
 * One incident through the bulk PATCH, whose every triage write carries one marked note: success only when Enforce
 * lists the id among `updatedIncidentIds`. The note's marker is looked for first, so a retry writes the note once
 * (and other edits again, harmlessly); an unreadable answer is checked the same way afterwards.
 */
async function patchOne(
  ctx: SymantecContext,
  id: string,
  body: Omit<PatchBody, 'incidentIds' | 'incidentNotes'>,
  entry: ReturnType<typeof markedNote>,
): Promise<SourceResult<ActionReceipt>> {
  const numeric = parseIncidentId(id);
  if (numeric === null) return err(unknownIncident(id));
  const noted = await holdsNote(ctx, numeric, entry.marker);
  if (!noted.ok) return noted;
  if (noted.value && Object.keys(body).length === 0) return alreadyThere();
  const notes = noted.value ? {} : { incidentNotes: [entry.note] };
  const response = await ctx.client.patch({ incidentIds: [numeric], ...body, ...notes });
  if (response.ok && !response.value.updatedIncidentIds.includes(numeric)) {
    return err(adapterError('rejected', `updateIncidents: Enforce answered without updating incident ${numeric}`));
  }
  const written = response.ok
    ? ok<ActionReceipt>({ recordedIn: 'vendor' })
    : err(await explain401(ctx, response.error, id));
  // The note proves the PATCH it rode in was applied; a PATCH without one (a retry) has nothing to prove it.
  return noted.value ? written : confirmWrite(written, () => holdsNote(ctx, numeric, entry.marker));
}

export function addNote(ctx: SymantecContext, id: string, text: string, by: Actor) {
  return patchOne(ctx, id, {}, markedNote(ctx, id, text, by));
}

/**
 * False positive is the deployment's status of that name (`falsePositiveStatus`), resolved through the statuses
 * list. The name is sent with the id: IBM's client found some servers ignore an id alone.
 */
export async function markFalsePositive(ctx: SymantecContext, id: string, reason: string, by: Actor) {
  if (parseIncidentId(id) === null) return err(unknownIncident(id));
  const catalog = await ctx.statuses.having(ctx.config.falsePositiveStatus);
  if (!catalog.ok) return catalog;
  const statusId = requireStatusId(catalog.value, ctx.config.falsePositiveStatus, 'falsePositiveStatus');
  if (!statusId.ok) return statusId;
  const body = {
    incidentStatusId: statusId.value,
    incidentStatusName: catalog.value.nameOf(statusId.value) ?? ctx.config.falsePositiveStatus,
  };
  return patchOne(ctx, id, body, markedNote(ctx, id, reason || 'no reason given', by, 'Marked false positive'));
}

/** Writes the configured assignment field, with a note naming who assigned whom (Enforce logs only the API user). */
export async function assign(
  ctx: SymantecContext,
  id: string,
  who: VendorUser,
  by: Actor,
): Promise<SourceResult<ActionReceipt>> {
  const { assignment } = ctx.config;
  if (assignment.type === 'none') {
    return err(adapterError('unsupported', 'assignment is switched off for this Symantec source (assignment: none)'));
  }
  const note = markedNote(ctx, id, `assigned to ${who.display ?? who.id}`, by, 'Assignment');
  if (assignment.type === 'dataOwner') {
    return patchOne(ctx, id, { dataOwnerEmail: who.id, dataOwnerName: who.display ?? who.id }, note);
  }
  const numeric = parseIncidentId(id);
  if (numeric === null) return err(unknownIncident(id));
  // Column indexes are per deployment; the incident's own attribute list names them.
  const editable = await readEditable(ctx, numeric);
  if (!editable.ok) return editable;
  if (editable.value === null) return err(unknownIncident(id, 401));
  const wanted = assignment.name.trim().toLowerCase();
  const attribute = (editable.value.customAttributeGroups ?? [])
    .flatMap((g) => g.customAttributes ?? [])
    .find((a) => a.name.trim().toLowerCase() === wanted);
  if (!attribute) {
    return err(adapterError('rejected', `Enforce has no custom attribute named "${assignment.name}" (assignment)`));
  }
  return patchOne(ctx, id, { incidentCustomAttributes: [{ columnIndex: attribute.index, value: who.id }] }, note);
}

/**
 * The violating segments of `components/matches`, masked here as a whole (each is the hit itself: real card
 * numbers, real names, which the core's detectors may not recognise) before the core masks them again. Only the
 * hit is kept, not the surrounding context, which is evidence too.
 */
export async function snippets(ctx: SymantecContext, id: string): Promise<SourceResult<Snippet[]>> {
  const numeric = parseIncidentId(id);
  if (numeric === null) return err(unknownIncident(id));
  const response = await ctx.client.matches(numeric);
  if (!response.ok) return err(await explain401(ctx, response.error, id));
  const out: Snippet[] = [];
  for (const component of response.value) {
    for (const violation of component.violations ?? []) {
      for (const segment of violation.violationSegments ?? []) {
        if (segment.segmentType !== 'VIOLATING_CONTENT' || !segment.text) continue;
        const rule = segment.ruleName ?? violation.ruleName ?? 'match';
        const where = component.messageComponentName ? ` in ${component.messageComponentName}` : '';
        out.push({
          label: clipText(`${rule}${where}`, SNIPPET_LABEL_LIMIT) ?? rule,
          text: mask(clipText(segment.text, SNIPPET_TEXT_CAP) ?? ''),
        });
        if (out.length >= MAX_SNIPPETS) return ok(out);
      }
    }
  }
  return ok(out);
}

const ALNUM = /[\p{L}\p{N}]/u;

/** Every letter and digit becomes `*` except the last four when at least eight exist; layout is kept. */
export function mask(text: string): string {
  const chars = [...text];
  const total = chars.filter((c) => ALNUM.test(c)).length;
  const keep = total >= 8 ? 4 : 0;
  let seen = 0;
  return chars
    .map((c) => {
      if (!ALNUM.test(c)) return c;
      seen += 1;
      return seen > total - keep ? c : '*';
    })
    .join('');
}
