import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSkyhighClient } from '../../adapters/dlp/skyhigh/client.js';
import type { SkyhighConfig } from '../../adapters/dlp/skyhigh/config.js';
import { skyhigh } from '../../adapters/dlp/skyhigh/index.js';
import { type ScanState, scanIncidents } from '../../adapters/dlp/skyhigh/list.js';
import { BREAKAGES, breakageOf, isMalformed } from '../../adapters/dlp/skyhigh/simulator/quirks.js';
import type { ShnIncidentRecord } from '../../adapters/dlp/skyhigh/simulator/records.js';
import {
  QUERY_ROUTE,
  type SkyhighSimulator,
  type SkyhighSimulatorOptions,
  startSkyhighSimulator,
} from '../../adapters/dlp/skyhigh/simulator.js';
import { createConfigSchema } from '../../src/config/schema.js';
import type { Incident } from '../../src/domain/incident.js';
import { createRequestCounter } from '../../src/http/counter.js';
import type { IncidentSource } from '../../src/ports/index.js';
import { closeAfterAll, collect } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';

const SEED = 12;
const ANCHOR = new Date('2026-11-23T10:00:00Z');
const OLD = Date.parse('2026-10-01T00:00:00Z');
const full = { mode: 'full' } as const;
const track = closeAfterAll();
const start = async (options: SkyhighSimulatorOptions = {}) =>
  track(
    await startSkyhighSimulator({ seed: SEED, incidents: 300, anchor: ANCHOR, clock: fixedClock(ANCHOR), ...options }),
  );

type Json = Record<string, unknown>;

function captureLogger() {
  const lines: Json[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Json) });
  return { logger, lines };
}

function configFor(sim: SkyhighSimulator, overrides: Json = {}): SkyhighConfig {
  const entry = { ...sim.sourceConfig('shn-test'), ...overrides };
  const parsed = createConfigSchema([skyhigh.config], sim.env()).safeParse({ sources: [entry] });
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return parsed.data.sources[0] as SkyhighConfig;
}

function sourceFor(sim: SkyhighSimulator, overrides: Json = {}) {
  const capture = captureLogger();
  const clock = fixedClock(ANCHOR);
  const deps = { logger: capture.logger, counter: createRequestCounter(), clock };
  const source = track(skyhigh.create(configFor(sim, overrides), deps) as IncidentSource);
  return { source, lines: capture.lines, clock };
}

const open = (r: ShnIncidentRecord) => r.status === 'new' || r.status === 'opened';
const policyOpen = (sim: SkyhighSimulator) =>
  sim.records().filter((r) => open(r) && r.incidentGroup.startsWith('Alert.Policy.'));
const sortedIds = (records: readonly ({ id: string } | { incidentId: string })[]) =>
  records.map((r) => ('id' in r ? r.id : r.incidentId)).sort();
const queries = (sim: SkyhighSimulator) => sim.requests().byRoute[QUERY_ROUTE] ?? 0;

/** Every record a scan yields, of any status, read through the adapter's own pager. */
async function scanAll(sim: SkyhighSimulator, limit: number) {
  const config = configFor(sim, { categories: [], limit });
  const deps = { logger: captureLogger().logger, counter: createRequestCounter(), clock: fixedClock(ANCHOR) };
  const client = createSkyhighClient(config, deps);
  const state: ScanState = { throughMs: OLD, complete: false };
  const ids: string[] = [];
  try {
    for await (const page of scanIncidents(client, config, { startMs: OLD }, deps.logger, state, (r) => r)) {
      if (!page.ok) throw new Error(page.error.message);
      ids.push(...page.value.records.map((r) => r.incidentId));
    }
  } finally {
    await client.close();
  }
  return { ids, state };
}

