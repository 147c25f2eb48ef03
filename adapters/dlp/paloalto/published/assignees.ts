import type { AdapterError } from '../../../../src/domain/errors.js';
import { ok, type Result } from '../../../../src/domain/result.js';
import type { Clock } from '../../../../src/ports/index.js';
import type { PublishedClient } from './client.js';
import type { PubAssignee } from './schema.js';

/** Long enough that a scan and the clicks after it share one read; short enough that a new colleague shows up. */
const FRESH_MS = 5 * 60_000;

export interface AssigneeDirectory {
  /** Assignee id → email, for showing who an incident is assigned to. */
  emailsById(): Promise<Result<ReadonlyMap<string, string>, AdapterError>>;
  /** The active assignee with this email (case-insensitive), or null. */
  findByEmail(email: string): Promise<Result<PubAssignee | null, AdapterError>>;
}

/** Enterprise DLP assigns incidents to its own assignee records (uuid ids), not to email addresses. */
export function createAssigneeDirectory(client: PublishedClient, clock: Clock): AssigneeDirectory {
  let cached: { at: number; list: PubAssignee[] } | undefined;
  const load = async (): Promise<Result<PubAssignee[], AdapterError>> => {
    const now = clock.now().getTime();
    if (cached && now - cached.at < FRESH_MS) return ok(cached.list);
    const listed = await client.listAssignees();
    if (!listed.ok) return listed;
    cached = { at: now, list: listed.value };
    return ok(listed.value);
  };
  return {
    async emailsById() {
      const list = await load();
      if (!list.ok) return list;
      return ok(new Map(list.value.flatMap((a) => (a.emailAddress ? [[a.id, a.emailAddress] as const] : []))));
    },
    async findByEmail(email) {
      const wanted = email.trim().toLowerCase();
      // Re-read once on a miss: the person may have been added since the cached read.
      for (const attempt of [0, 1]) {
        if (attempt === 1) cached = undefined;
        const list = await load();
        if (!list.ok) return list;
        const found = list.value.find(
          (a) => a.emailAddress?.trim().toLowerCase() === wanted && (a.status ?? 'ACTIVE') === 'ACTIVE',
        );
        if (found) return ok(found);
      }
      return ok(null);
    },
  };
}
