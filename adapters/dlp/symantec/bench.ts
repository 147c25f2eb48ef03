/**
 * Symantec DLP Enforce REST API v2: `POST /incidents` offset pages with no total, status ids per deployment
 * (resolved by name through `GET /incidents/statuses`), HTTP Basic. The assignee (the data owner, the config's
 * default) is not a queryable field: one `editableAttributes` read per incident, which a scan makes for the incidents
 * it draws a card for (the card shows the assignee) and for those the store holds that changed or are due for their
 * periodic refresh; so a first scan reads one per card and no other.
 */
import { type BenchVendor, datasetOptions, defineBenchVendor } from '../simulator-kit/bench-kit.js';

interface SymantecFacts {
  /** Every status the deployment has, as its console shows them (what a user writes in `listStatuses`). */
  statusNames: string[];
  /** Records per status name, hidden ones included. */
  statusCounts: Record<string, number>;
  /** Records hidden in Enforce (`isHidden`): the listing's filter excludes them. */
  hidden: number;
  total: number;
}

/**
 * The documented API forces, for one listing of `listed` incidents:
 * - one `GET /incidents/statuses` (only New has a fixed id; configured names resolve through that list);
 * - floor(listed / pageSize) + 1 queries: no total is returned, so only a short page ends the listing, and a
 *   listing of exactly k full pages needs an empty page k + 1 to know it is over;
 * - with an assignee read from Enforce (`assignment` dataOwner or customAttribute) on every listed incident, one
 *   `GET /incidents/{id}/editableAttributes` each: the query cannot select those fields.
 */
export function symantecMinRequests(listed: number, pageSize: number, readsAssignee: boolean) {
  return {
    statuses: 1,
    queries: Math.floor(listed / pageSize) + 1,
    editableAttributes: readsAssignee ? listed : 0,
  };
}

/** Built-in statuses arrive as i18n keys (`incident.status.New`); the console and users say "New". */
const consoleName = (name: string) => name.replace(/^incident\.status\./, '');

export const symantec = defineBenchVendor<SymantecFacts>({
  vendor: 'symantec',
  defaults: { incidents: 20_000, pageSize: 1_000 },
  maxPageSize: 10_000,
  note: 'the assignee is read per incident, but by a first scan into an empty store only for the cards it draws',
  requestsPerCard: 1,
  async serve(spec) {
    const { startSymantecSimulator } = await import('./simulator.js');
    const simulator = await startSymantecSimulator(datasetOptions(spec));
    const statusCounts: Record<string, number> = {};
    let hidden = 0;
    const incidents = simulator.incidents();
    for (const incident of incidents) {
      const name = consoleName(incident.incidentStatusName ?? `status ${incident.incidentStatusId}`);
      statusCounts[name] = (statusCounts[name] ?? 0) + 1;
      if (incident.isHidden) hidden += 1;
    }
    return {
      simulator,
      requests: () => ({ ...simulator.requests(), token: 0 }),
      facts: {
        statusNames: simulator.statuses().map((s) => consoleName(s.name)),
        statusCounts,
        hidden,
        total: incidents.length,
      },
    };
  },
  // Every status listed (not only New), so the scan reads every record that is not hidden; assignment stays
  // the default (dataOwner), as a user who leaves it out gets.
  source: (entry, facts, pageSize) => ({ ...entry, pageSize, listStatuses: facts.statusNames }),
  expect(facts, spec, pageSize) {
    const listed = facts.total - facts.hidden;
    // A first scan into an empty store reads the assignee of each card it draws (`requestsPerCard`), the rest at
    // their first refresh.
    const breakdown = symantecMinRequests(listed, pageSize, false);
    const counted = Object.values(facts.statusCounts).reduce((sum, n) => sum + n, 0);
    return {
      fetched: listed,
      minApiRequests: breakdown.statuses + breakdown.queries + breakdown.editableAttributes,
      breakdown,
      tokenRequests: 0,
      dataset: { statusCounts: facts.statusCounts, hidden: facts.hidden, listed },
      checks: {
        datasetComplete: facts.total === spec.incidents && counted === facts.total,
        everyStatusNamed: Object.keys(facts.statusCounts).every((name) => facts.statusNames.includes(name)),
      },
    };
  },
});

export const benchKits: readonly BenchVendor[] = [symantec];
