import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generatePaloAltoDataset } from '../../adapters/dlp/paloalto/dataset.js';
import {
  type PaloAltoSimulator,
  type PaloAltoSimulatorOptions,
  startPaloAltoSimulator,
} from '../../adapters/dlp/paloalto/simulator.js';
import { HOSTILE_STRINGS } from '../../adapters/dlp/simulator-kit/hostile.js';

// ---------------------------------------------------------------------------------------------------
// The seed OpenAPI document, registered whole so its `#/components/...` refs resolve.

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>;
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
}

const SPEC_URL = new URL('../../../shared/specs/paloalto-dlp-openapi.yml', import.meta.url);
const FIXTURES = new URL('../../adapters/dlp/paloalto/fixtures/', import.meta.url);
const spec = parse(readFileSync(SPEC_URL, 'utf8')) as OpenApiDoc;
// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv2020) => void };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(spec, 'pan');

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The schema an operation documents for a status; throws if the spec does not document that status at all. */
function responseValidator(path: string, method: string, status: number): ValidateFunction {
  const response = spec.paths[path]?.[method]?.responses[String(status)];
  if (!response) throw new Error(`${method.toUpperCase()} ${path} does not document a ${status} response`);
  const base = response.$ref ? `pan${response.$ref}` : `pan#/paths/${pointer(path)}/${method}/responses/${status}`;
  const validate = ajv.getSchema(`${base}/content/application~1json/schema`);
  if (!validate) throw new Error(`no JSON schema for ${method} ${path} ${status}`);
  return validate;
}

const schemaValidator = (name: string) => ajv.getSchema(`pan#/components/schemas/${name}`) as ValidateFunction;
const propertiesOf = (name: string) => Object.keys(spec.components.schemas[name]?.properties ?? {});
const SECONDS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function expectValid(validate: ValidateFunction, body: unknown): void {
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

/** Beyond the schema (which requires nothing and allows extra keys): no field the spec doesn't define. */
function expectSpecIncident(incident: Json): void {
  expectValid(schemaValidator('DLPIncident'), incident);
  expect(Object.keys(incident).filter((key) => !propertiesOf('DLPIncident').includes(key))).toEqual([]);
  expect(incident.timestamp).toMatch(SECONDS_UTC);
  if (incident.reviewed_at !== undefined) expect(incident.reviewed_at).toMatch(SECONDS_UTC);
}

function expectSpecError(res: Reply, path: string | null, method: string): void {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expectValid(path ? responseValidator(path, method, res.status) : schemaValidator('ErrorResponse'), res.body);
  expect(Object.keys(res.body as Json).sort()).toEqual(['error', 'message']);
  expect(typeof (res.body as Json).error).toBe('string');
  expect(typeof (res.body as Json).message).toBe('string');
}

// ---------------------------------------------------------------------------------------------------
// A tiny HTTP client and a controllable clock.

type Json = Record<string, unknown>;
interface ListBody {
  total: number;
  offset: number;
  limit: number;
  incidents: Json[];
}
interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function requestToken(sim: PaloAltoSimulator, overrides: { auth?: string; body?: string; type?: string } = {}) {
  const { clientId, clientSecret, tsgId } = sim.credentials;
  return call(sim.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: overrides.auth ?? basic(clientId, clientSecret),
      'content-type': overrides.type ?? 'application/x-www-form-urlencoded',
    },
    body: overrides.body ?? `grant_type=client_credentials&scope=tsg_id:${tsgId}`,
  });
}

