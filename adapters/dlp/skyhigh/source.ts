import { ok } from '../../../src/domain/result.js';
import type { SourceCalls } from '../../../src/lazy-source.js';
import type { AdapterDeps } from '../../../src/ports/index.js';
import { guardSourceCalls } from '../../../src/source-guard.js';
import { createSkyhighClient } from './client.js';
import type { SkyhighConfig } from './config.js';
import { DAY_MS, listOpenIncidents } from './list.js';
import { createLookup } from './lookup.js';
import { mapIncident } from './map.js';
import { assignUnsupported, createFalsePositive, noteUnsupported, snippets } from './triage.js';

/** Skyhigh's calls; what the source declares (name, capabilities) is in index.ts. */
export function createSkyhighCalls(shn: SkyhighConfig, deps: AdapterDeps): SourceCalls {
  const client = createSkyhighClient(shn, deps);
  const lookup = createLookup(client, shn, deps);
  const markFalsePositive = createFalsePositive(client, lookup, deps.logger, shn.id);
  return guardSourceCalls({
    listOpen: (window) => listOpenIncidents(client, shn, window, deps, lookup),
    async get(id) {
      const record = await lookup.find(id);
      return record.ok ? ok(mapIncident(record.value, shn.id, shn.consoleUrl)) : record;
    },
    assign: assignUnsupported,
    addNote: noteUnsupported,
    markFalsePositive: (id) => markFalsePositive(id),
    snippets: (id) => snippets(lookup, id),
    async check() {
      const lifetime = await client.tokenLifetimeMs();
      if (!lifetime.ok) return lifetime;
      const since = deps.clock.now().getTime() - DAY_MS;
      const page = await client.queryIncidents({ startMs: since }, 1);
      if (!page.ok) return page;
      const minutes = Math.round((lifetime.value ?? 0) / 60_000);
      return ok({
        details: [
          lifetime.value === null ? 'Basic auth accepted' : `token issued (trusted for ${minutes} min)`,
          `incident query reachable (${page.value.incidents.length ? 'incidents' : 'no incidents'} modified in the last 24 h)`,
        ],
      });
    },
    close: () => client.close(),
  });
}
