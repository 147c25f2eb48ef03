import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { skyhigh } from '../../adapters/dlp/skyhigh/index.js';
import type { ShnIncidentRecord } from '../../adapters/dlp/skyhigh/simulator/records.js';
import {
  MODIFY_ROUTE,
  QUERY_ROUTE,
  type SkyhighSimulator,
  type SkyhighSimulatorOptions,
  startSkyhighSimulator,
} from '../../adapters/dlp/skyhigh/simulator.js';
import { createConfigSchema } from '../../src/config/schema.js';
import { createRequestCounter } from '../../src/http/counter.js';
import type { Actor, IncidentSource } from '../../src/ports/index.js';
import { closeAfterAll, collect, errorOf, okValue } from '../support/adapters.js';
import { type FixedClock, fixedClock } from '../support/fixed-clock.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const ANA: Actor = { email: 'ana@example.com', display: 'Ana Analyst' };
const track = closeAfterAll();
const start = async (options: SkyhighSimulatorOptions = {}) =>
  track(await startSkyhighSimulator({ seed: 12, incidents: 300, anchor: ANCHOR, ...options }));

type Json = Record<string, unknown>;

/** A source sharing the simulator's clock, with its log lines kept (debug too: the learned spelling is logged there). */
function sourceFor(sim: SkyhighSimulator, clock: FixedClock, overrides: Json = {}) {
  const lines: Json[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Json) });
  const entry = { ...sim.sourceConfig('shn-test'), ...overrides };
  const config = createConfigSchema([skyhigh.config], sim.env()).parse({ sources: [entry] }).sources[0];
  if (!config) throw new Error('no source');
  const source = track(skyhigh.create(config, { logger, counter: createRequestCounter(), clock }) as IncidentSource);
  return { source, lines };
}

const queries = (sim: SkyhighSimulator) => sim.requests().byRoute[QUERY_ROUTE] ?? 0;
const modifies = (sim: SkyhighSimulator) => sim.requests().byRoute[MODIFY_ROUTE] ?? 0;
const openPolicy = (sim: SkyhighSimulator) =>
  sim
    .records()
    .filter((r) => (r.status === 'new' || r.status === 'opened') && r.incidentGroup.startsWith('Alert.Policy.'));

describe('Skyhigh adapter: false positive through modifyIncidents', () => {
  let clock: FixedClock;
  let sim: SkyhighSimulator;
  let source: IncidentSource;
  let open: ShnIncidentRecord[];
  beforeAll(async () => {
    clock = fixedClock(ANCHOR);
    sim = await start({ clock });
    // Small pages, so a lookup that read more than it must would show in the request counts.
    ({ source } = sourceFor(sim, clock, { limit: 20 }));
    expect((await collect(source.listOpen({ mode: 'full' }))).error).toBeNull();
    open = openPolicy(sim);
  });

  it("should set the vendor's false-positive status with the preferred spelling, in two requests", async () => {
    const id = String(open[0]?.incidentId);
    clock.advance(60_000);
    const [q, m] = [queries(sim), modifies(sim)];
    expect(okValue(await source.markFalsePositive(id, 'test data only', ANA))).toEqual({ recordedIn: 'vendor' });
    // One exact-millisecond query proves the incident is there, then one modify.
    expect([queries(sim) - q, modifies(sim) - m]).toEqual([1, 1]);
    expect(sim.incident(id)?.status).toBe('false positive');
    expect(sim.statusSpellings()).toEqual(['FALSE_POSITIVE']);
    const incident = okValue(await source.get(id));
    expect(incident).toMatchObject({ status: 'false_positive', rawStatus: 'false positive', updatedAt: clock.now() });
    // The re-read starts after everything the server had shown before the change: one short query.
    expect(queries(sim) - q).toBe(2);
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(listed.incidents.map((i) => i.id)).not.toContain(id);
  });

  it('should find an incident changed in the console since it was listed, in its new state', async () => {
    const id = String(open[1]?.incidentId);
    clock.advance(60_000);
    expect(sim.changeStatus(id, 'resolved')).toBe(true);
    expect(okValue(await source.get(id))).toMatchObject({ status: 'resolved', updatedAt: clock.now() });
  });

  it('should answer not_found for an unknown id, after a single query, and never call modifyIncidents', async () => {
    const [q, m] = [queries(sim), modifies(sim)];
    for (const id of ['DLP-999999', 'no such/id?x=1']) {
      expect(errorOf(await source.markFalsePositive(id, 'x', ANA))).toMatchObject({ code: 'not_found' });
      expect(errorOf(await source.snippets(id)).code).toBe('not_found');
      expect(errorOf(await source.get(id)).code).toBe('not_found');
    }
    // The full listing proved every incident it did not see is older than the window: only newer ones are read.
    expect(queries(sim) - q).toBe(6);
    expect(modifies(sim) - m).toBe(0);
  });

  it('should answer unsupported for assign and notes without calling the vendor', async () => {
    const before = sim.requests().total;
    const id = String(open[2]?.incidentId);
    expect(errorOf(await source.assign(id, { id: 'bo@example.com' }, ANA)).code).toBe('unsupported');
    expect(errorOf(await source.addNote(id, 'looked at it', ANA)).code).toBe('unsupported');
    expect(sim.requests().total).toBe(before);
  });
});

