import { ok } from '../../../src/domain/result.js';
import type { SourceCalls } from '../../../src/lazy-source.js';
import type { AdapterDeps } from '../../../src/ports/index.js';
import { guardSourceCalls } from '../../../src/source-guard.js';
import { createPaloAltoClient, type PaloAltoConfig } from './client.js';
import { listOpenIncidents } from './list.js';
import { mapIncident } from './map.js';
import { addNote, assignUnsupported, markFalsePositive, snippets } from './triage.js';

/** The seed API's calls; what the source declares (name, capabilities) is in index.ts. */
export function createSeedCalls(pan: PaloAltoConfig, deps: AdapterDeps): SourceCalls {
  const client = createPaloAltoClient(pan, deps);
  return guardSourceCalls({
    listOpen: (window) => listOpenIncidents(client, pan, window),
    async get(id) {
      const record = await client.getIncident(id);
      return record.ok ? ok(mapIncident(record.value, pan.id, pan.consoleUrl)) : record;
    },
    assign: assignUnsupported,
    addNote: (id, text, by) => addNote(client, id, text, by, deps.clock.now()),
    markFalsePositive: (id, reason, by) => markFalsePositive(client, id, reason, by, deps.clock.now()),
    snippets: (id) => snippets(client, id),
    async check() {
      const lifetime = await client.tokenLifetimeMs();
      if (!lifetime.ok) return lifetime;
      const page = await client.listPage({ status: 'open', offset: 0, limit: 1 });
      if (!page.ok) return page;
      const minutes = Math.round(lifetime.value / 60_000);
      const open = page.value.total ?? page.value.incidents.length;
      return ok({ details: [`token issued (valid ${minutes} min)`, `incident list reachable (${open} open)`] });
    },
    close: () => client.close(),
  });
}