async function connect(sim: PaloAltoSimulator) {
  const res = await requestToken(sim);
  expect(res.status).toBe(200);
  const headers = { authorization: `Bearer ${(res.body as Json).access_token}` };
  const get = (path: string) => call(`${sim.baseUrl}${path}`, { headers });
  const list = async (query = '') => {
    const reply = await get(`/incidents?${query}`);
    expect(reply.status, reply.text.slice(0, 200)).toBe(200);
    return reply.body as ListBody;
  };
  return {
    headers,
    get,
    list,
    put: (path: string, body: unknown, type = 'application/json') =>
      call(`${sim.baseUrl}${path}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': type },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    /** Pages with offset/limit until `total` is reached (a well-behaved client's loop). */
    async listAll(query = '', limit = 500) {
      const all: Json[] = [];
      for (let offset = 0; ; offset += limit) {
        const page = await list(`${query}&offset=${offset}&limit=${limit}`);
        all.push(...page.incidents);
        if (offset + limit >= page.total) return all;
      }
    },
  };
}

function createFakeClock(start: Date) {
  let ms = start.getTime();
  return {
    now: () => new Date(ms),
    advance(by: number) {
      ms += by;
    },
  };
}

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;
const SLA_HOURS: Record<string, number> = { critical: 2, high: 4, medium: 8, low: 12, informational: 16 };
const running: PaloAltoSimulator[] = [];

async function start(options: PaloAltoSimulatorOptions = {}) {
  // A fixed clock at the anchor unless a test brings its own: the system clock would make ages drift.
  const clock = createFakeClock(ANCHOR);
  const sim = await startPaloAltoSimulator({ seed: 11, incidents: 300, anchor: ANCHOR, clock, ...options });
  running.push(sim);
  return sim;
}

afterAll(async () => {
  await Promise.all(running.map((sim) => sim.close()));
});

function allIncidents(seed: number, incidents: number, breachedShare?: number): Json[] {
  const dataset = generatePaloAltoDataset({ seed, incidents, anchor: ANCHOR, breachedShare });
  return Array.from({ length: dataset.size() }, (_, p) => dataset.incident(p));
}

// ---------------------------------------------------------------------------------------------------

describe('Palo Alto simulator: responses conform to the seed OpenAPI document', () => {
  let sim: PaloAltoSimulator;
  let api: Awaited<ReturnType<typeof connect>>;
  beforeAll(async () => {
    sim = await start({ clock: createFakeClock(ANCHOR) });
    api = await connect(sim);
  });

  it('should issue a bearer token for HTTP Basic client credentials with the tsg_id scope', async () => {
    const res = await requestToken(sim);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = res.body as Json;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]{20,}$/),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'tsg_id:1234567890',
    });
    expect((await requestToken(sim)).body).not.toEqual(body);
  });

  it('should reject wrong client credentials, a wrong grant type and a missing tsg_id scope', async () => {
    const wrong = await requestToken(sim, { auth: basic('sandbox-client', 'nope') });
    expect(wrong.status).toBe(401);
    expect((wrong.body as Json).error).toBe('invalid_client');
    expect((await requestToken(sim, { auth: 'Bearer x' })).status).toBe(401);
    const grant = await requestToken(sim, { body: 'grant_type=password&scope=tsg_id:1234567890' });
    expect([grant.status, (grant.body as Json).error]).toEqual([400, 'unsupported_grant_type']);
    const noScope = await requestToken(sim, { body: 'grant_type=client_credentials' });
    expect([noScope.status, (noScope.body as Json).error]).toEqual([400, 'invalid_scope']);
    const otherTsg = await requestToken(sim, { body: 'grant_type=client_credentials&scope=tsg_id:999' });
    expect(otherTsg.status).toBe(400);
    const json = await requestToken(sim, { type: 'application/json', body: '{"grant_type":"client_credentials"}' });
    expect(json.status).toBe(400);
  });

  it('should make the scope optional when the simulator has no tsgId', async () => {
    const open = await start({ tsgId: '' });
    const res = await requestToken(open, { body: 'grant_type=client_credentials' });
    expect(res.status).toBe(200);
  });

  it('should serve a list page that conforms to the listIncidents 200 schema', async () => {
    const res = await api.get('/incidents');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expectValid(responseValidator('/incidents', 'get', 200), res.body);
    const body = res.body as ListBody;
    expect(Object.keys(body)).toEqual(['total', 'offset', 'limit', 'incidents']);
    expect([body.total, body.offset, body.limit, body.incidents.length]).toEqual([300, 0, 100, 100]);
    body.incidents.forEach(expectSpecIncident);
    expect(body.incidents.some((i) => i.reviewed_by !== undefined)).toBe(true);
  });

  it('should serve one incident that conforms to the getIncident 200 schema and matches the list', async () => {
    const [first] = (await api.list('limit=1&offset=5')).incidents;
    const res = await api.get(`/incidents/${first?.incident_id}`);
    expect(res.status).toBe(200);
    expectValid(responseValidator('/incidents/{incident_id}', 'get', 200), res.body);
    expectSpecIncident(res.body as Json);
    expect(res.body).toEqual(first);
  });

  it('should serve masked, deterministic snippets that conform to the getIncidentSnippets 200 schema', async () => {
    const [incident] = (await api.list('limit=1&offset=9')).incidents;
    const path = `/incidents/${incident?.incident_id}/snippets`;
    const res = await api.get(path);
    expect(res.status).toBe(200);
    expectValid(responseValidator('/incidents/{incident_id}/snippets', 'get', 200), res.body);
    const body = res.body as { incident_id: string; snippets: Json[] };
    expect(body.incident_id).toBe(incident?.incident_id);
    expect(body.snippets.length).toBeGreaterThan(0);
    for (const snippet of body.snippets) {
      expect(Object.keys(snippet).sort()).toEqual(propertiesOf('ContentSnippet').sort());
      expect(snippet).toMatchObject({ masked: true, pattern_id: incident?.data_pattern_id });
      expect(snippet.snippet).toMatch(/\*{2,}/);
      expect(Number.isInteger(snippet.position)).toBe(true);
    }
    expect((await api.get(path)).body).toEqual(res.body);
  });

  it('should answer invalid list parameters with a 400 ErrorResponse', async () => {
    const bad = [
      'offset=-1',
      'offset=abc',
      'limit=0',
      'limit=501',
      'limit=1.5',
      'status=closed',
      'status=',
      'severity=severe',
      'start_time=yesterday',
      'end_time=2026-02-31T00:00:00Z',
      'start_time=2026-11-23',
      'offset=1&offset=2',
    ];
    for (const query of bad) {
      const res = await api.get(`/incidents?${query}`);
      expect(res.status, query).toBe(400);
      expectSpecError(res, '/incidents', 'get');
    }
    expect((await api.list('limit=500')).incidents).toHaveLength(300);
    expect((await api.list('limit=1&start_time=2026-11-20T11:00:00%2B01:00')).total).toBeGreaterThan(0);
  });

  it('should answer a missing, unknown or malformed bearer token with a 401 ErrorResponse on every route', async () => {
    const id = (await api.list('limit=1&status=open')).incidents[0]?.incident_id;
    const before = sim.incident(String(id));
    const routes = [
      ['/incidents', 'get', '/incidents'],
      ['/incidents/{incident_id}', 'get', `/incidents/${id}`],
      ['/incidents/{incident_id}', 'put', `/incidents/${id}`],
      ['/incidents/{incident_id}/snippets', 'get', `/incidents/${id}/snippets`],
    ] as const;
    for (const [template, method, path] of routes) {
      for (const authorization of [undefined, 'Bearer not-a-token', basic('sandbox-client', 'sandbox-secret')]) {
        const res = await call(`${sim.baseUrl}${path}`, {
          method: method.toUpperCase(),
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          ...(method === 'put' ? { body: '{"status":"resolved"}' } : {}),
        });
        expect(res.status, `${method} ${path} ${authorization}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expectSpecError(res, template, method);
      }
    }
    expect(sim.incident(String(id))).toEqual(before);
  });

  it('should answer unknown incidents with a 404 ErrorResponse on get, put and snippets', async () => {
    for (const id of ['9999999', 'abc', '1000300', '%E0%A4%A']) {
      expectSpecError(await api.get(`/incidents/${id}`), '/incidents/{incident_id}', 'get');
      expectSpecError(await api.put(`/incidents/${id}`, { status: 'open' }), '/incidents/{incident_id}', 'put');
      const snippets = await api.get(`/incidents/${id}/snippets`);
      expect(snippets.status).toBe(404);
      expectSpecError(snippets, '/incidents/{incident_id}/snippets', 'get');
    }
  });

  it('should answer unknown routes with 404 and wrong methods with 405', async () => {
    for (const path of ['/v4/nope', '/v4/data-patterns', '/v4/incidents/', '/incidents', '/v3/incidents']) {
      const res = await call(`${new URL(sim.baseUrl).origin}${path}`, { headers: api.headers });
      expect(res.status, path).toBe(404);
      expectSpecError(res, null, 'get');
    }
    const del = await call(`${sim.baseUrl}/incidents/1000001`, { method: 'DELETE', headers: api.headers });
    expect([del.status, del.headers.get('allow')]).toEqual([405, 'GET, PUT']);
    expectSpecError(del, null, 'delete');
    expect((await call(`${sim.baseUrl}/incidents`, { method: 'POST', headers: api.headers })).status).toBe(405);
    expect((await call(sim.tokenUrl)).status).toBe(405);
  });

  it('should ship fixtures that conform to the same schemas', () => {
    const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Json;
    const page = fixture('list-incidents-page.json');
    expectValid(responseValidator('/incidents', 'get', 200), page);
    (page.incidents as Json[]).forEach(expectSpecIncident);
    expectSpecIncident(fixture('incident.json'));
    const snippets = fixture('snippets.json');
    expectValid(responseValidator('/incidents/{incident_id}/snippets', 'get', 200), snippets);
    for (const s of snippets.snippets as Json[]) expect(s).toMatchObject({ masked: true, snippet: /\*{4,}/ });
    for (const name of ['error-400.json', 'error-401.json']) {
      expectValid(schemaValidator('ErrorResponse'), fixture(name));
    }
    for (const incident of page.incidents as Json[]) expect(incident.user).toMatch(/@example\.com$/);
  });
});

