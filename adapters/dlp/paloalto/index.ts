import { ok } from '../../../src/domain/result.js';
import type { AdapterDefinition, Capabilities, IncidentSource } from '../../../src/ports.js';
import { createPaloAltoClient, type PaloAltoConfig } from './client.js';
import {
  PAN_APIS,
  type PaloAltoSourceConfig,
  paloaltoConfig,
  resolvePublishedConfig,
  resolveSeedConfig,
} from './config.js';
import { listOpenIncidents } from './list.js';
import { mapIncident } from './map.js';
import { createPublishedSource } from './published/source.js';
import { addNote, assignUnsupported, markFalsePositive, snippets } from './triage.js';

const DISPLAY_NAME = 'Palo Alto Networks Enterprise DLP';

/** The seed API can note, dismiss and show snippets, filter by time, but has no assignee field. */
const CAPABILITIES: Capabilities = {
  assign: false,
  note: true,
  falsePositive: true,
  snippets: true,
  writeBack: false,
  incremental: true,
};

export const paloalto: AdapterDefinition = {
  vendor: 'paloalto',
  displayName: DISPLAY_NAME,
  config: paloaltoConfig,
  apis: PAN_APIS,
  create(config, deps): IncidentSource {
    const source = config as PaloAltoSourceConfig;
    if (source.api === 'published') return createPublishedSource(resolvePublishedConfig(source), deps, DISPLAY_NAME);
    const pan: PaloAltoConfig = resolveSeedConfig(source);
    const client = createPaloAltoClient(pan, deps);
    return {
      id: pan.id,
      vendor: 'paloalto',
      displayName: DISPLAY_NAME,
      capabilities: CAPABILITIES,
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
    };
  },
  endpoint(config) {
    const source = config as PaloAltoSourceConfig;
    if (source.api === 'published') {
      const published = resolvePublishedConfig(source);
      return { url: published.baseUrl, account: `tsg ${published.tsgId}, region ${published.region}` };
    }
    const seed = resolveSeedConfig(source);
    return { url: seed.baseUrl, account: seed.tsgId ? `tsg ${seed.tsgId}` : undefined };
  },
  // The simulator (and its dataset) loads only when the sandbox or `simulate` starts one, not on every command.
  startSimulator: async (options) => (await import('./sandbox.js')).startSandboxSimulator(options),
};
