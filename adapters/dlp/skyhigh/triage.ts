import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { clipText } from '../../../src/domain/incident.js';
import { err, ok } from '../../../src/domain/result.js';
import type { Logger } from '../../../src/log.js';
import { type ActionReceipt, SNIPPET_TEXT_CAP, type Snippet, type SourceResult } from '../../../src/ports/index.js';
import { alreadyThere, confirmWrite } from '../../../src/vendor-writes.js';
import type { SkyhighClient } from './client.js';
import type { Lookup } from './lookup.js';
import { FALSE_POSITIVE_SPELLINGS, normaliseLabel, type ShnIncident, STATUS_MAP } from './schema.js';

const DISPLAY = 'Skyhigh Security';

export const assignUnsupported = () =>
  Promise.resolve(
    err(adapterError('unsupported', `${DISPLAY}'s incidents API has no owner field ("Change Owner" is console-only)`)),
  );

export const noteUnsupported = () =>
  Promise.resolve(err(adapterError('unsupported', `${DISPLAY}'s incidents API has no notes or comments`)));

/**
 * False positive is a WORKFLOW_STATUS value, the only thing modifyIncidents can change. Which spelling the server
 * takes is unverified (§2.4): the vendor's own example form goes first, the read label second; the first one the
 * server takes is logged once and used from then on. The reason has nowhere to go in Skyhigh: the chat thread and
 * the audit log keep it.
 */
export function createFalsePositive(client: SkyhighClient, lookup: Lookup, logger: Logger, source: string) {
  let learned: string | undefined;
  /** Reads the incident again after an unreadable answer: did the change land? */
  const reread = async (id: string): Promise<SourceResult<boolean>> => {
    lookup.markChanged(id);
    const found = await lookup.find(id);
    return found.ok ? ok(isFalsePositive(found.value)) : found;
  };
  return async (id: string): Promise<SourceResult<ActionReceipt>> => {
    const current = await lookup.find(id);
    if (!current.ok) return current;
    if (isFalsePositive(current.value)) return alreadyThere();
    const spellings = learned ? [learned] : [...FALSE_POSITIVE_SPELLINGS];
    let last: AdapterError | undefined;
    for (const spelling of spellings) {
      const result = await client.modifyIncidents([{ incidentId: id, changeRequests: { WORKFLOW_STATUS: spelling } }]);
      // An answer that cannot be read says nothing about the spelling: the incident itself is asked instead.
      if (!result.ok && result.error.code === 'schema_mismatch') return confirmWrite(result, () => reread(id));
      if (result.ok && result.value.processed !== 0) {
        lookup.markChanged(id);
        if (learned === undefined) {
          learned = spelling;
          logger.debug({ source, spelling }, 'skyhigh accepted this WORKFLOW_STATUS spelling for false positive');
        }
        return ok({ recordedIn: 'vendor' });
      }
      // A 400 (or "processed none") is the server refusing this spelling; anything else is not about spelling.
      if (!result.ok && result.error.code !== 'rejected') return result;
      last = result.ok
        ? adapterError('rejected', 'modifyIncidents: Skyhigh processed none of the changes')
        : result.error;
    }
    learned = undefined;
    const tried = spellings.map((s) => JSON.stringify(s)).join(' and ');
    return err(
      adapterError('rejected', `modifyIncidents: Skyhigh took neither ${tried} as WORKFLOW_STATUS`, {
        ...(last?.status === undefined ? {} : { status: last.status }),
      }),
    );
  };
}

const isFalsePositive = (record: ShnIncident) => STATUS_MAP[normaliseLabel(record.status)] === 'false_positive';

/** What the `information` map says about where and how often the policy matched, in reading order. */
const EVIDENCE_KEYS: readonly (readonly [string, string])[] = [
  ['totalMatchCount', 'Matches'],
  ['matchLocations', 'Match locations'],
  ['contentItemName', 'Content item'],
  ['contentItemType', 'Content type'],
  ['contentItemHierarchy', 'Location'],
  ['contentItemParent', 'Parent'],
  ['fileTypes', 'File types'],
];

function asText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.length ? value.join(', ') : null;
  }
  return JSON.stringify(value) ?? null;
}

/**
 * Skyhigh has no snippet endpoint (§2.5); the evidence it exposes is in the incident's `information` map. Those
 * entries are returned as they are; the core masks them before anyone sees them. An incident
 * without any of them has no snippets, which the card says.
 */
export function snippetsOf(record: ShnIncident): Snippet[] {
  const out: Snippet[] = [];
  for (const [key, label] of EVIDENCE_KEYS) {
    const text = asText(record.info[key]);
    const clipped = clipText(text, SNIPPET_TEXT_CAP);
    if (clipped !== null) out.push({ label, text: clipped });
  }
  return out;
}

export async function snippets(lookup: Lookup, id: string): Promise<SourceResult<Snippet[]>> {
  const found = await lookup.find(id);
  return found.ok ? ok(snippetsOf(found.value)) : found;
}
