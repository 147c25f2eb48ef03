import { lazySource } from '../../../src/lazy-source.js';
import { type Capabilities, defineAdapter } from '../../../src/ports/index.js';
import { symphonyFields, symphonyRules } from './config.js';

const DISPLAY_NAME = 'Symphony';

/**
 * The EFv3 violations API is read-only, so assign, note and false positive are recorded by the core in this bot and
 * the card says "recorded here, not in Symphony". Snippets are real: each violation carries its matched terms and
 * the content DLP analysed. startTime/endTime make incremental scans natural. No write-back: there is nothing to
 * write to.
 */
const CAPABILITIES: Capabilities = {
  assign: false,
  note: false,
  falsePositive: false,
  snippets: true,
  writeBack: false,
  incremental: true,
};

export const symphony = defineAdapter({
  vendor: 'symphony',
  displayName: DISPLAY_NAME,
  config: { vendor: 'symphony', fields: symphonyFields, validate: symphonyRules },
  // Violations belong to the pod; the agent and key manager are only the way in.
  endpoint: (config) => ({ url: config.podUrl }),
  capabilities: () => CAPABILITIES,
  create(config, deps) {
    // The client, paging and mapping load on the source's first call, not when a command starts.
    return lazySource(
      { id: config.id, vendor: 'symphony', displayName: DISPLAY_NAME, capabilities: CAPABILITIES },
      async () => (await import('./source.js')).createSymphonyCalls(config, deps),
    );
  },
  // The simulator (and its dataset) loads only when the sandbox or `simulate` starts one, not on every command.
  startSimulator: async (options) => (await import('./sandbox.js')).startSandboxSimulator(options),
});
