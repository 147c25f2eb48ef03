import { lazySource } from '../../../src/lazy-source.js';
import { type Capabilities, defineAdapter } from '../../../src/ports/index.js';
import { skyhighFields } from './config.js';

const DISPLAY_NAME = 'Skyhigh Security';

/**
 * modifyIncidents changes WORKFLOW_STATUS and nothing else, so false positive is real and assign/note are not
 * (the core records those here and says so). Snippets come from the `information` map. The time window is on
 * timeModified, which makes incremental scans natural. No write-back: Skyhigh has no note to leave and no
 * "SLA breached" status, and moving an incident to `opened` would tell its console that someone picked it up.
 */
const CAPABILITIES: Capabilities = {
  assign: false,
  note: false,
  falsePositive: true,
  snippets: true,
  writeBack: false,
  incremental: true,
};

export const skyhigh = defineAdapter({
  vendor: 'skyhigh',
  displayName: DISPLAY_NAME,
  config: { vendor: 'skyhigh', fields: skyhighFields },
  endpoint: (config) => ({ url: config.baseUrl, account: config.tenantId ? `tenant ${config.tenantId}` : undefined }),
  capabilities: () => CAPABILITIES,
  create(config, deps) {
    // The client, paging and mapping load on the source's first call, not when a command starts.
    return lazySource(
      { id: config.id, vendor: 'skyhigh', displayName: DISPLAY_NAME, capabilities: CAPABILITIES },
      async () => (await import('./source.js')).createSkyhighCalls(config, deps),
    );
  },
  // The simulator (and its dataset) loads only when the sandbox or `simulate` starts one, not on every command.
  startSimulator: async (options) => (await import('./sandbox.js')).startSandboxSimulator(options),
});
