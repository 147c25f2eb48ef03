import { ok } from '../../../src/domain/result.js';
import type { SourceCalls } from '../../../src/lazy-source.js';
import type { AdapterDeps, SourceCheck, SourceResult } from '../../../src/ports/index.js';
import { guardSourceCalls } from '../../../src/source-guard.js';
import { findBreachedNew } from './breached-new.js';
import { createSymantecClient } from './client.js';
import type { SymantecConfig } from './config.js';
import type { SymantecContext } from './context.js';
import { getIncident } from './get.js';
import { listOpenIncidents } from './list.js';
import { and, listQuery, notHidden } from './queries.js';
import { createStatusCache, requireStatusId } from './statuses.js';
import { addNote, assign, markFalsePositive, snippets } from './triage.js';
import { writeBackBreaches } from './write-back.js';

/** Enforce's calls; what the source declares (name, capabilities) is in index.ts. */
export function createSymantecCalls(sym: SymantecConfig, deps: AdapterDeps): SourceCalls {
  const client = createSymantecClient(sym, deps);
  const ctx: SymantecContext = { client, statuses: createStatusCache(client), config: sym, deps };
  const calls: SourceCalls = {
    listOpen: (window) => listOpenIncidents(ctx, window),
    get: (id) => getIncident(ctx, id),
    assign: (id, who, by) => assign(ctx, id, who, by),
    addNote: (id, text, by) => addNote(ctx, id, text, by),
    markFalsePositive: (id, reason, by) => markFalsePositive(ctx, id, reason, by),
    snippets: (id) => snippets(ctx, id),
    check: () => check(ctx),
    close: () => client.close(),
  };
  if (sym.writeBack.enabled) {
    calls.writeBack = (breaches) => writeBackBreaches(ctx, breaches);
    calls.findBreachedNew = (cutoffs) => findBreachedNew(ctx, cutoffs);
  }
  return guardSourceCalls(calls);
}

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
