import { describe, expect, it } from 'vitest';
import { HOSTILE_STRINGS, LONG_HOSTILE_NAME } from '../../adapters/dlp/simulator-kit/hostile.js';
import { symantec } from '../../adapters/dlp/symantec/index.js';
import {
  type IncidentSnapshot,
  type SymantecSimulator,
  type SymantecSimulatorOptions,
  startSymantecSimulator,
} from '../../adapters/dlp/symantec/simulator.js';
import { Incident, TEXT_LIMITS } from '../../src/domain/incident.js';
import { closeAfterAll, collect, createSourceFor, errorOf, okValue, type SourceOptions } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;
const track = closeAfterAll();
const full = { mode: 'full' } as const;

const start = async (options: SymantecSimulatorOptions = {}) =>
  track(
    await startSymantecSimulator({ seed: 7, incidents: 240, anchor: ANCHOR, clock: fixedClock(ANCHOR), ...options }),
  );
const sourceFor = (sim: SymantecSimulator, options: SourceOptions = {}) =>
  track(createSourceFor(symantec, sim, { id: 'sym-test', clock: fixedClock(ANCHOR), ...options }));
const routeCount = (sim: SymantecSimulator, route: string) =>
  sim.requests().byRoute[`${route.split(' ')[0]} /ProtectManager/webservices/v2${route.split(' ')[1]}`] ?? 0;

/** What the adapter should make of a simulator record, written out independently of map.ts. */
const SEVERITY = { 1: 'high', 2: 'medium', 3: 'low', 4: 'info' } as const;
const STATUS: Record<string, Incident['status']> = {
  'incident.status.New': 'new',
  'In Process': 'in_review',
  Escalated: 'in_review',
  'False Positive': 'false_positive',
  'Configuration Error': 'dismissed',
  Resolved: 'resolved',
  'SLA Breach': 'open',
};
function expectedIncident(s: IncidentSnapshot, sim: SymantecSimulator): Incident {
  const clip = (value: string | null, limit: number) => (value === null ? null : value.slice(0, limit));
  const id = String(s.incidentId);
  return {
    source: 'sym-test',
    id,
    severity: SEVERITY[s.severityId as 1 | 2 | 3 | 4],
    status: STATUS[String(s.incidentStatusName)] ?? ('?' as never),
    rawStatus: String(s.incidentStatusName).replace('incident.status.', ''),
    createdAt: s.createdAt,
    updatedAt: null,
    policy: clip(s.policyName, TEXT_LIMITS.policy),
    actor: clip(s.networkSenderIdentifier, TEXT_LIMITS.actor),
    channel: s.messageSource,
    application: s.messageType,
    fileName: null,
    matchCount: s.matchCount,
    assignee: clip(s.dataOwnerEmail ?? s.dataOwnerName, TEXT_LIMITS.assignee),
    link: `${new URL(sim.baseUrl).origin}/ProtectManager/IncidentDetail.do?value(variable_1)=incident.id&value(operator_1)=incident.id_in&value(operand_1)=${id}`,
  };
}
const visibleWith = (sim: SymantecSimulator, statusIds: number[]) =>
  sim.incidents().filter((s) => !s.isHidden && statusIds.includes(s.incidentStatusId));
const sortedIds = (items: readonly { id: string }[]) => items.map((i) => i.id).sort();
const idsOf = (records: readonly IncidentSnapshot[]) => records.map((r) => String(r.incidentId)).sort();

