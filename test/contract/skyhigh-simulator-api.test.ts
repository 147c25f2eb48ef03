import { describe, expect, it } from 'vitest';
import type { ShnIncidentRecord } from '../../adapters/dlp/skyhigh/simulator/records.js';
import {
  type SkyhighSimulator,
  type SkyhighSimulatorOptions,
  startSkyhighSimulator,
} from '../../adapters/dlp/skyhigh/simulator.js';
import { closeAfterAll } from '../support/adapters.js';
import { type FixedClock, fixedClock } from '../support/fixed-clock.js';

/** The simulator against the reference (§2.1–§2.8) through raw HTTP, independent of the adapter. */

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const OLD = '2026-10-01T00:00:00.000Z';
const track = closeAfterAll();
const start = async (options: SkyhighSimulatorOptions = {}) =>
  track(
    await startSkyhighSimulator({ seed: 7, incidents: 300, anchor: ANCHOR, clock: fixedClock(ANCHOR), ...options }),
  );

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  headers: Headers;
  json: Json;
}
interface Page {
  responseInfo: Json & { error: Json | null; nextStartTime: string | null };
  incidents: ShnIncidentRecord[];
}

const basicOf = (sim: SkyhighSimulator, password = sim.credentials.password) =>
  `Basic ${Buffer.from(`${sim.credentials.username}:${password}`).toString('base64')}`;

async function post(sim: SkyhighSimulator, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${sim.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: basicOf(sim), 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Json) : {} } as Reply;
}
const query = (sim: SkyhighSimulator, criteria: unknown, limit?: number | string, headers?: Record<string, string>) =>
  post(sim, `/v1/queryIncidents${limit === undefined ? '' : `?limit=${limit}`}`, criteria, headers);
const pageOf = (reply: Reply) => reply.json.body as Page;
const errorOf = (reply: Reply) => {
  const body = reply.json.body as Json & { responseInfo?: Json };
  return (body.responseInfo ?? body).error as Json;
};
const modify = (sim: SkyhighSimulator, changes: unknown, headers?: Record<string, string>) =>
  post(sim, '/v1/modifyIncidents', changes, headers);
const ms = (iso: string) => Date.parse(iso);
const iso = (n: number) => new Date(n).toISOString();
const ids = (records: readonly { incidentId: string }[]) => records.map((r) => r.incidentId);
const sanctioned = (sim: SkyhighSimulator) => sim.records().filter((r) => !r.incidentId.startsWith('SHW-'));

const INCIDENT_KEYS = [
  'activityNames',
  'actorId',
  'actorIdType',
  'incidentGroup',
  'incidentGroupId',
  'incidentId',
  'incidentRiskScore',
  'incidentRiskSeverity',
  'incidentRiskSeverityId',
  'information',
  'instanceId',
  'instanceName',
  'responses',
  'serviceNames',
  'significantlyUpdatedAt',
  'status',
  'timeCreated',
  'timeModified',
];

