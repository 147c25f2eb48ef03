import type { Edit } from '../dataset.js';
import { CUSTOM_ATTRIBUTES, SEVERITY_NAMES, type StatusDef } from './catalog.js';
import type { Parsed } from './query.js';
import { parseWall } from './wall-time.js';

/** A validated `PATCH /incidents` body: the ids and the edits to apply to each of them. */
export interface ParsedPatch {
  ids: number[];
  edits: Edit[];
}

const KEYS = new Set([
  'incidentIds',
  'incidentStatusId',
  'incidentStatusName',
  'severity',
  'incidentNotes',
  'dataOwnerName',
  'dataOwnerEmail',
  'incidentCustomAttributes',
  'preventOrProtectStatus',
  'remediationLocation',
]);
const MAX_NOTE = 4_000;

const bad = (message: string): Parsed<ParsedPatch> => ({ ok: false, message });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ids as numbers or numeric strings (XSOAR sends strings, Broadcom's scripts numbers). */
function parseId(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  return typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : null;
}

const statusKey = (name: string) =>
  name
    .replace(/^incident\.status\./, '')
    .trim()
    .toLowerCase();

/**
 * Validates strictly (an unknown key is a 400): a misspelt key would otherwise be a silent no-op that a client
 * takes for success. An empty `incidentIds` is a 400, which is what the Broadcom script gets when nothing
 * breached; it never reads the answer, and every other client checks the list before sending.
 */
export function parsePatch(body: unknown, statuses: readonly StatusDef[]): Parsed<ParsedPatch> {
  if (!isObject(body)) return bad('request body must be a JSON object');
  const unknown = Object.keys(body).filter((k) => !KEYS.has(k));
  if (unknown.length) return bad(`unknown field(s): ${unknown.join(', ')}`);
  if (!Array.isArray(body.incidentIds)) return bad('incidentIds: required array');
  if (body.incidentIds.length === 0) return bad('incidentIds: must not be empty');
  const ids = body.incidentIds.map(parseId);
  if (ids.some((id) => id === null)) return bad('incidentIds: every id must be a positive long');
  const edits: Edit[] = [];
  const status = parseStatus(body, statuses);
  if (typeof status === 'string') return bad(status);
  if (status) edits.push({ kind: 'status', id: status.id, name: status.name });
  if (body.severity !== undefined) {
    const id = typeof body.severity === 'string' ? SEVERITY_NAMES[body.severity] : undefined;
    if (id === undefined) return bad('severity: one of HIGH, MEDIUM, LOW, INFO');
    edits.push({ kind: 'severity', id, name: String(body.severity) });
  }
  const owner = parseOwner(body);
  if (typeof owner === 'string') return bad(owner);
  if (owner) edits.push(owner);
  const custom = parseCustom(body.incidentCustomAttributes);
  if (typeof custom === 'string') return bad(custom);
  edits.push(...custom);
  const notes = parseNotes(body.incidentNotes);
  if (typeof notes === 'string') return bad(notes);
  edits.push(...notes);
  const remediation = body.preventOrProtectStatus !== undefined || body.remediationLocation !== undefined;
  if (edits.length === 0 && !remediation) return bad('nothing to update besides incidentIds');
  return { ok: true, value: { ids: ids as number[], edits } };
}

function parseStatus(body: Record<string, unknown>, statuses: readonly StatusDef[]): StatusDef | null | string {
  const { incidentStatusId: rawId, incidentStatusName: name } = body;
  if (rawId === undefined && name === undefined) return null;
  if (name !== undefined && typeof name !== 'string') return 'incidentStatusName: expected a string';
  if (rawId === undefined) {
    return statuses.find((s) => statusKey(s.name) === statusKey(name as string)) ?? `unknown status name ${name}`;
  }
  const id = parseId(rawId);
  const status = statuses.find((s) => s.id === id);
  if (!status) return `incidentStatusId: unknown status ${JSON.stringify(rawId)}`;
  if (name !== undefined && statusKey(name) !== statusKey(status.name)) {
    return `incidentStatusName ${JSON.stringify(name)} does not match status ${status.id}`;
  }
  return status;
}

function parseOwner(body: Record<string, unknown>): Edit | null | string {
  const { dataOwnerName: name, dataOwnerEmail: email } = body;
  if (name === undefined && email === undefined) return null;
  if (name !== undefined && typeof name !== 'string') return 'dataOwnerName: expected a string';
  if (email !== undefined && (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email))) {
    return 'dataOwnerEmail: expected an email address';
  }
  return { kind: 'dataOwner', ...(name !== undefined ? { name } : {}), ...(email !== undefined ? { email } : {}) };
}

function parseCustom(raw: unknown): Edit[] | string {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return 'incidentCustomAttributes: expected an array';
  const edits: Edit[] = [];
  for (const [i, item] of raw.entries()) {
    const attribute = CUSTOM_ATTRIBUTES.find((a) => isObject(item) && a.index === item.columnIndex);
    if (!attribute || !isObject(item)) return `incidentCustomAttributes[${i}].columnIndex: unknown column`;
    if (typeof item.value !== 'string') return `incidentCustomAttributes[${i}].value: expected a string`;
    edits.push({ kind: 'custom', index: attribute.index, name: attribute.name, value: item.value });
  }
  return edits;
}

function parseNotes(raw: unknown): Edit[] | string {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return 'incidentNotes: expected an array';
  const edits: Edit[] = [];
  for (const [i, item] of raw.entries()) {
    if (!isObject(item) || typeof item.note !== 'string' || item.note.length === 0) {
      return `incidentNotes[${i}].note: expected a non-empty string`;
    }
    if (item.note.length > MAX_NOTE) return `incidentNotes[${i}].note: at most ${MAX_NOTE} characters`;
    if (item.dateTime !== undefined && (typeof item.dateTime !== 'string' || parseWall(item.dateTime) === null)) {
      return `incidentNotes[${i}].dateTime: expected a local date-time such as 2024-05-01T10:00:00`;
    }
    edits.push({ kind: 'note', note: item.note, dateTime: (item.dateTime as string | undefined) ?? null });
  }
  return edits;
}
