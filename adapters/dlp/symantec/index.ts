import { lazySource } from '../../../src/lazy-source.js';
import { type Capabilities, defineAdapter } from '../../../src/ports/index.js';
import { type SymantecConfig, symantecFields } from './config.js';

const DISPLAY_NAME = 'Symantec DLP (Enforce)';

/**
 * Enforce v2 can note, change status (false positive), show matches and filter on creation time. It has no
 * assignee: "assign" writes the data owner or a custom attribute, as configured. Write-back is what the
 * configuration turns on.
 */
export function capabilitiesFor(config: Pick<SymantecConfig, 'assignment' | 'writeBack'>): Capabilities {
  return {
    assign: config.assignment.type !== 'none',
    note: true,
    falsePositive: true,
    snippets: true,
    writeBack: config.writeBack.enabled,
    incremental: true,
  };
}

export const symantec = defineAdapter({
  vendor: 'symantec',
  displayName: DISPLAY_NAME,
  config: { vendor: 'symantec', fields: symantecFields },
  // One Enforce server is one tenant: its URL names it.
  endpoint: (config) => ({ url: config.baseUrl }),
  capabilities: capabilitiesFor,
  create(config, deps) {
    // The client, paging and mapping load on the source's first call, not when a command starts.
    return lazySource(
      { id: config.id, vendor: 'symantec', displayName: DISPLAY_NAME, capabilities: capabilitiesFor(config) },
      async () => (await import('./source.js')).createSymantecCalls(config, deps),
    );
  },
  // The simulator (and its dataset) loads only when the sandbox or `simulate` starts one, not on every command.
  startSimulator: async (options) => (await import('./sandbox.js')).startSandboxSimulator(options),
});