/** A client that trusts nextStartTime, as the reference describes it. */
async function naiveScan(sim: SkyhighSimulator, limit: number): Promise<string[]> {
  const authorization = `Basic ${Buffer.from(`${sim.credentials.username}:${sim.credentials.password}`).toString('base64')}`;
  const ids: string[] = [];
  let startTime: string | null = new Date(OLD).toISOString();
  while (startTime) {
    const res = await fetch(`${sim.baseUrl}/v1/queryIncidents?limit=${limit}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ startTime }),
    });
    const body = ((await res.json()) as Json).body as { responseInfo: Json; incidents: ShnIncidentRecord[] };
    ids.push(...body.incidents.map((i) => i.incidentId));
    startTime = body.incidents.length ? (body.responseInfo.nextStartTime as string | null) : null;
  }
  return ids;
}

describe('Skyhigh adapter: the time cursor', () => {
  it('should not lose incidents that share a millisecond across a page boundary, as nextStartTime alone does', async () => {
    const sim = await start();
    const truth = sim.records().filter((r) => !r.incidentId.startsWith('SHW-'));
    const perMs = new Map<string, number>();
    for (const r of truth) perMs.set(r.timeModified, (perMs.get(r.timeModified) ?? 0) + 1);
    const widest = Math.max(...perMs.values());
    expect(widest).toBeGreaterThan(2);
    const losing: number[] = [];
    // Pages wider than the widest shared millisecond: the cursor can always get past it.
    for (const limit of [1, 2, 3, 4, 5, 6].map((n) => widest + n)) {
      const scanned = await scanAll(sim, limit);
      expect(scanned.ids.sort(), `limit ${limit}`).toEqual(sortedIds(truth));
      expect(scanned.state).toEqual({ throughMs: Date.parse(String(truth.at(-1)?.timeModified)), complete: true });
      if ((await naiveScan(sim, limit)).length < truth.length) losing.push(limit);
    }
    // The dataset's bulk changes share milliseconds, so trusting nextStartTime loses records at some page sizes.
    expect(losing.length).toBeGreaterThan(0);
  });

  it('should read a millisecond holding more incidents than a page alone, and list every open incident', async () => {
    const sim = await start();
    const perMs = new Map<string, number>();
    for (const r of sim.records()) perMs.set(r.timeModified, (perMs.get(r.timeModified) ?? 0) + 1);
    expect(Math.max(...perMs.values())).toBeGreaterThan(2);
    const { source, lines } = sourceFor(sim, { categories: [], limit: 2 });
    const listed = await collect(source.listOpen(full));
    expect(listed.error).toBeNull();
    expect(lines.some((l) => String(l.msg).includes('reading that millisecond alone'))).toBe(true);
    const truth = sim
      .records()
      .filter((r) => open(r) && !r.incidentId.startsWith('SHW-'))
      .map((r) => r.incidentId);
    expect(sortedIds(listed.incidents)).toEqual(truth.sort());
  });

  it('should end with schema_mismatch, saying the listing is incomplete, when the server ignores startTime', async () => {
    const sim = await start({ quirks: { startTimeIgnored: true } });
    const listed = await collect(sourceFor(sim, { limit: 50 }).source.listOpen(full));
    expect(listed.error?.code).toBe('schema_mismatch');
    expect(listed.error?.message).toMatch(/incomplete/);
    // The first page, then the repeat from its last millisecond that proves the cursor is ignored.
    expect(queries(sim)).toBe(2);
    expect(listed.incidents.length).toBeGreaterThan(0);
  });
});

describe('Skyhigh adapter: vendor shapes and bugs', () => {
  it('should skip and count each broken record once while returning every good one', async () => {
    const share = 0.2;
    const sim = await start({ quirks: { malformedRecordShare: share } });
    const listed = await collect(sourceFor(sim, { limit: 25 }).source.listOpen(full));
    expect(listed.error).toBeNull();
    const positionOf = (r: ShnIncidentRecord) => Number(r.incidentId.slice(4)) - 10_001;
    const policy = sim.records().filter((r) => r.incidentGroup.startsWith('Alert.Policy.'));
    // The last breakage (a risk score the adapter never reads) leaves a good incident.
    const harmless = BREAKAGES.length - 1;
    const broken = policy.filter(
      (r) => isMalformed(SEED, positionOf(r), share) && breakageOf(SEED, positionOf(r)) !== harmless,
    );
    expect(broken.length).toBeGreaterThan(20);
    expect(listed.skipped).toBe(broken.length);
    const bad = new Set(broken.map((r) => r.incidentId));
    expect(sortedIds(listed.incidents)).toEqual(sortedIds(policyOpen(sim).filter((r) => !bad.has(r.incidentId))));
  });

  it('should turn a truncated JSON body into schema_mismatch, not a throw', async () => {
    const sim = await start({ quirks: { invalidJson: true } });
    const listed = await collect(sourceFor(sim).source.listOpen(full));
    expect(listed.pages).toBe(0);
    expect(listed.error).toMatchObject({ code: 'schema_mismatch', issues: ['body: not valid JSON'] });
    expect(queries(sim)).toBe(1);
  });

  it('should read bare bodies and information lists like the documented forms, and log which form came', async () => {
    const plain = await start();
    const odd = await start({ quirks: { unwrapped: true, informationAsList: true } });
    const expected = await collect(sourceFor(plain).source.listOpen(full));
    const { source, lines } = sourceFor(odd);
    const listed = await collect(source.listOpen(full));
    expect(listed.error).toBeNull();
    expect(listed.incidents).toEqual(expected.incidents);
    expect(listed.incidents.filter((i) => i.policy !== null).length).toBeGreaterThan(100);
    const forms = lines.filter((l) => /form$/.test(String(l.msg))).map((l) => [l.msg, l.form]);
    expect(forms).toEqual([
      ['skyhigh response form', 'bare body'],
      ['skyhigh information form', 'list'],
    ]);
  });

  it("should take the swagger's 404 for an empty window as no incidents", async () => {
    const sim = await start({ quirks: { notFoundWhenEmpty: true } });
    const { source, lines } = sourceFor(sim);
    const quiet = await collect(source.listOpen({ mode: 'incremental', since: ANCHOR }));
    expect([quiet.error, quiet.incidents, quiet.pages]).toEqual([null, [], 1]);
    expect(lines.filter((l) => String(l.msg).includes('404 (no data)'))).toHaveLength(1);
    expect(sortedIds((await collect(source.listOpen(full))).incidents)).toEqual(sortedIds(policyOpen(sim)));
  });
});

describe('Skyhigh adapter: re-delivery of modified incidents', () => {
  it('should list an incident changed mid-listing once, and its new state on the next incremental scan', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock });
    const { source } = sourceFor(sim, { limit: 10 });
    const listing = source
      .listOpen({ mode: 'incremental', since: new Date(ANCHOR.getTime() - 3 * 3_600_000) })
      [Symbol.asyncIterator]();
    const first = await listing.next();
    expect(first.done).toBe(false);
    const firstPage: Incident[] = first.value?.ok ? first.value.value.incidents : [];
    const target = firstPage.find((i) => i.status === 'new');
    expect(target, 'the first page has a new incident').toBeDefined();
    clock.advance(5 * 60_000);
    expect(sim.changeStatus(String(target?.id), 'opened')).toBe(true);
    const ids: string[] = firstPage.map((i) => i.id);
    for (let item = await listing.next(); !item.done; item = await listing.next()) {
      if (!item.value.ok) throw new Error(item.value.error.message);
      ids.push(...item.value.value.incidents.map((i: Incident) => i.id));
    }
    expect(ids.filter((id) => id === target?.id)).toHaveLength(1);
    expect(new Set(ids).size).toBe(ids.length);
    const next = await collect(source.listOpen({ mode: 'incremental', since: new Date(ANCHOR.getTime() - 60_000) }));
    const changed = next.incidents.find((i) => i.id === target?.id);
    expect(changed).toMatchObject({ status: 'open', rawStatus: 'opened', updatedAt: clock.now() });
    expect(changed?.createdAt).toEqual(target?.createdAt);
    // The listing saw the re-delivered copy, so finding it again costs one exact-millisecond query.
    const before = queries(sim);
    expect((await source.get(String(target?.id))).ok).toBe(true);
    expect(queries(sim) - before).toBe(1);
  });
});