describe('Palo Alto simulator: behaviour', () => {
  it('should expire tokens after tokenTtlSec on the simulator clock', async () => {
    const clock = createFakeClock(ANCHOR);
    const sim = await start({ clock, tokenTtlSec: 60 });
    const token = await requestToken(sim);
    expect((token.body as Json).expires_in).toBe(60);
    const api = await connect(sim);
    clock.advance(59_000);
    expect((await api.get('/incidents?limit=1')).status).toBe(200);
    clock.advance(1_000);
    const expired = await api.get('/incidents?limit=1');
    expect(expired.status).toBe(401);
    expect((expired.body as Json).message).toMatch(/expired/);
    expectSpecError(expired, '/incidents', 'get');
    expect((await (await connect(sim)).get('/incidents?limit=1')).status).toBe(200);
  });

  it('should return exactly the incidents matching status, severity and time-range filters', async () => {
    const sim = await start({ incidents: 1_200, seed: 5, clock: createFakeClock(ANCHOR) });
    const api = await connect(sim);
    const everything = await api.listAll();
    expect(everything).toHaveLength(1_200);
    const ids = (records: Json[]) => records.map((r) => r.incident_id);
    const from = String(everything[400]?.timestamp);
    const to = String(everything[800]?.timestamp);
    const cases: [string, (r: Json) => boolean][] = [
      ['status=open', (r) => r.status === 'open'],
      ['status=dismissed', (r) => r.status === 'dismissed'],
      ['severity=critical', (r) => r.severity === 'critical'],
      ['status=in_review&severity=high', (r) => r.status === 'in_review' && r.severity === 'high'],
      [`start_time=${from}`, (r) => String(r.timestamp) >= from],
      [`end_time=${to}`, (r) => String(r.timestamp) < to],
      [
        `start_time=${from}&end_time=${to}&severity=medium`,
        (r) => String(r.timestamp) >= from && String(r.timestamp) < to && r.severity === 'medium',
      ],
      [`start_time=${to}&end_time=${from}`, () => false],
    ];
    for (const [query, keep] of cases) {
      const expected = ids(everything.filter(keep));
      const got = await api.listAll(query, 97);
      expect(ids(got), query).toEqual(expected);
      expect((await api.list(`${query}&limit=1`)).total, query).toBe(expected.length);
    }
    expect(ids(await api.listAll(`start_time=${from}&end_time=${from}`))).toEqual([]);
  });

  it('should page through every incident exactly once in ascending timestamp, then id, order', async () => {
    const sim = await start({ incidents: 1_000, seed: 8 });
    const api = await connect(sim);
    const pages = await api.listAll('', 7);
    const ids = pages.map((r) => String(r.incident_id));
    expect(ids).toHaveLength(1_000);
    expect(new Set(ids).size).toBe(1_000);
    for (let i = 1; i < pages.length; i += 1) {
      const [a, b] = [pages[i - 1] as Json, pages[i] as Json];
      const order =
        String(a.timestamp).localeCompare(String(b.timestamp)) ||
        String(a.incident_id).localeCompare(String(b.incident_id));
      expect(order, `${ids[i - 1]} before ${ids[i]}`).toBeLessThan(0);
    }
    expect((await api.list('offset=5000')).incidents).toEqual([]);
    expect(ids).toEqual((await api.listAll('', 500)).map((r) => r.incident_id));
  });

  it('should persist a PUT, stamp reviewed_at from the simulator clock and reflect it in filters', async () => {
    const clock = createFakeClock(ANCHOR);
    const sim = await start({ clock });
    const api = await connect(sim);
    const target = (await api.list('status=open&limit=1')).incidents[0] as Json;
    const id = String(target.incident_id);
    const openBefore = sim.openIncidentCount();
    const openTotal = (await api.list('status=open')).total;
    expect(openTotal).toBe(openBefore);
    clock.advance(90_000);
    const res = await api.put(`/incidents/${id}`, { status: 'resolved', reviewer_comments: 'false positive <!here>' });
    expect(res.status).toBe(200);
    expectValid(responseValidator('/incidents/{incident_id}', 'put', 200), res.body);
    expectSpecIncident(res.body as Json);
    const expected = {
      ...target,
      status: 'resolved',
      reviewer_comments: 'false positive <!here>',
      reviewed_at: '2026-11-23T10:01:30Z',
    };
    expect(res.body).toEqual(expected);
    expect((res.body as Json).reviewed_by).toBeUndefined();
    expect((await api.get(`/incidents/${id}`)).body).toEqual(expected);
    expect(sim.incident(id)).toEqual(expected);
    expect(sim.openIncidentCount()).toBe(openBefore - 1);
    expect((await api.list('status=open')).total).toBe(openTotal - 1);
    expect((await api.listAll('status=resolved')).map((r) => r.incident_id)).toContain(id);
    const comment = await api.put(`/incidents/${id}`, { reviewer_comments: 'x'.repeat(10_000) });
    expect(comment.status).toBe(200);
    expect(comment.body).toMatchObject({ status: 'resolved', reviewer_comments: 'x'.repeat(10_000) });
  });

  it('should reject invalid PUT bodies with a 400 ErrorResponse and leave the incident unchanged', async () => {
    const sim = await start();
    const api = await connect(sim);
    const id = String((await api.list('status=open&limit=1')).incidents[0]?.incident_id);
    const before = sim.incident(id);
    const bodies: [unknown, string?][] = [
      ['[]'],
      ['null'],
      ['"resolved"'],
      [{}],
      [{ status: 'closed' }],
      [{ status: null }],
      [{ reviewer_comments: 5 }],
      [{ reviewer_comments: 'x'.repeat(10_001) }],
      [{ status: 'resolved', assignee: 'someone@example.com' }],
      ['{"status":'],
      [{ status: 'resolved' }, 'text/plain'],
    ];
    for (const [body, type] of bodies) {
      const res = await api.put(`/incidents/${id}`, body, type);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expectSpecError(res, '/incidents/{incident_id}', 'put');
    }
    expect(sim.incident(id)).toEqual(before);
  });

  it('should generate the same dataset for the same seed and a different one for another seed', () => {
    const first = allIncidents(3, 400);
    expect(allIncidents(3, 400)).toEqual(first);
    expect(allIncidents(4, 400)).not.toEqual(first);
    const other = generatePaloAltoDataset({ seed: 3, incidents: 400, anchor: new Date(ANCHOR.getTime() + HOUR) });
    expect(other.incident(0).timestamp).not.toBe(first[0]?.timestamp);
  });

  it('should make breachedShare of the open incidents older than their SLA window, some escalated, some due soon', () => {
    for (const share of [0, 0.3, 0.6]) {
      const open = allIncidents(21, 2_000, share).filter((r) => r.status === 'open');
      const ratio = (r: Json) =>
        (ANCHOR.getTime() - Date.parse(String(r.timestamp))) / ((SLA_HOURS[String(r.severity)] ?? Number.NaN) * HOUR);
      const breached = open.filter((r) => ratio(r) > 1);
      expect(Math.abs(breached.length - open.length * share), `share ${share}`).toBeLessThanOrEqual(1);
      expect(open.every((r) => ratio(r) >= 0)).toBe(true);
      const dueSoon = open.filter((r) => ratio(r) >= 0.75 && ratio(r) <= 1);
      expect(dueSoon.length).toBeGreaterThan(open.length * (1 - share) * 0.1);
      if (share > 0) {
        const escalated = breached.filter((r) => ratio(r) > 2);
        expect(escalated.length).toBeGreaterThan(breached.length * 0.2);
        expect(escalated.length).toBeLessThan(breached.length * 0.5);
      }
    }
  });

  it('should mix severities and statuses and put hostile strings into about 5% of records', () => {
    const records = allIncidents(17, 3_000);
    const count = (field: string, value: string) => records.filter((r) => r[field] === value).length;
    expect(count('status', 'open')).toBeGreaterThan(records.length * 0.6);
    for (const status of ['in_review', 'resolved', 'dismissed']) expect(count('status', status)).toBeGreaterThan(30);
    expect(count('severity', 'critical')).toBeLessThan(count('severity', 'medium'));
    expect(count('severity', 'informational')).toBeGreaterThan(30);
    const fields = ['file_name', 'data_pattern_name', 'user'];
    const hostile = records.filter((r) => fields.some((f) => HOSTILE_STRINGS.includes(String(r[f]))));
    expect(hostile.length / records.length).toBeGreaterThan(0.03);
    expect(hostile.length / records.length).toBeLessThan(0.07);
    for (const value of HOSTILE_STRINGS) expect(hostile.some((r) => fields.some((f) => r[f] === value))).toBe(true);
    const users = records.map((r) => String(r.user)).filter((u) => !HOSTILE_STRINGS.includes(u));
    expect(users.every((u) => /^user\d{3}@example\.com$/.test(u))).toBe(true);
  });

  it('should make arrivals after the anchor visible only once the simulator clock passes them', async () => {
    const clock = createFakeClock(ANCHOR);
    const sim = await start({ clock, arrivalsPerHour: 60 });
    let api = await connect(sim);
    const since = `start_time=${ANCHOR.toISOString()}`;
    expect((await api.list()).total).toBe(300);
    expect((await api.get('/incidents/1000300')).status).toBe(404);
    clock.advance(HOUR / 2);
    api = await connect(sim); // the first token expired 15 minutes in
    const arrived = await api.listAll(`${since}&status=open`);
    expect(arrived.length).toBeGreaterThanOrEqual(29);
    expect(arrived.length).toBeLessThanOrEqual(31);
    expect((await api.list()).total).toBe(300 + arrived.length);
    for (const incident of arrived) {
      expect(Date.parse(String(incident.timestamp))).toBeGreaterThanOrEqual(ANCHOR.getTime());
      expect(Date.parse(String(incident.timestamp))).toBeLessThanOrEqual(clock.now().getTime());
      expectSpecIncident(incident);
    }
    expect(arrived[0]?.incident_id).toBe('1000300');
    expect((await api.get('/incidents/1000300')).status).toBe(200);
    clock.advance(HOUR);
    api = await connect(sim);
    expect((await api.list(since)).total).toBeGreaterThan(arrived.length + 55);
    expect(sim.openIncidentCount()).toBeGreaterThan(arrived.length);
  });

  it('should generate 100,000 incidents and serve pages from the far end of the listing', async () => {
    const dataset = generatePaloAltoDataset({ seed: 9, incidents: 100_000, anchor: ANCHOR });
    expect(dataset.size()).toBe(100_000);
    const sim = await start({ seed: 9, incidents: 100_000, clock: createFakeClock(ANCHOR) });
    const api = await connect(sim);
    const last = await api.list('offset=99500&limit=500');
    expect([last.total, last.incidents.length, last.incidents[499]?.incident_id]).toEqual([100_000, 500, '1099999']);
    expect(last.incidents[0]).toEqual(dataset.incident(99_500));
    let open = 0;
    for (let p = 0; p < 100_000; p += 1) if (dataset.statusAt(p) === 0) open += 1;
    const openPage = await api.list(`status=open&limit=500&offset=${open - 3}`);
    expect([openPage.total, openPage.incidents.length]).toEqual([open, 3]);
    expect(sim.openIncidentCount()).toBe(open);
  });
});

