import { ok } from '../../../src/domain/result.js';
import type { SourceCalls } from '../../../src/lazy-source.js';
import type { AdapterDeps, SourceResult } from '../../../src/ports/index.js';
import { guardSourceCalls } from '../../../src/source-guard.js';
import { createZwaClient, validated, type ZwaClient } from './client.js';
import type { ZscalerConfig } from './config.js';
import { DAY_MS, listOpenIncidents } from './list.js';
import { mapIncident } from './map.js';
import { ZwaIncident } from './schema.js';
import { addNote, assign, markFalsePositive, snippets } from './triage.js';

/** ZWA's calls; what the source declares (name, capabilities) is in index.ts. */
export function createZwaCalls(zwa: ZscalerConfig, deps: AdapterDeps): SourceCalls {
  const client = createZwaClient(zwa, deps);
  return guardSourceCalls({
    listOpen: (window) => listOpenIncidents(client, zwa, window, deps),
    get: (id) => getIncident(client, zwa, id),
    assign: (id, who) => assign(client, zwa, id, who),
    addNote: (id, text, by) => addNote(client, id, text, by, deps.clock.now()),
    markFalsePositive: (id, reason, by) => markFalsePositive(client, id, reason, by, deps.clock.now()),
    snippets: (id) => snippets(client, id),
    async check() {
      const lifetime = await client.tokenLifetimeMs();
      if (!lifetime.ok) return lifetime;
      const nowMs = deps.clock.now().getTime();
      const page = await client.search({ startMs: nowMs - DAY_MS, endMs: nowMs }, { page: 0 }, 1);
      if (!page.ok) return page;
      const { medium, light } = zwa.rateLimits;
      return ok({
        details: [
          `API key accepted; token valid for ${Math.round(lifetime.value / 3_600_000)} h`,
          `incident search reachable (${page.value.cursor?.totalElements ?? page.value.incidents.length} incident(s) created in the last 24 h)`,
          `pacing: search/notes ${medium.perMinute}/min ${medium.perHour}/h; reads/close ${light.perMinute}/min ${light.perHour}/h`,
        ],
      });
    },
    close: () => client.close(),
  });
}

async function getIncident(
  client: ZwaClient,
  config: ZscalerConfig,
  id: string,
): Promise<SourceResult<ReturnType<typeof mapIncident>>> {
  const raw = await client.get(id);
  if (!raw.ok) return raw;
  const record = validated(ZwaIncident, 'getIncident', raw.value);
  return record.ok ? ok(mapIncident(record.value, config.id, config.consoleUrl)) : record;
}
