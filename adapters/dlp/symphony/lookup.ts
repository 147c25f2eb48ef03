import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { err, ok, type Result } from '../../../src/domain/result.js';
import { recentKeys } from '../../../src/scan/recent-keys.js';
import type { SymphonyClient } from './client.js';
import type { SymphonyConfig } from './config.js';
import { scanViolations } from './list.js';
import {
  type SymListedRecord,
  type SymRecord,
  SymViolationItem,
  VIOLATION_KINDS,
  type ViolationKind,
} from './schema.js';

/** Ids remembered with their endpoint and createTime; about 100 bytes each. */
const MAX_REMEMBERED = 200_000;
/** The window searched around a violation's createTime (whether startTime/endTime are inclusive is unpublished). */
const AROUND_MS = 1_000;

/**
 * `MESSAGE-<message id>-<createTime>` in Symphony's samples (§3.3); the STREAM- and SIGNAL- prefixes are inferred.
 * An id whose prefix is not one of these is still looked for on every endpoint.
 */
const EVENT_ID = /^(?:([A-Za-z]+)-)?.+-(\d{12,15})$/;

interface Where {
  kinds: readonly ViolationKind[];
  createMs: number;
}

/**
 * Symphony has no "get violation" call (§3.4): a violation is found by listing the second it was created in. What
 * listings showed is remembered (endpoint and createTime); an id not seen yet is read for both, since Symphony's ids
 * end with the createTime and start with the kind.
 */
export interface Lookup {
  find(id: string): Promise<Result<SymRecord, AdapterError>>;
  remember(record: SymListedRecord): void;
}

export function whereFromId(id: string): Where | null {
  const m = EVENT_ID.exec(id);
  if (!m?.[2]) return null;
  const prefix = m[1]?.toLowerCase();
  const kind = VIOLATION_KINDS.find((k) => k === prefix);
  return { kinds: kind ? [kind] : VIOLATION_KINDS, createMs: Number(m[2]) };
}

export function createLookup(client: SymphonyClient, config: SymphonyConfig): Lookup {
  const known = new Map<string, { kind: ViolationKind; createMs: number }>();

  const remember = (record: SymListedRecord) => {
    const id = record.item.violation.enforcementEventID;
    known.delete(id);
    known.set(id, { kind: record.kind, createMs: record.item.violation.createTime });
    if (known.size > MAX_REMEMBERED) known.delete(known.keys().next().value as string);
  };

  const search = async (id: string, where: Where): Promise<Result<SymRecord | null, AdapterError>> => {
    const window = { startMs: Math.max(0, where.createMs - AROUND_MS), endMs: where.createMs + AROUND_MS };
    for (const kind of where.kinds) {
      for await (const page of scanViolations(client, config, kind, window, recentKeys(), SymViolationItem)) {
        if (!page.ok) return page;
        for (const record of page.value.records) remember(record);
        const found = page.value.records.find((r) => r.item.violation.enforcementEventID === id);
        if (found) return ok(found);
      }
    }
    return ok(null);
  };

  return {
    remember,
    async find(id) {
      const seen = known.get(id);
      const where: Where | null = seen ? { kinds: [seen.kind], createMs: seen.createMs } : whereFromId(id);
      const missing = (why: string) => err(adapterError('not_found', `get: ${why}`, { status: 404 }));
      if (!where) return missing('not a Symphony enforcementEventID this source has listed');
      const result = await search(id, where);
      if (!result.ok) return result;
      return result.value
        ? ok(result.value)
        : missing(`Symphony lists no such violation around ${new Date(where.createMs).toISOString()}`);
    },
  };
}
