import { ok } from '../../../../src/domain/result.js';
import type { AdapterDeps, Capabilities, IncidentSource } from '../../../../src/ports.js';
import type { PublishedConfig } from '../config.js';
import { assign } from './assign.js';
import { createAssigneeDirectory } from './assignees.js';
import { createPublishedClient } from './client.js';
import { markFalsePositive } from './false-positive.js';
import { listOpenPublished } from './list.js';
import { mapPublishedIncident } from './map.js';
import { addNote } from './note.js';
import { snippets } from './snippets.js';

/** Every triage action has a documented endpoint; there is nothing to write an SLA breach into. */
const CAPABILITIES: Capabilities = {
  assign: true,
  note: true,
  falsePositive: true,
  snippets: true,
  writeBack: false,
  incremental: true,
};

export function createPublishedSource(config: PublishedConfig, deps: AdapterDeps, displayName: string): IncidentSource {
  const client = createPublishedClient(config, deps);
  const directory = createAssigneeDirectory(client, deps.clock);
  const listDeps = { client, assignees: directory, config, clock: deps.clock, logger: deps.logger };
  const now = () => deps.clock.now();
  return {
    id: config.id,
    vendor: 'paloalto',
    displayName,
    capabilities: CAPABILITIES,
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
  };
}
