import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { fixedClock } from '../support/fixed-clock.js';
import { expectValid } from '../support/openapi.js';
import {
  ANCHOR,
  basic,
  call,
  connect,
  expectSpecError,
  expectSpecIncident,
  type Json,
  type ListBody,
  PAN_FIXTURES,
  PAN_SPEC,
  requestToken,
  type SimulatorApi,
  useSimulators,
} from '../support/paloalto.js';

const start = useSimulators();

describe('Palo Alto simulator: responses conform to the seed OpenAPI document', () => {
  let sim: PaloAltoSimulator;
  let api: SimulatorApi;
  beforeAll(async () => {
    sim = await start({ clock: fixedClock(ANCHOR) });
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
    expectValid(PAN_SPEC.response('/incidents', 'get', 200), res.body);
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
    expectValid(PAN_SPEC.response('/incidents/{incident_id}', 'get', 200), res.body);
    expectSpecIncident(res.body as Json);
    expect(res.body).toEqual(first);
  });

  it('should serve masked, deterministic snippets that conform to the getIncidentSnippets 200 schema', async () => {
    const [incident] = (await api.list('limit=1&offset=9')).incidents;
    const path = `/incidents/${incident?.incident_id}/snippets`;
    const res = await api.get(path);
    expect(res.status).toBe(200);
    expectValid(PAN_SPEC.response('/incidents/{incident_id}/snippets', 'get', 200), res.body);
    const body = res.body as { incident_id: string; snippets: Json[] };
    expect(body.incident_id).toBe(incident?.incident_id);
    expect(body.snippets.length).toBeGreaterThan(0);
    for (const snippet of body.snippets) {
      expect(Object.keys(snippet).sort()).toEqual(PAN_SPEC.propertiesOf('ContentSnippet').sort());
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
    const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, PAN_FIXTURES), 'utf8')) as Json;
    const page = fixture('list-incidents-page.json');
    expectValid(PAN_SPEC.response('/incidents', 'get', 200), page);
    (page.incidents as Json[]).forEach(expectSpecIncident);
    expectSpecIncident(fixture('incident.json'));
    const snippets = fixture('snippets.json');
    expectValid(PAN_SPEC.response('/incidents/{incident_id}/snippets', 'get', 200), snippets);
    for (const s of snippets.snippets as Json[]) expect(s).toMatchObject({ masked: true, snippet: /\*{4,}/ });
    for (const name of ['error-400.json', 'error-401.json']) {
      expectValid(PAN_SPEC.schema('ErrorResponse'), fixture(name));
    }
    for (const incident of page.incidents as Json[]) expect(incident.user).toMatch(/@example\.com$/);
  });
});
