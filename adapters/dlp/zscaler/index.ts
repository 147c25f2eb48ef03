import { lazySource } from '../../../src/lazy-source.js';
import { type Capabilities, defineAdapter } from '../../../src/ports/index.js';
import { type ZscalerConfig, zscalerFields, zscalerRules } from './config.js';

const DISPLAY_NAME = 'Zscaler Workflow Automation';

/**
 * Notes, false positive (close with FALSE_POSITIVE) and snippets (triggers) are real API calls; search takes a
 * time range, so scans are incremental. ZWA has no assignment API: without a label configured to carry the
 * assignee the core records assignments itself; with one, assign sets the label, and the receipt still says
 * "recorded here". No write-back yet.
 */
export function capabilitiesFor(config: Pick<ZscalerConfig, 'assigneeLabel'>): Capabilities {
  return {
    assign: Boolean(config.assigneeLabel),
    note: true,
    falsePositive: true,
    snippets: true,
    writeBack: false,
    incremental: true,
  };
}

export const zscaler = defineAdapter({
  vendor: 'zscaler',
  displayName: DISPLAY_NAME,
  config: { vendor: 'zscaler', fields: zscalerFields, validate: zscalerRules },
  endpoint: (config) => ({ url: config.baseUrl }),
  capabilities: capabilitiesFor,
  create(config, deps) {
    // The client, paging and mapping load on the source's first call, not when a command starts.
    return lazySource(
      { id: config.id, vendor: 'zscaler', displayName: DISPLAY_NAME, capabilities: capabilitiesFor(config) },
      async () => (await import('./source.js')).createZwaCalls(config, deps),
    );
  },
  // The simulator (and its dataset) loads only when the sandbox or `simulate` starts one, not on every command.
  startSimulator: async (options) => (await import('./sandbox.js')).startSandboxSimulator(options),
});