describe('Palo Alto simulator: fault knobs', () => {
  it('should answer every API request with a 500 ErrorResponse when errorRate is 1', async () => {
    const sim = await start({ faults: { errorRate: 1 } });
    const api = await connect(sim);
    for (const path of ['/incidents', '/incidents/1000001', '/incidents/1000001/snippets']) {
      const res = await api.get(path);
      expect(res.status).toBe(500);
      expectSpecError(res, path === '/incidents' ? path : '/incidents/{incident_id}', 'get');
    }
  });

  it('should answer every Nth request, or a share of them, with 429 and a Retry-After header', async () => {
    const sim = await start({ faults: { rateLimit429Every: 3, retryAfterSec: 7 } });
    const api = await connect(sim);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await api.get('/incidents?limit=1');
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('7');
        expectSpecError(res, null, 'get');
      }
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
    const always = await connect(await start({ faults: { rateLimitShare: 1 } }));
    const limited = await always.get('/incidents');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1']);
  });

  it('should delay responses by latencyMs', async () => {
    const api = await connect(await start({ faults: { latencyMs: 120 } }));
    const started = performance.now();
    expect((await api.get('/incidents?limit=1')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('should enforce limitPerMinute as a sliding window on the simulator clock', async () => {
    const clock = createFakeClock(ANCHOR);
    const sim = await start({ clock, faults: { limitPerMinute: 3 } });
    const api = await connect(sim);
    for (let i = 0; i < 2; i += 1) expect((await api.get('/incidents?limit=1')).status).toBe(200);
    clock.advance(30_000);
    expect((await api.get('/incidents?limit=1')).status).toBe(200);
    const limited = await api.get('/incidents?limit=1');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '30']);
    clock.advance(29_000);
    expect((await api.get('/incidents?limit=1')).headers.get('retry-after')).toBe('1');
    clock.advance(1_000);
    expect((await api.get('/incidents?limit=1')).status).toBe(200);
    expect((await api.get('/incidents?limit=1')).status).toBe(200);
    expect((await api.get('/incidents?limit=1')).status).toBe(429);
  });
});

describe('Palo Alto simulator: misbehaviour quirks', () => {
  it('should truncate list responses when invalidJson is on', async () => {
    const api = await connect(await start({ quirks: { invalidJson: true } }));
    const res = await api.get('/incidents?limit=5');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(() => JSON.parse(res.text)).toThrow();
    expect(res.text.startsWith('{"total":300')).toBe(true);
    expectSpecIncident((await api.get('/incidents/1000001')).body as Json);
  });

  it('should break the same share of list records on every read when malformedRecordShare is set', async () => {
    const api = await connect(await start({ quirks: { malformedRecordShare: 0.2 } }));
    const validate = schemaValidator('DLPIncident');
    const broken = (r: Json) => !validate(r) || !('incident_id' in r) || (r.match_count as number) < 0;
    const first = (await api.list('limit=300')).incidents;
    const share = first.filter(broken).length / first.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.28);
    expect(first.filter((r) => !validate(r)).length).toBeGreaterThan(0);
    expect((await api.list('limit=300')).incidents).toEqual(first);
    first.filter((r) => !broken(r)).forEach(expectSpecIncident);
    const clean = await connect(await start());
    expect((await clean.list('limit=300')).incidents.filter(broken)).toEqual([]);
  });

  it('should report an inflated total when inflateTotal is set', async () => {
    const api = await connect(await start({ quirks: { inflateTotal: 1_000 } }));
    expect((await api.list('limit=10')).total).toBe(1_300);
    expect((await api.list('offset=300&limit=500')).incidents).toEqual([]);
    expect((await api.list('status=open&limit=1')).total).toBeGreaterThan(1_000);
  });

  it('should repeat the last 10 records of the previous page when repeatRecords is on', async () => {
    const api = await connect(await start({ quirks: { repeatRecords: true } }));
    const page1 = (await api.list('limit=50')).incidents;
    const page2 = (await api.list('offset=50&limit=50')).incidents;
    expect(page1).toHaveLength(50);
    expect(page2).toHaveLength(60);
    expect(page2.slice(0, 10)).toEqual(page1.slice(40));
    const ids = new Set([...page1, ...page2].map((r) => r.incident_id));
    expect(ids.size).toBe(100);
  });

  it('should return the first page for every offset when offsetIgnored is on', async () => {
    const api = await connect(await start({ quirks: { offsetIgnored: true } }));
    const first = await api.list('limit=20');
    const later = await api.list('offset=100&limit=20');
    expect(later.offset).toBe(100);
    expect(later.incidents).toEqual(first.incidents);
  });
});