describe('Symantec adapter: listing', () => {
  it('should list exactly the New incidents that are not hidden, each mapped field by field', async () => {
    const sim = await start();
    const listed = await collect(sourceFor(sim).listOpen(full));
    expect(listed.error).toBeNull();
    const truth = visibleWith(sim, [1]);
    expect(truth.length).toBeGreaterThan(100);
    expect(sim.incidents().some((s) => s.isHidden && s.incidentStatusId === 1)).toBe(true);
    expect(sortedIds(listed.incidents)).toEqual(idsOf(truth));
    const byId = new Map(listed.incidents.map((i) => [i.id, i]));
    for (const record of truth) {
      const incident = byId.get(String(record.incidentId));
      expect(incident).toEqual(expectedIncident(record, sim));
      expect(Incident.parse(incident)).toEqual(incident);
    }
    expect(new Set(listed.incidents.map((i) => i.severity))).toEqual(new Set(['high', 'medium', 'low', 'info']));
    expect(listed.incidents.some((i) => i.assignee !== null)).toBe(true);
    expect(listed.incidents.some((i) => i.actor === null)).toBe(true);
    expect(listed.expectedTotals.every((t) => t === null)).toBe(true);
    // Ids past 2^31 survive as exact strings.
    expect(listed.incidents.some((i) => Number(i.id) > 2 ** 31)).toBe(true);
  });

  it('should ask in the documented query language only: status ids, not hidden, oldest first, 1-based pages', async () => {
    const sim = await start();
    await collect(sourceFor(sim, { overrides: { pageSize: 100, listStatuses: ['New', 'Escalated'] } }).listOpen(full));
    const bodies = sim.receivedBodies();
    expect(bodies.map((b) => b.method)).toEqual(['POST', 'POST']);
    expect(bodies[1]?.body).toEqual({
      select: [
        'incidentId',
        'creationDate',
        'severityId',
        'incidentStatusId',
        'policyName',
        'messageSource',
        'messageType',
        'matchCount',
        'networkSenderIdentifier',
        'isHidden',
      ].map((name) => ({ name })),
      filter: {
        filterType: 'booleanLogic',
        booleanOperator: 'AND',
        filters: [
          { filterType: 'long', operandOne: { name: 'incidentStatusId' }, operator: 'IN', operandTwoValues: [1, 42] },
          { filterType: 'boolean', operandOne: { name: 'isHidden' }, operator: 'EQ', operandTwoValues: [false] },
        ],
      },
      orderBy: [
        { field: { name: 'creationDate' }, order: 'ASC' },
        { field: { name: 'incidentId' }, order: 'ASC' },
      ],
      page: { type: 'offset', pageNumber: 2, pageSize: 100 },
    });
  });

  it('should list the configured statuses by name and add the write-back status when write-back is on', async () => {
    const sim = await start();
    const both = await collect(sourceFor(sim, { overrides: { listStatuses: ['new', ' In Process '] } }).listOpen(full));
    expect(both.error).toBeNull();
    expect(sortedIds(both.incidents)).toEqual(idsOf(visibleWith(sim, [1, 21])));
    expect(both.incidents.filter((i) => i.status === 'in_review').length).toBeGreaterThan(5);
    const withBreach = await collect(sourceFor(sim, { overrides: { writeBack: { enabled: true } } }).listOpen(full));
    expect(sortedIds(withBreach.incidents)).toEqual(idsOf(visibleWith(sim, [1, 161])));
    expect(withBreach.incidents.filter((i) => i.rawStatus === 'SLA Breach').every((i) => i.status === 'open')).toBe(
      true,
    );
  });

  it('should answer rejected, naming the known statuses, for a status name Enforce does not have', async () => {
    const sim = await start();
    const listed = await collect(sourceFor(sim, { overrides: { listStatuses: ['New', 'Triage'] } }).listOpen(full));
    expect(listed.pages).toBe(0);
    expect(listed.error?.code).toBe('rejected');
    expect(listed.error?.message).toMatch(/"Triage".*In Process/);
    expect(routeCount(sim, 'POST /incidents')).toBe(0);
  });

  it('should read times as wall times in the configured zone of the Enforce server', async () => {
    const sim = await start({ timeZone: 'America/New_York' });
    const right = await collect(sourceFor(sim).listOpen(full));
    const wrong = await collect(sourceFor(sim, { overrides: { timeZone: 'UTC' } }).listOpen(full));
    const truth = new Map(visibleWith(sim, [1]).map((s) => [String(s.incidentId), s]));
    expect(right.incidents.length).toBe(truth.size);
    for (const incident of right.incidents) {
      const record = truth.get(incident.id);
      expect(incident.createdAt).toEqual(record?.createdAt);
      // November in New York is UTC-5: the naive string is five hours behind the instant.
      expect(Date.parse(`${record?.creationDate}Z`)).toBe(incident.createdAt.getTime() - 5 * HOUR);
    }
    const shifted = new Map(wrong.incidents.map((i) => [i.id, i.createdAt.getTime()]));
    for (const incident of right.incidents)
      expect(shifted.get(incident.id)).toBe(incident.createdAt.getTime() - 5 * HOUR);
  });

  it('should list incrementally only incidents created at or after the watermark, server-side', async () => {
    const sim = await start({ timeZone: 'Europe/Berlin' });
    const truth = visibleWith(sim, [1]);
    const since = new Date(ANCHOR.getTime() - 3 * HOUR);
    const newer = truth.filter((s) => s.createdAt >= since);
    expect(newer.length).toBeGreaterThan(5);
    expect(newer.length).toBeLessThan(truth.length / 2);
    const source = sourceFor(sim, { overrides: { pageSize: 10 } });
    const listed = await collect(source.listOpen({ mode: 'incremental', since }));
    expect(listed.error).toBeNull();
    expect(sortedIds(listed.incidents)).toEqual(idsOf(newer));
    expect(routeCount(sim, 'POST /incidents')).toBe(Math.floor(newer.length / 10) + 1);
    // 07:00 UTC is 08:00 on the Enforce server's Berlin clock, sent without a zone.
    expect(sim.receivedBodies()[0]?.body).toMatchObject({
      filter: {
        filters: [
          { operandOne: { name: 'incidentStatusId' } },
          { operandOne: { name: 'isHidden' } },
          {
            filterType: 'localDateTime',
            operandOne: { name: 'creationDate' },
            operator: 'GTE',
            operandTwoValues: ['2026-11-23T08:00:00'],
          },
        ],
      },
    });
    const edge = newer[0] as IncidentSnapshot;
    const inclusive = await collect(source.listOpen({ mode: 'incremental', since: edge.createdAt }));
    expect(inclusive.incidents.map((i) => i.id)).toContain(String(edge.incidentId));
    const after = await collect(
      source.listOpen({ mode: 'incremental', since: new Date(edge.createdAt.getTime() + 1) }),
    );
    expect(after.incidents.map((i) => i.id)).not.toContain(String(edge.incidentId));
  });

  it('should keep hostile text verbatim, clipped only to the Incident text limits', async () => {
    const sim = await start({ seed: 3, incidents: 400 });
    const listed = await collect(sourceFor(sim).listOpen(full));
    const byId = new Map(listed.incidents.map((i) => [i.id, i]));
    const seen = new Set<string>();
    const fields = [
      ['policyName', 'policy', TEXT_LIMITS.policy],
      ['networkSenderIdentifier', 'actor', TEXT_LIMITS.actor],
      ['dataOwnerName', 'assignee', TEXT_LIMITS.assignee],
    ] as const;
    for (const record of visibleWith(sim, [1])) {
      for (const [field, key, limit] of fields) {
        const value = record[field];
        if (typeof value !== 'string' || !HOSTILE_STRINGS.includes(value)) continue;
        seen.add(value);
        expect(byId.get(String(record.incidentId))?.[key]).toBe(value.slice(0, limit));
      }
    }
    // The 5,000-character name is clipped (policy, actor), the mention and link forms pass through untouched.
    for (const needed of [LONG_HOSTILE_NAME, '<!channel>', '@here', '<at>everyone</at>']) {
      expect(seen.has(needed), `dataset lacks ${JSON.stringify(needed.slice(0, 20))}`).toBe(true);
    }
  });
});

