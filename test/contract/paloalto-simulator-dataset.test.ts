import { describe, expect, it } from 'vitest';
import { generatePaloAltoDataset } from '../../adapters/dlp/paloalto/dataset.js';
import { HOSTILE_STRINGS } from '../../adapters/dlp/simulator-kit/hostile.js';
import { fixedClock } from '../support/fixed-clock.js';
import {
  ANCHOR,
  allIncidents,
  connect,
  expectSpecIncident,
  HOUR,
  type Json,
  SLA_HOURS,
  useSimulators,
} from '../support/paloalto.js';

const start = useSimulators();

describe('Palo Alto simulator: dataset', () => {
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
    const clock = fixedClock(ANCHOR);
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
    const sim = await start({ seed: 9, incidents: 100_000, clock: fixedClock(ANCHOR) });
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
