import type { Clock } from '../../../../../src/ports/index.js';
import type { RouteSpec } from '../../../simulator-kit/router.js';
import type { PaloAltoDataset } from '../../dataset.js';
import type { Handler } from '../incidents.js';
import type { PaloAltoQuirks } from '../quirks.js';
import { createPublishedHandlers } from './handlers.js';
import type { PublishedState } from './state.js';

/** The published API's routes (pan.dev), all behind the same SASE bearer token as the seed routes. */
export function publishedRoutes(
  dataset: PaloAltoDataset,
  state: PublishedState,
  clock: Clock,
  quirks: PaloAltoQuirks = {},
): RouteSpec<{ handler: Handler; authenticated: boolean }>[] {
  const h = createPublishedHandlers(dataset, state, clock, quirks);
  // The fourth element marks the routes that change an incident (journaled in the sandbox).
  const routes: [string, string, Handler, boolean][] = [
    ['GET', '/v2/api/incidents', h.list, false],
    ['GET', '/v2/api/incidents/{incidentID}', h.get, false],
    ['GET', '/v1/api/incidents/assignee', h.assignees, false],
    ['PUT', '/v1/api/incidents/{incidentID}/assignee', h.assign, true],
    ['PUT', '/v1/api/incidents/{incidentID}/notes', h.putNotes, true],
    ['DELETE', '/v1/api/incidents/{incidentID}/notes', h.deleteNotes, true],
    ['PUT', '/v1/api/incidents/{incidentID}/resolution-status', h.putResolution, true],
    ['POST', '/v1/public/incident-feedback/{incidentID}', h.feedback, true],
    ['GET', '/v1/public/report/{reportId}', h.getReport, false],
  ];
  return routes.map(([method, path, handler, mutates]) => ({
    method,
    path,
    handler: { handler, authenticated: true },
    ...(mutates ? { mutates: true as const } : {}),
  }));
}
