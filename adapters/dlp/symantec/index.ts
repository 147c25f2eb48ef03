import { ok } from '../../../src/domain/result.js';
import type { AdapterDefinition, Capabilities, IncidentSource, SourceCheck, SourceResult } from '../../../src/ports.js';
import { createSymantecClient } from './client.js';
import { type SymantecConfig, symantecFields } from './config.js';
import type { SymantecContext } from './context.js';
import { getIncident } from './get.js';
import { listOpenIncidents } from './list.js';
import { and, listQuery, notHidden } from './queries.js';
import { createStatusCache, requireStatusId } from './statuses.js';
import { addNote, assign, markFalsePositive, snippets } from './triage.js';
import { writeBackBreaches } from './write-back.js';

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

export const symantec: AdapterDefinition = {
  vendor: 'symantec',
  displayName: DISPLAY_NAME,
  config: { vendor: 'symantec', fields: symantecFields },
  // One Enforce server is one tenant: its URL names it.
  endpoint: (config) => ({ url: (config as SymantecConfig).baseUrl }),
  create(config, deps): IncidentSource {
    const sym = config as SymantecConfig;
    const client = createSymantecClient(sym, deps);
    const ctx: SymantecContext = { client, statuses: createStatusCache(client), config: sym, deps };
    const source: IncidentSource = {
      id: sym.id,
      vendor: 'symantec',
      displayName: DISPLAY_NAME,
      capabilities: capabilitiesFor(sym),
      listOpen: (window) => listOpenIncidents(ctx, window),
      get: (id) => getIncident(ctx, id),
      assign: (id, who, by) => assign(ctx, id, who, by),
      addNote: (id, text, by) => addNote(ctx, id, text, by),
      markFalsePositive: (id, reason, by) => markFalsePositive(ctx, id, reason, by),
      snippets: (id) => snippets(ctx, id),
      check: () => check(ctx),
      close: () => client.close(),
    };
    if (sym.writeBack.enabled) source.writeBack = (breaches) => writeBackBreaches(ctx, breaches);
    return source;
  },
  // The simulator (and its dataset) loads only when the sandbox or `simulate` starts one, not on every command.
  startSimulator: async (options) => (await import('./sandbox.js')).startSandboxSimulator(options),
};

/** Two calls: the statuses list (credentials, names resolve) and a one-row query (the role may query). */
async function check(ctx: SymantecContext): Promise<SourceResult<SourceCheck>> {
  const { config } = ctx;
  const catalog = await ctx.statuses.refresh();
  if (!catalog.ok) return catalog;
  const listed: string[] = [];
  for (const name of config.listStatuses) {
    const id = requireStatusId(catalog.value, name, 'listStatuses');
    if (!id.ok) return id;
    listed.push(`${name} (${id.value})`);
  }
  const details = [
    `HTTP Basic credentials accepted; ${catalog.value.names().length} incident statuses defined`,
    `listing ${listed.join(', ')}; times read in ${config.timeZone}`,
  ];
  const fp = catalog.value.idOf(config.falsePositiveStatus);
  details.push(
    fp === undefined
      ? `no status named "${config.falsePositiveStatus}": marking false positives will fail`
      : `false positive status "${config.falsePositiveStatus}" (${fp})`,
  );
  if (config.writeBack.enabled) {
    const breach = requireStatusId(catalog.value, config.writeBack.status, 'writeBack.status');
    if (!breach.ok) return breach;
    details.push(`write-back on: breached New incidents move to "${config.writeBack.status}" (${breach.value})`);
  }
  const probe = await ctx.client.query(listQuery(and([notHidden]), 1, 1, ['incidentId']));
  if (!probe.ok) return probe;
  details.push('incident query reachable');
  return ok({ details });
}
