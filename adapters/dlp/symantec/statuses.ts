import { adapterError } from '../../../src/domain/errors.js';
import { clipText, type IncidentStatus, TEXT_LIMITS } from '../../../src/domain/incident.js';
import { err, ok } from '../../../src/domain/result.js';
import type { SourceResult } from '../../../src/ports/index.js';
import type { SymantecClient } from './client.js';
import { NEW_STATUS_ID, type SymantecConfig } from './config.js';
import type { SymStatus } from './schema.js';

/**
 * Enforce statuses are administrator-defined with per-deployment ids; only New (1) is fixed. Built-in names
 * arrive as i18n keys (`incident.status.New`), custom ones as typed. Names are matched without that prefix,
 * trimmed and case-insensitively.
 */
export const statusKey = (name: string) => displayName(name).trim().toLowerCase();

export function displayName(name: string): string {
  return name.replace(/^incident\.status\./, '');
}

/**
 * Enforce's out-of-the-box statuses (New, In Process, Escalated, False Positive, Configuration Error,
 * Resolved) plus common renames. Escalated counts as responded to: someone has looked and passed it on.
 */
const KNOWN: Readonly<Record<string, IncidentStatus>> = {
  new: 'new',
  'in process': 'in_review',
  'in progress': 'in_review',
  escalated: 'in_review',
  'false positive': 'false_positive',
  resolved: 'resolved',
  closed: 'resolved',
  'configuration error': 'dismissed',
  dismissed: 'dismissed',
};

export interface StatusCatalog {
  /** Display name (without the i18n prefix) by id. */
  nameOf(id: number): string | undefined;
  idOf(name: string): number | undefined;
  names(): string[];
}

export function catalogOf(statuses: readonly SymStatus[]): StatusCatalog {
  const byId = new Map(statuses.map((s) => [s.id, displayName(s.name)]));
  const byKey = new Map<string, number>();
  // The first of two statuses with the same name wins, as it would in a name-sorted Enforce list.
  for (const s of statuses) if (!byKey.has(statusKey(s.name))) byKey.set(statusKey(s.name), s.id);
  return {
    nameOf: (id) => byId.get(id),
    idOf: (name) => (statusKey(name) === 'new' ? NEW_STATUS_ID : byKey.get(statusKey(name))),
    names: () => [...byId.values()],
  };
}

/** The normalised status and the raw name kept beside it. Unknown custom statuses still await triage. */
export function normaliseStatus(
  id: number,
  catalog: StatusCatalog,
  config: Pick<SymantecConfig, 'falsePositiveStatus' | 'writeBack'>,
): { status: IncidentStatus; rawStatus: string } {
  const name = catalog.nameOf(id) ?? (id === NEW_STATUS_ID ? 'New' : `status ${id}`);
  const rawStatus = clipText(name, TEXT_LIMITS.rawStatus) ?? name;
  const key = statusKey(name);
  if (id === NEW_STATUS_ID) return { status: 'new', rawStatus };
  if (key === statusKey(config.falsePositiveStatus)) return { status: 'false_positive', rawStatus };
  // The SLA Breach queue is where breached incidents wait for triage, so they are still open.
  if (key === statusKey(config.writeBack.status)) return { status: 'open', rawStatus };
  return { status: KNOWN[key] ?? 'open', rawStatus };
}

export interface StatusCache {
  /** Fetches the list now (one call); the listing does this once per scan. */
  refresh(): Promise<SourceResult<StatusCatalog>>;
  /** The cached list, fetched on first use. */
  current(): Promise<SourceResult<StatusCatalog>>;
  /** The cached list, refetched once if it lacks this id or name (an administrator added a status). */
  having(id: number | string): Promise<SourceResult<StatusCatalog>>;
}

export function createStatusCache(client: SymantecClient): StatusCache {
  let cached: StatusCatalog | undefined;
  const refresh = async (): Promise<SourceResult<StatusCatalog>> => {
    const listed = await client.statuses();
    if (!listed.ok) return listed;
    cached = catalogOf(listed.value);
    return ok(cached);
  };
  const knows = (catalog: StatusCatalog, wanted: number | string) =>
    typeof wanted === 'number' ? catalog.nameOf(wanted) !== undefined : catalog.idOf(wanted) !== undefined;
  return {
    refresh,
    current: () => (cached ? Promise.resolve(ok(cached)) : refresh()),
    async having(wanted) {
      if (cached && knows(cached, wanted)) return ok(cached);
      return refresh();
    },
  };
}

/** The id of a configured status name, or a `rejected` error naming what the server does offer. */
export function requireStatusId(catalog: StatusCatalog, name: string, purpose: string): SourceResult<number> {
  const id = catalog.idOf(name);
  if (id !== undefined) return ok(id);
  const known = catalog.names().slice(0, 20).join(', ');
  return err(adapterError('rejected', `Enforce has no incident status named "${name}" (${purpose}); it has: ${known}`));
}