describe('Symantec adapter: request economy', () => {
  it('should fetch statuses once, page until a short page, and read editable attributes once per listed incident', async () => {
    const sim = await start();
    const listed = await collect(sourceFor(sim, { overrides: { pageSize: 25 } }).listOpen(full));
    const n = visibleWith(sim, [1]).length;
    expect(listed.incidents).toHaveLength(n);
    expect(listed.pages).toBe(Math.floor(n / 25) + 1);
    expect(routeCount(sim, 'POST /incidents')).toBe(Math.floor(n / 25) + 1);
    expect(routeCount(sim, 'GET /incidents/statuses')).toBe(1);
    expect(routeCount(sim, 'GET /incidents/{id}/editableAttributes')).toBe(n);
    expect(routeCount(sim, 'GET /incidents/{id}/staticAttributes')).toBe(0);
  });

  it('should make no per-incident call and report no assignee with assignment: none', async () => {
    const sim = await start();
    const source = sourceFor(sim, { overrides: { assignment: { type: 'none' } } });
    const listed = await collect(source.listOpen(full));
    expect(listed.incidents.length).toBeGreaterThan(100);
    expect(listed.incidents.every((i) => i.assignee === null)).toBe(true);
    expect(routeCount(sim, 'GET /incidents/{id}/editableAttributes')).toBe(0);
    expect(source.capabilities.assign).toBe(false);
  });

  it('should read the assignee from the configured custom attribute instead of the data owner', async () => {
    const sim = await start();
    const source = sourceFor(sim, { overrides: { assignment: { type: 'customAttribute', name: 'business unit' } } });
    const listed = await collect(source.listOpen(full));
    const truth = new Map(
      visibleWith(sim, [1]).map((s) => [String(s.incidentId), s.customAttributes['Business Unit']]),
    );
    expect(listed.incidents.filter((i) => i.assignee !== null).length).toBeGreaterThan(20);
    for (const incident of listed.incidents) expect(incident.assignee).toBe(truth.get(incident.id) ?? null);
  });
});

describe('Symantec adapter: get', () => {
  it('should get an incident from its static and editable attributes exactly as it was listed', async () => {
    const sim = await start();
    const source = sourceFor(sim);
    const listed = await collect(source.listOpen(full));
    for (const incident of listed.incidents.slice(0, 30))
      expect(okValue(await source.get(incident.id))).toEqual(incident);
    const resolved = sim.incidents().find((s) => s.incidentStatusId === 45 && !s.isHidden) as IncidentSnapshot;
    expect(okValue(await source.get(String(resolved.incidentId)))).toEqual(expectedIncident(resolved, sim));
  });

  it('should answer not_found for hidden, unknown and malformed ids, and auth only for bad credentials', async () => {
    const sim = await start();
    const source = sourceFor(sim);
    const hidden = sim.incidents().find((s) => s.isHidden) as IncidentSnapshot;
    for (const id of [String(hidden.incidentId), '2147483599', '99999999999', 'INC-1', '0', '12345678901234567890']) {
      expect(errorOf(await source.get(id)).code, id).toBe('not_found');
    }
    expect(errorOf(await source.get(String(hidden.incidentId)))).toMatchObject({ status: 401 });
    const bad = sourceFor(sim, { env: { SYMANTEC_SANDBOX_PASSWORD: 'wrong' }, overrides: { http: { maxRetries: 0 } } });
    expect(errorOf(await bad.get(String(hidden.incidentId)))).toMatchObject({ code: 'auth', status: 401 });
  });
});
