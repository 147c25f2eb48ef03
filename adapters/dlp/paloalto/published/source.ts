import { ok } from '../../../../src/domain/result.js';
import type { SourceCalls } from '../../../../src/lazy-source.js';
import type { AdapterDeps } from '../../../../src/ports/index.js';
import { guardSourceCalls } from '../../../../src/source-guard.js';
import type { PublishedConfig } from '../config.js';
import { assign } from './assign.js';
import { createAssigneeDirectory } from './assignees.js';
import { createPublishedClient } from './client.js';
import { markFalsePositive } from './false-positive.js';
import { listOpenPublished } from './list.js';
import { mapPublishedIncident } from './map.js';
import { addNote } from './note.js';
import { snippets } from './snippets.js';

/** The published API's calls; what the source declares (name, capabilities) is in ../index.ts. */
export function createPublishedCalls(config: PublishedConfig, deps: AdapterDeps): SourceCalls {
  const client = createPublishedClient(config, deps);
  const directory = createAssigneeDirectory(client, deps.clock);
  const listDeps = { client, assignees: directory, config, clock: deps.clock, logger: deps.logger };
  const now = () => deps.clock.now();
  return guardSourceCalls({
    listOpen: (window) => listOpenPublished(listDeps, window),
    async get(id) {
      const record = await client.getIncident(id);
      if (!record.ok) return record;
      const emails = await directory.emailsById();
      if (!emails.ok) return emails;
      return ok(
        mapPublishedIncident(record.value, {
          source: config.id,
          severity: config.severity,
          consoleUrl: config.consoleUrl,
          assignees: emails.value,
        }),
      );
    },
    assign: (id, who) => assign(client, directory, id, who),
    addNote: (id, text, by) => addNote(client, id, text, by, now()),
    markFalsePositive: (id, reason, by) => markFalsePositive(client, id, reason, by, now()),
    snippets: (id) => snippets(client, id),
    async check() {
      const lifetime = await client.tokenLifetimeMs();
      if (!lifetime.ok) return lifetime;
      const since = new Date(now().getTime() - config.lookbackDays * 86_400_000);
      const page = await client.listPage({ pageNumber: 0, pageSize: 1, startTime: since.toISOString() });
      if (!page.ok) return page;
      const minutes = Math.round(lifetime.value / 60_000);
      const total = page.value.page.total_elements ?? page.value.resources?.length ?? 0;
      return ok({
        details: [
          `token issued for TSG ${config.tsgId} (valid ${minutes} min)`,
          `published API incident list reachable (${total} incident(s) in the last ${config.lookbackDays} days, region ${config.region})`,
        ],
      });
    },
    close: () => client.close(),
  });
}
