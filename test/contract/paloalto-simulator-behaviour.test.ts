import { describe, expect, it } from 'vitest';
import { fixedClock } from '../support/fixed-clock.js';
import { expectValid } from '../support/openapi.js';
import {
  ANCHOR,
  connect,
  expectSpecError,
  expectSpecIncident,
  type Json,
  PAN_SPEC,
  requestToken,
  useSimulators,
} from '../support/paloalto.js';

const start = useSimulators();

describe('Palo Alto simulator: behaviour', () => {
  it('should expire tokens after tokenTtlSec on the simulator clock', async () => {
    const clock = fixedClock(ANCHOR);
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
    const sim = await start({ incidents: 1_200, seed: 5, clock: fixedClock(ANCHOR) });
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
    const clock = fixedClock(ANCHOR);
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
    expectValid(PAN_SPEC.response('/incidents/{incident_id}', 'put', 200), res.body);
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
});
