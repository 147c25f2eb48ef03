import { adapterError } from '../../../src/domain/errors.js';
import type { Incident } from '../../../src/domain/incident.js';
import { err, ok } from '../../../src/domain/result.js';
import type { SourceResult } from '../../../src/ports/index.js';
import { explain401, parseIncidentId, type SymantecContext, unknownIncident } from './context.js';
import { mapIncident } from './map.js';

/**
 * Enforce has no "GET /incidents/{id}": one incident is its static attributes (immutable facts) plus its
 * editable attributes (status, severity, data owner, custom attributes), two calls made side by side. The
 * record is mapped exactly as a listed row is, so `get` returns what the listing returned.
 */
export async function getIncident(ctx: SymantecContext, id: string): Promise<SourceResult<Incident>> {
  const numeric = parseIncidentId(id);
  if (numeric === null) return err(unknownIncident(id));
  const [statics, editable] = await Promise.all([
    ctx.client.staticAttributes(numeric),
    ctx.client.editableAttributes(numeric),
  ]);
  if (!statics.ok) return err(await explain401(ctx, statics.error, id));
  if (!editable.ok) return err(await explain401(ctx, editable.error, id));
  const info = editable.value.infoMap;
  // Hidden incidents are out of every queue; the listing leaves them out too.
  if (info.isHidden === true) return err(adapterError('not_found', `incident ${numeric} is hidden in Enforce`));
  const catalog = await ctx.statuses.having(info.incidentStatusId);
  if (!catalog.ok) return catalog;
  const facts = statics.value.infoMap;
  const record = {
    incidentId: numeric,
    creationDate: facts.creationDate,
    severityId: info.severityId,
    incidentStatusId: info.incidentStatusId,
    policyName: facts.policyName,
    messageSource: facts.messageSource,
    messageType: facts.messageType,
    matchCount: facts.matchCount,
    networkSenderIdentifier: facts.networkSenderIdentifier,
  };
  const reads = ctx.config.assignment.type !== 'none';
  const incident = mapIncident(record, reads ? editable.value : null, {
    source: ctx.config.id,
    catalog: catalog.value,
    config: ctx.config,
  });
  if (!incident) {
    return err(
      adapterError('schema_mismatch', 'getStaticAttributes: creationDate names no real time', {
        issues: ['infoMap.creationDate: not a valid local date-time'],
      }),
    );
  }
  return ok(incident);
}
