import { describe, expect, it } from 'vitest';
import { startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { fixedClock } from '../support/fixed-clock.js';
import {
  ANCHOR,
  connect,
  expectSpecError,
  expectSpecIncident,
  type Json,
  PAN_SPEC,
  useSimulators,
} from '../support/paloalto.js';

const start = useSimulators();

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
    const clock = fixedClock(ANCHOR);
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
    const validate = PAN_SPEC.schema('DLPIncident');
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