describe('Palo Alto simulator: handle', () => {
  it('should describe itself, emit a source entry and env, count requests and close', async () => {
    const sim = await startPaloAltoSimulator({
      seed: 2,
      incidents: 50,
      faults: { latencyMs: 1 },
      quirks: { inflateTotal: 5 },
    });
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v4$/);
    expect(sim.tokenUrl).toBe(`${new URL(sim.baseUrl).origin}/oauth2/access_token`);
    expect(sim.sourceConfig('pan-sandbox')).toEqual({
      id: 'pan-sandbox',
      vendor: 'paloalto',
      baseUrl: sim.baseUrl,
      tokenUrl: sim.tokenUrl,
      tsgId: '1234567890',
      clientIdEnv: 'PAN_SANDBOX_CLIENT_ID',
      clientSecretEnv: 'PAN_SANDBOX_CLIENT_SECRET',
    });
    expect(sim.env()).toEqual({ PAN_SANDBOX_CLIENT_ID: 'sandbox-client', PAN_SANDBOX_CLIENT_SECRET: 'sandbox-secret' });
    const text = sim.describe().join('\n');
    for (const part of [sim.baseUrl, sim.tokenUrl, 'sandbox-secret', '50 visible', 'latencyMs=1', 'inflateTotal=5']) {
      expect(text).toContain(part);
    }
    const api = await connect(sim);
    await api.get('/incidents');
    await api.get('/incidents/1000001');
    await api.get('/nope');
    expect(sim.requests()).toEqual({
      total: 4,
      token: 1,
      byRoute: {
        'POST /oauth2/access_token': 1,
        'GET /v4/incidents': 1,
        'GET /v4/incidents/{incident_id}': 1,
        unmatched: 1,
      },
    });
    await sim.close();
    await expect(fetch(sim.tokenUrl, { method: 'POST' })).rejects.toThrow();
  });
});
