import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import type { AdapterDeps } from '../../../src/ports/index.js';
import type { SymantecClient } from './client.js';
import type { SymantecConfig } from './config.js';
import type { StatusCache } from './statuses.js';

/** What every Symantec operation works with; built once per source in index.ts. */
export interface SymantecContext {
  client: SymantecClient;
  statuses: StatusCache;
  config: SymantecConfig;
  deps: AdapterDeps;
}

/** Enforce ids are positive longs; anything else cannot name an incident, so it is not sent. */
export function parseIncidentId(id: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(id)) return null;
  const value = Number(id);
  return Number.isSafeInteger(value) ? value : null;
}

export function unknownIncident(id: string, status?: number): AdapterError {
  const why =
    status === 401
      ? 'Enforce answered 401 for this incident only: it does not exist, is hidden, or this role may not see it'
      : 'not an Enforce incident id';
  return adapterError('not_found', `incident ${JSON.stringify(id.slice(0, 64))}: ${why}`, status ? { status } : {});
}

/**
 * Enforce answers 401 both for bad credentials and, per incident, for an incident the role may not see (hidden,
 * deleted, another policy group). The body would tell them apart, but our HTTP seam never surfaces bodies, so a
 * cheap authenticated call decides: if the statuses list still loads, the credentials are fine and the 401 was
 * about this incident, which then counts as `not_found` (the core treats it like a deleted incident).
 */
export async function explain401(ctx: SymantecContext, error: AdapterError, id: string): Promise<AdapterError> {
  if (error.code !== 'auth' || error.status !== 401) return error;
  const probe = await ctx.statuses.refresh();
  return probe.ok ? unknownIncident(id, 401) : probe.error;
}