describe('Skyhigh adapter: a change whose answer cannot be read', () => {
  it('should report a false positive applied when the answer is unreadable but the incident shows it, and not send it twice', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, quirks: { unreadableWriteAnswers: true } });
    const { source } = sourceFor(sim, clock, { http: { maxRetries: 0 } });
    const id = String(openPolicy(sim)[0]?.incidentId);
    clock.advance(60_000);
    expect(okValue(await source.markFalsePositive(id, 'test data', ANA))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'reread',
    });
    expect(sim.incident(id)?.status).toBe('false positive');
    const m = modifies(sim);
    expect(okValue(await source.markFalsePositive(id, 'test data', ANA))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'already',
    });
    expect(modifies(sim)).toBe(m);
  });
});

describe('Skyhigh adapter: WORKFLOW_STATUS spelling', () => {
  it('should fall back to the read label when the server refuses FALSE_POSITIVE, log it, and use it from then on', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, quirks: { statusSpelling: 'label' } });
    const { source, lines } = sourceFor(sim, clock, { http: { maxRetries: 0 } });
    const [a, b] = openPolicy(sim);
    okValue(await source.markFalsePositive(String(a?.incidentId), '', ANA));
    expect(sim.statusSpellings()).toEqual(['FALSE_POSITIVE', 'false positive']);
    expect(sim.incident(String(a?.incidentId))?.status).toBe('false positive');
    const learned = lines.filter((l) => String(l.msg).includes('WORKFLOW_STATUS spelling'));
    expect(learned.map((l) => [l.spelling, l.source])).toEqual([['false positive', 'shn-test']]);
    okValue(await source.markFalsePositive(String(b?.incidentId), '', ANA));
    expect(sim.statusSpellings()).toEqual(['FALSE_POSITIVE', 'false positive', 'false positive']);
    expect(lines.filter((l) => String(l.msg).includes('WORKFLOW_STATUS spelling'))).toHaveLength(1);
  });

  it('should keep the preferred spelling when the server takes it', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, quirks: { statusSpelling: 'upper' } });
    const { source, lines } = sourceFor(sim, clock);
    const [a, b] = openPolicy(sim);
    okValue(await source.markFalsePositive(String(a?.incidentId), '', ANA));
    okValue(await source.markFalsePositive(String(b?.incidentId), '', ANA));
    expect(sim.statusSpellings()).toEqual(['FALSE_POSITIVE', 'FALSE_POSITIVE']);
    expect(lines.find((l) => String(l.msg).includes('WORKFLOW_STATUS spelling'))?.spelling).toBe('FALSE_POSITIVE');
  });
});

describe('Skyhigh adapter: snippets from the information map', () => {
  it('should return the match details of the information map as they are, for the core to mask', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock });
    const { source } = sourceFor(sim, clock);
    const raw = openPolicy(sim).find(
      (r) => r.incidentId.startsWith('DLP-') && r.information.totalMatchCount !== undefined,
    );
    const info = raw?.information ?? {};
    const snippets = okValue(await source.snippets(String(raw?.incidentId)));
    expect(snippets).toEqual([
      { label: 'Matches', text: String(info.totalMatchCount) },
      { label: 'Match locations', text: (info.matchLocations as string[]).join(', ') },
      { label: 'Content item', text: String(info.contentItemName) },
      { label: 'Content type', text: 'FILE' },
      { label: 'Location', text: String(info.contentItemHierarchy) },
    ]);
  });

  it('should return no snippets for an incident whose information map has no match details', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock });
    const { source } = sourceFor(sim, clock, { categories: [] });
    const access = sim.records().find((r) => r.incidentId.startsWith('CAP-') || r.incidentId.startsWith('ANO-'));
    expect(okValue(await source.snippets(String(access?.incidentId)))).toEqual([]);
  });
});