describe('Skyhigh simulator: queryIncidents', () => {
  it('should wrap a page in a serialised ResponseEntity, ascending by timeModified, nextStartTime = last + 1 ms', async () => {
    const sim = await start();
    const reply = await query(sim, { startTime: OLD }, 20);
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ headers: {}, statusCode: 'OK', statusCodeValue: 200 });
    const page = pageOf(reply);
    expect(Object.keys(page.responseInfo).sort()).toEqual([
      'actualLimit',
      'apiElapsedMillis',
      'error',
      'nextOffset',
      'nextStartTime',
      'source',
    ]);
    expect(page.responseInfo).toMatchObject({ actualLimit: 20, error: null, nextOffset: null });
    expect(ids(page.incidents)).toEqual(ids(sanctioned(sim).slice(0, 20)));
    for (const incident of page.incidents) {
      expect(Object.keys(incident).sort()).toEqual(INCIDENT_KEYS);
      expect(incident.timeModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(ms(incident.timeModified)).toBeGreaterThanOrEqual(ms(incident.timeCreated));
    }
    const times = page.incidents.map((i) => ms(i.timeModified));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(page.responseInfo.nextStartTime).toBe(iso((times.at(-1) as number) + 1));
  });

  it('should default limit to 50, cap it silently at 500 and refuse a malformed one', async () => {
    const sim = await start({ incidents: 700 });
    expect(pageOf(await query(sim, { startTime: OLD })).incidents).toHaveLength(50);
    expect(pageOf(await query(sim, { startTime: OLD }, 10_000)).incidents).toHaveLength(500);
    for (const bad of ['abc', '0', '-5', '2.5']) {
      const reply = await query(sim, { startTime: OLD }, bad);
      expect(reply.status, bad).toBe(400);
      expect(reply.json).toMatchObject({ statusCode: 'BAD_REQUEST', statusCodeValue: 400 });
      expect(errorOf(reply)).toMatchObject({ code: 400, target: 'limit' });
    }
  });

  it('should treat startTime as inclusive and endTime as exclusive, on timeModified', async () => {
    const sim = await start();
    const all = sanctioned(sim);
    const pick = all[40] as ShnIncidentRecord;
    const at = ms(pick.timeModified);
    const sameMs = all.filter((r) => r.timeModified === pick.timeModified);
    const exact = pageOf(await query(sim, { startTime: pick.timeModified, endTime: iso(at + 1) }, 500)).incidents;
    expect(ids(exact)).toEqual(ids(sameMs));
    expect(ids(exact)).toContain(pick.incidentId);
    const after = pageOf(await query(sim, { startTime: iso(at + 1) }, 500)).incidents;
    expect(ids(after)).toEqual(ids(all.filter((r) => ms(r.timeModified) > at)));
    const before = pageOf(await query(sim, { startTime: OLD, endTime: pick.timeModified }, 500)).incidents;
    expect(ids(before)).toEqual(ids(all.filter((r) => ms(r.timeModified) < at)));
    // The docs' own example omits the zone: it means UTC.
    const zoneless = pageOf(await query(sim, { startTime: pick.timeModified.replace('Z', '') }, 500)).incidents;
    expect(ids(zoneless)).toEqual(ids(all.filter((r) => ms(r.timeModified) >= at)));
    const empty = pageOf(await query(sim, { startTime: ANCHOR.toISOString() }, 5));
    expect([empty.incidents, empty.responseInfo.nextStartTime, empty.responseInfo.actualLimit]).toEqual([[], null, 0]);
  });

  it('should filter on product, categories (incident group prefixes), incidentGroupIds, actors and fields', async () => {
    const sim = await start();
    const all = sim.records();
    const select = async (incidentCriteria: Json, extra: Json = {}) =>
      ids(pageOf(await query(sim, { startTime: OLD, incidentCriteria, ...extra }, 500)).incidents);
    const where = (test: (r: ShnIncidentRecord) => boolean) => ids(all.filter(test));
    expect(await select({})).toEqual(where((r) => !r.incidentId.startsWith('SHW-')));
    expect(await select({ product: 'SHADOW' })).toEqual(where((r) => r.incidentGroup === 'Alert.Access.ShadowAnomaly'));
    const policy = await select({ categories: [{ incidentType: 'Alert', category: 'Policy' }] });
    expect(policy).toEqual(where((r) => r.incidentGroup.startsWith('Alert.Policy.')));
    expect(new Set(policy.map((id) => id.slice(0, 3)))).toEqual(new Set(['DLP', 'CAP', 'AUD', 'EPO']));
    expect(await select({ categories: [{ incidentType: 'Alert.Policy.Dlp' }] })).toEqual(
      where((r) => r.incidentGroup === 'Alert.Policy.Dlp'),
    );
    expect(await select({ categories: [{ incidentType: 'Threat' }] })).toEqual(
      where((r) => r.incidentGroup.startsWith('Threat.')),
    );
    expect(await select({ incidentGroupIds: [12, 13] })).toEqual(
      where((r) => ['CAP', 'AUD'].includes(r.incidentId.slice(0, 3))),
    );
    const dlp = all.find((r) => r.incidentId.startsWith('DLP-')) as ShnIncidentRecord;
    const name = String(dlp.information.policyName);
    expect(await select({ fields: { policyName: [name], status: ['new', 'opened'] } })).toEqual(
      where(
        (r) =>
          r.information.policyName === name && ['new', 'opened'].includes(r.status) && !r.incidentId.startsWith('SHW'),
      ),
    );
    expect(await select({}, { actorIds: [dlp.actorId] })).toEqual(
      where((r) => r.actorId === dlp.actorId && !r.incidentId.startsWith('SHW')),
    );
  });

  it('should order and window by timeCreated when timesSelection is CREATED_AT', async () => {
    const sim = await start();
    const since = '2026-11-20T00:00:00.000Z';
    const page = pageOf(await query(sim, { startTime: since, timesSelection: 'CREATED_AT' }, 500));
    const expected = sanctioned(sim)
      .filter((r) => ms(r.timeCreated) >= ms(since))
      .sort((a, b) => ms(a.timeCreated) - ms(b.timeCreated) || a.incidentId.localeCompare(b.incidentId));
    expect(ids(page.incidents).sort()).toEqual(ids(expected).sort());
    const created = page.incidents.map((i) => ms(i.timeCreated));
    expect(created).toEqual([...created].sort((a, b) => a - b));
    expect(page.responseInfo.nextStartTime).toBe(iso((created.at(-1) as number) + 1));
  });

  it('should refuse invalid criteria with 400 and a responseInfo.error naming the field', async () => {
    const sim = await start();
    const cases: [unknown, string][] = [
      [{ startTime: 'yesterday' }, 'startTime'],
      [{ startTime: OLD, timesSelection: 'NEWEST' }, 'timesSelection'],
      [{ incidentCriteria: { categories: [{ incidentType: 'Alert' }], incidentGroupIds: [12] } }, 'incidentCriteria'],
      [{ incidentCriteria: { categories: [{ incidentType: 'Event' }] } }, 'incidentCriteria.categories'],
      [
        { incidentCriteria: { categories: [{ incidentType: 'Threat', category: 'Policy' }] } },
        'incidentCriteria.categories',
      ],
      [{ incidentCriteria: { product: 'BOTH' } }, 'incidentCriteria.product'],
      [{ incidentCriteria: { fields: { severity: ['high'] } } }, 'incidentCriteria.fields.severity'],
      [{ actorIds: 'someone' }, 'actorIds'],
      [[{ startTime: OLD }], 'body'],
    ];
    for (const [criteria, target] of cases) {
      const reply = await query(sim, criteria, 5);
      expect(reply.status, JSON.stringify(criteria)).toBe(400);
      expect(errorOf(reply)).toMatchObject({ code: 400, target });
      expect((reply.json.body as Page).incidents).toBeNull();
    }
    expect((await query(sim, '{"startTime":', 5)).status).toBe(400);
    expect((await query(sim, { startTime: OLD }, 5, { 'content-type': 'text/plain' })).status).toBe(415);
  });
});

