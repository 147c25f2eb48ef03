import { lazySource } from '../../../src/lazy-source.js';
import { type Capabilities, defineAdapter } from '../../../src/ports/index.js';
import type { PaloAltoConfig } from './client.js';
import {
  PAN_APIS,
  type PaloAltoSourceConfig,
  paloaltoFields,
  paloaltoRules,
  resolvePublishedConfig,
  resolveSeedConfig,
} from './config.js';

const DISPLAY_NAME = 'Palo Alto Networks Enterprise DLP';

/** The seed API can note, dismiss and show snippets, filter by time, but has no assignee field. */
const SEED_CAPABILITIES: Capabilities = {
  assign: false,
  note: true,
  falsePositive: true,
  snippets: true,
  writeBack: false,
  incremental: true,
};

/** The published API has a documented endpoint for every triage action; there is nothing to write a breach into. */
const PUBLISHED_CAPABILITIES: Capabilities = { ...SEED_CAPABILITIES, assign: true };

const capabilitiesFor = (source: PaloAltoSourceConfig) =>
  source.api === 'published' ? PUBLISHED_CAPABILITIES : SEED_CAPABILITIES;

export const paloalto = defineAdapter({
  vendor: 'paloalto',
  displayName: DISPLAY_NAME,
  config: { vendor: 'paloalto', fields: paloaltoFields, validate: paloaltoRules },
  apis: PAN_APIS,
  capabilities: capabilitiesFor,
  create(source, deps) {
    const head = {
      id: source.id,
      vendor: 'paloalto',
      displayName: DISPLAY_NAME,
      capabilities: capabilitiesFor(source),
    };
    // Each API's client, paging and mapping load on the source's first call, not when a command starts.
    if (source.api === 'published') {
      const published = resolvePublishedConfig(source);
      return lazySource(head, async () =>
        (await import('./published/source.js')).createPublishedCalls(published, deps),
      );
    }
    const pan: PaloAltoConfig = resolveSeedConfig(source);
    return lazySource(head, async () => (await import('./source.js')).createSeedCalls(pan, deps));
  },
  endpoint(source) {
    if (source.api === 'published') {
      const published = resolvePublishedConfig(source);
      return { url: published.baseUrl, account: `tsg ${published.tsgId}, region ${published.region}` };
    }
    const seed = resolveSeedConfig(source);
    return { url: seed.baseUrl, account: seed.tsgId ? `tsg ${seed.tsgId}` : undefined };
  },
  // The simulator (and its dataset) loads only when the sandbox or `simulate` starts one, not on every command.
  startSimulator: async (options) => (await import('./sandbox.js')).startSandboxSimulator(options),
});
