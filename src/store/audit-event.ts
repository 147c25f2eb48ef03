import { AUDIT_OUTCOMES, AUDIT_SURFACES, type AuditDetail, type AuditEvent } from './audit-chain.js';

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;
// A net under the callers' allowlists: keys that name things that must never reach the audit log.
const FORBIDDEN_KEY = /snippet|secret|password|passwd|token|credential|payload/i;
const MAX_DETAIL_KEYS = 32;
const MAX_TEXT = 256;

// Vendor text (file names, policy names) is untrusted and unbounded; clipping keeps an action auditable.
const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/** Checks an event before it is chained; a bad event is a bug in the caller, so this throws. */
export function normaliseAuditEvent(event: AuditEvent): AuditEvent & { detail: AuditDetail } {
  if (!ACTION.test(event.action)) throw new TypeError(`audit action must be dotted lower case, got "${event.action}"`);
  if (!(AUDIT_SURFACES as readonly string[]).includes(event.surface)) {
    throw new TypeError(`unknown audit surface "${event.surface}"`);
  }
  if (!(AUDIT_OUTCOMES as readonly string[]).includes(event.outcome)) {
    throw new TypeError(`unknown audit outcome "${event.outcome}"`);
  }
  if (event.actor.length === 0) throw new TypeError('audit actor must not be empty');
  return {
    ...event,
    actor: clip(event.actor),
    source: event.source ?? null,
    incidentId: event.incidentId ?? null,
    correlationId: event.correlationId ?? null,
    detail: normaliseDetail(event.detail ?? {}),
  };
}

function normaliseDetail(detail: AuditDetail): AuditDetail {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    throw new TypeError('audit detail must be a plain object');
  }
  const entries = Object.entries(detail);
  if (entries.length > MAX_DETAIL_KEYS) throw new TypeError(`audit detail has more than ${MAX_DETAIL_KEYS} keys`);
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of entries) {
    if (!DETAIL_KEY.test(key)) throw new TypeError(`audit detail key "${key}" is not a short identifier`);
    if (FORBIDDEN_KEY.test(key)) throw new TypeError(`audit detail key "${key}" names data that is never audited`);
    if (value === null || typeof value === 'boolean') out[key] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
    else if (typeof value === 'string') out[key] = clip(value);
    else throw new TypeError(`audit detail "${key}" must be a short scalar`);
  }
  return out;
}
