import { type AdapterError, adapterError } from '../domain/errors.js';

/**
 * The one rule for a vendor listing that cannot progress (a full page with nothing new, a cursor that repeats or
 * does not move): it is a failed listing, never a quiet end. An SLA bot that stopped there would miss every
 * incident beyond that page without telling anyone. The adapter yields every page it read, then this error; the
 * scan keeps those pages, reports the source failed and keeps the old watermark, so the next scan reads again.
 * No separate warning: the scan logs and reports the failure once.
 */
export function stalledListing(operation: string, why: string, readSoFar: number): AdapterError {
  return adapterError(
    'schema_mismatch',
    `${operation}: ${why}, so paging cannot progress; the listing is incomplete (${readSoFar} records read are kept)`,
    { issues: ['paging: no progress'] },
  );
}
