import type { Clock } from '../../../../../src/ports.js';
import type { RouteSpec } from '../../../simulator-kit/router.js';
import type { PaloAltoDataset } from '../../dataset.js';
import type { Handler } from '../incidents.js';
import { createPublishedHandlers } from './handlers.js';
import type { PublishedState } from './state.js';

/** The published API's routes (pan.dev), all behind the same SASE bearer token as the seed routes. */
export function publishedRoutes(
  dataset: PaloAltoDataset,
  state: PublishedState,
  clock: Clock,
): RouteSpec<{ handler: Handler; authenticated: boolean }>[] {
  const h = createPublishedHandlers(dataset, state, clock);
  const routes: [string, string, Handler][] = [
    ['GET', '/v2/api/incidents', h.list],
    ['GET', '/v2/api/incidents/{incidentID}', h.get],
    ['GET', '/v1/api/incidents/assignee', h.assignees],
    ['PUT', '/v1/api/incidents/{incidentID}/assignee', h.assign],
    ['PUT', '/v1/api/incidents/{incidentID}/notes', h.putNotes],
    ['DELETE', '/v1/api/incidents/{incidentID}/notes', h.deleteNotes],
    ['PUT', '/v1/api/incidents/{incidentID}/resolution-status', h.putResolution],
    ['POST', '/v1/public/incident-feedback/{incidentID}', h.feedback],
    ['GET', '/v1/public/report/{reportId}', h.getReport],
  ];
  return routes.map(([method, path, handler]) => ({ method, path, handler: { handler, authenticated: true } }));
}