describe('Skyhigh simulator: modifyIncidents', () => {
  const openIds = (sim: SkyhighSimulator, n: number) =>
    ids(sanctioned(sim).filter((r) => r.status === 'new' || r.status === 'opened')).slice(0, n);

  it('should set WORKFLOW_STATUS in either spelling, move timeModified to now and re-deliver the incident last', async () => {
    const clock: FixedClock = fixedClock(ANCHOR);
    const sim = await start({ clock });
    const [a, b, c] = openIds(sim, 3) as [string, string, string];
    const before = sim.incident(a) as ShnIncidentRecord;
    clock.advance(60_000);
    const reply = await modify(sim, [
      { incidentId: a, changeRequests: { WORKFLOW_STATUS: 'FALSE_POSITIVE' } },
      { incidentId: b, changeRequests: { WORKFLOW_STATUS: 'false positive' } },
      { incidentId: c, changeRequests: { WORKFLOW_STATUS: 'Resolved' } },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ statusCode: 'OK', statusCodeValue: 200, body: { actualLimit: 3, error: null } });
    const after = sim.incident(a) as ShnIncidentRecord;
    expect([after.status, sim.incident(b)?.status, sim.incident(c)?.status]).toEqual([
      'false positive',
      'false positive',
      'resolved',
    ]);
    expect(after.timeModified).toBe(clock.now().toISOString());
    expect(after.significantlyUpdatedAt).toBe(before.significantlyUpdatedAt);
    expect(after.timeCreated).toBe(before.timeCreated);
    const page = pageOf(await query(sim, { startTime: before.timeModified }, 500)).incidents;
    expect(ids(page).slice(-3).sort()).toEqual([a, b, c].sort());
    expect(sim.statusSpellings()).toEqual(['FALSE_POSITIVE', 'false positive', 'Resolved']);
  });

  it('should refuse other change keys, unknown statuses and non-array bodies, changing nothing', async () => {
    const sim = await start();
    const [a] = openIds(sim, 1) as [string];
    const cases: [unknown, string][] = [
      [[{ incidentId: a, changeRequests: { OWNER: 'ana@example.com' } }], 'changeRequests.OWNER'],
      [[{ incidentId: a, changeRequests: { WORKFLOW_STATUS: 'closed' } }], 'WORKFLOW_STATUS'],
      [[{ incidentId: a, changeRequests: { WORKFLOW_STATUS: 'RESOLVED', NOTE: 'x' } }], 'changeRequests.NOTE'],
      [{ incidentId: a, changeRequests: { WORKFLOW_STATUS: 'RESOLVED' } }, 'body'],
      [[], 'body'],
      [[{ changeRequests: { WORKFLOW_STATUS: 'RESOLVED' } }], '[0].incidentId'],
    ];
    const status = sim.incident(a)?.status;
    for (const [body, target] of cases) {
      const reply = await modify(sim, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json).toMatchObject({
        statusCodeValue: 400,
        body: { actualLimit: 0, error: { code: 400, target } },
      });
    }
    expect(sim.incident(a)?.status).toBe(status);
  });

  it('should report unknown ids in responseInfo.error with HTTP 200 and apply the rest', async () => {
    const sim = await start();
    const [a] = openIds(sim, 1) as [string];
    const reply = await modify(sim, [
      { incidentId: 'DLP-999999', changeRequests: { WORKFLOW_STATUS: 'RESOLVED' } },
      { incidentId: a, changeRequests: { WORKFLOW_STATUS: 'RESOLVED' } },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.json.body).toMatchObject({ actualLimit: 1, error: { code: 404, target: 'incidentId' } });
    expect(sim.incident(a)?.status).toBe('resolved');
  });

  it('should accept only one spelling family when statusSpelling says so', async () => {
    for (const [spelling, good, bad] of [
      ['upper', 'FALSE_POSITIVE', 'false positive'],
      ['label', 'false positive', 'FALSE_POSITIVE'],
    ] as const) {
      const sim = await start({ quirks: { statusSpelling: spelling } });
      const [a] = openIds(sim, 1) as [string];
      expect((await modify(sim, [{ incidentId: a, changeRequests: { WORKFLOW_STATUS: bad } }])).status).toBe(400);
      expect(sim.incident(a)?.status).not.toBe('false positive');
      expect((await modify(sim, [{ incidentId: a, changeRequests: { WORKFLOW_STATUS: good } }])).status).toBe(200);
      expect(sim.incident(a)?.status).toBe('false positive');
    }
  });
});

describe('Skyhigh simulator: authentication', () => {
  const tokenPath = '/v1/token?grant_type=password&token_type=iam';

  it('should answer 401 in the entity without credentials, with a wrong password or an unknown token', async () => {
    const sim = await start();
    const cases: Record<string, string>[] = [
      { authorization: '' },
      { authorization: basicOf(sim, 'wrong') },
      { authorization: 'Bearer not-a-token' },
      { authorization: '', 'x-access-token': 'not-a-token' },
    ];
    for (const headers of cases) {
      const reply = await query(sim, { startTime: OLD }, 5, headers);
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(reply.json).toMatchObject({ statusCode: 'UNAUTHORIZED', statusCodeValue: 401 });
      expect(errorOf(reply)).toMatchObject({ code: 401 });
    }
  });

  it('should issue IAM tokens without a lifetime, usable as Bearer or x-access-token until they expire', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, tokenTtlSec: 120 });
    const issued = await post(sim, tokenPath, '');
    expect(issued.status).toBe(200);
    expect(Object.keys(issued.json).sort()).toEqual(['access_token', 'token_type']);
    const token = String(issued.json.access_token);
    expect((await query(sim, { startTime: OLD }, 1, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await query(sim, { startTime: OLD }, 1, { authorization: '', 'x-access-token': token })).status).toBe(200);
    clock.advance(120_000);
    expect((await query(sim, { startTime: OLD }, 1, { authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await post(sim, tokenPath, '', { authorization: basicOf(sim, 'wrong') })).status).toBe(401);
    expect((await post(sim, '/v1/token?grant_type=client_credentials', '')).status).toBe(400);
  });

  it('should exchange an IAM token at the neo auth service for one with expires_in', async () => {
    const sim = await start();
    const iam = String((await post(sim, tokenPath, '')).json.access_token);
    const exchange = (headers: Record<string, string>) =>
      fetch(`${sim.origin}/neo/neo-auth-service/oauth/token?grant_type=iam_token&skip_audit=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    const res = await exchange({ 'x-iam-token': iam });
    const body = (await res.json()) as Json;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 899, refresh_token: expect.any(String) });
    const neo = String(body.access_token);
    expect((await query(sim, { startTime: OLD }, 1, { authorization: `Bearer ${neo}` })).status).toBe(200);
    expect((await exchange({ 'x-iam-token': neo })).status).toBe(401);
    expect((await exchange({})).status).toBe(401);
  });

  it('should require a matching bps-tenant-id on token requests when the tenant is set', async () => {
    const sim = await start({ tenantId: '0f1e2d3c-aaaa-bbbb-cccc-001122334455' });
    expect((await post(sim, tokenPath, '')).status).toBe(401);
    expect((await post(sim, tokenPath, '', { 'bps-tenant-id': 'another-tenant' })).status).toBe(401);
    expect((await post(sim, tokenPath, '', { 'bps-tenant-id': sim.credentials.tenantId })).status).toBe(200);
  });
});
