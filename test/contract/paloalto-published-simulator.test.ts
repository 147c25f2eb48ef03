import { beforeAll, describe, expect, it } from 'vitest';
import type { PaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ANCHOR, type Json, useSimulators } from '../support/paloalto.js';
import { publishedRecords, publishedToken } from '../support/paloalto-published.js';

const clock = fixedClock(ANCHOR);
const start = useSimulators({ seed: 61, incidents: 45, clock, api: 'published' });

describe('Palo Alto simulator: the published routes', () => {
  let sim: PaloAltoSimulator;
  let bearer: string;
  const send = async (method: string, path: string, body?: string, type = 'application/json') => {
    const res = await fetch(`${sim.publishedBaseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': type }) },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
  beforeAll(async () => {
    sim = await start();
    bearer = await publishedToken(sim);
  });

  it('should page 1-based, newest first unless ascending, reading page 0 as the first page', async () => {
    const first = await send('GET', '/v2/api/incidents?page_number=0&page_size=10');
    expect(first.body.page).toEqual({ number: 1, size: 10, total_elements: 45, total_pages: 5 });
    const ids = (r: typeof first) => (r.body.resources as Json[]).map((x) => x.incident_id);
    const all = publishedRecords(sim).map((r) => r.incident_id);
    expect(ids(first)).toEqual(all.slice(-10).reverse());
    const last = await send('GET', '/v2/api/incidents?page_number=5&page_size=10&ascending=true');
    expect(ids(last)).toEqual(all.slice(40));
  });

  it('should keep every record in region us and answer other regions with nothing', async () => {
    const eu = await send('GET', '/v2/api/incidents?region=eu');
    expect(eu.body.page).toMatchObject({ total_elements: 0 });
    expect((await send('GET', `/v2/api/incidents/${sim.publishedIdAt(0)}?region=eu`)).status).toBe(404);
    expect((await send('GET', '/v2/api/incidents?region=mars')).status).toBe(400);
  });

  it('should refuse parameters it does not implement instead of ignoring them', async () => {
    const res = await send('GET', '/v2/api/incidents?user_ids=u1');
    expect(res).toMatchObject({
      status: 400,
      body: { error: 'bad_request', message: 'user_ids is not supported by this simulator' },
    });
  });

  it('should take the v1 PUT bodies as JSON strings only', async () => {
    const id = sim.publishedIdAt(3);
    expect((await send('PUT', `/v1/api/incidents/${id}/notes`, 'plain text')).status).toBe(400);
    expect((await send('PUT', `/v1/api/incidents/${id}/notes`, JSON.stringify({ notes: 'x' }))).status).toBe(400);
    expect((await send('PUT', `/v1/api/incidents/${id}/notes`, JSON.stringify('checked'))).status).toBe(200);
    expect(sim.publishedIncident(id)?.incident_notes).toBe('checked');
    expect((await send('DELETE', `/v1/api/incidents/${id}/notes`)).status).toBe(200);
    expect(sim.publishedIncident(id)?.incident_notes).toBeUndefined();
    expect((await send('PUT', `/v1/api/incidents/${id}/assignee`, JSON.stringify('not-an-assignee'))).status).toBe(400);
  });

  it('should change the shared status through resolution-status and feedback, visible to the seed API', async () => {
    const id = sim.publishedIdAt(4);
    const seedId = '1000004';
    expect((await send('PUT', `/v1/api/incidents/${id}/resolution-status`, JSON.stringify('resolved'))).status).toBe(
      200,
    );
    expect([sim.publishedIncident(id)?.resolution_status, sim.incident(seedId)?.status]).toEqual([
      'resolved',
      'resolved',
    ]);
    const reportId = String(sim.publishedIncident(id)?.report_id);
    const feedback = (type: string, report: string) =>
      send(
        'POST',
        `/v1/public/incident-feedback/${id}?feedback_type=${type}`,
        JSON.stringify({ user_id: 'a@example.com', report_id: report, service_name: 'ngfw' }),
      );
    expect((await feedback('MAYBE', reportId)).status).toBe(400);
    expect((await feedback('CONFIRMED_FALSE_POSITIVE', '1')).status).toBe(400);
    expect((await feedback('CONFIRMED_FALSE_POSITIVE', reportId)).status).toBe(200);
    expect(sim.publishedIncident(id)).toMatchObject({
      incident_feedback_status: 'CONFIRMED_FALSE_POSITIVE',
      resolution_status: 'closed',
    });
    expect(sim.incident(seedId)?.status).toBe('dismissed');
  });

  it('should serve detections only when fetchSnippets=true', async () => {
    const reportId = String(sim.publishedIncident(sim.publishedIdAt(5))?.report_id);
    const results = async (query: string) =>
      ((await send('GET', `/v1/public/report/${reportId}${query}`)).body.scanContentRawReport as Json)
        .data_pattern_rule_1_results as Json[];
    expect((await results(''))[0]?.detections).toBeUndefined();
    expect((((await results('?fetchSnippets=true'))[0]?.detections ?? []) as Json[]).length).toBeGreaterThan(0);
    expect((await send('GET', '/v1/public/report/42')).status).toBe(404);
  });
});
