import { describe, expect, it } from 'vitest';
import { symantec } from '../../adapters/dlp/symantec/index.js';
import {
  type SymantecQuirks,
  type SymantecSimulator,
  startSymantecSimulator,
} from '../../adapters/dlp/symantec/simulator.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import { breachCutoffs } from '../../src/domain/sla-cutoff.js';
import type { BreachedNewCandidate, IncidentSource } from '../../src/ports/index.js';
import { closeAfterAll, createSourceFor, okValue } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ARTICLE_ANCHOR as ANCHOR, HOUR, lateNew } from '../support/symantec-article.js';

/**
 * The early write-back's query (`findBreachedNew`) against the Symantec simulator: what it asks Enforce for, and
 * how it hands the rows over, by whether the core's cutoff already is the rule.
 */

const track = closeAfterAll();

async function setup(options: { anchor?: Date; timeZone?: string; writeBack?: object; quirks?: SymantecQuirks } = {}) {
  const anchor = options.anchor ?? ANCHOR;
  const clock = fixedClock(anchor);
  const sim = track(
    await startSymantecSimulator({
      seed: 31,
      incidents: 400,
      breachedShare: 0.5,
      anchor,
      clock,
      timeZone: options.timeZone ?? 'UTC',
      ...(options.quirks ? { quirks: options.quirks } : {}),
    }),
  );
  const writeBack = { enabled: true, ...options.writeBack };
  const source = track(createSourceFor(symantec, sim, { id: 'sym', clock, overrides: { writeBack } }));
  return { sim, source, anchor };
}

async function batchesOf(source: IncidentSource, sla: object, now: Date): Promise<BreachedNewCandidate[][]> {
  const find = source.findBreachedNew;
  if (!find) throw new Error('the source offers no early query');
  const batches: BreachedNewCandidate[][] = [];
  for await (const batch of find(breachCutoffs(createSlaPolicy(SlaConfig.parse(sla), []), 'sym', now))) {
    batches.push(okValue(batch));
  }
  return batches;
}

/** The fields each breached-New query selected, in the order the simulator received them. */
const selects = (sim: SymantecSimulator) =>
  sim
    .receivedBodies()
    .filter(({ method }) => method === 'POST')
    .map(({ body }) => (body as { select: { name: string }[] }).select.map((field) => field.name));

/** What each breached-New query ordered by: a set read in pages needs a stable order, not the listing's age order. */
const orders = (sim: SymantecSimulator) =>
  sim
    .receivedBodies()
    .filter(({ method }) => method === 'POST')
    .map(({ body }) => (body as { orderBy: { field: { name: string } }[] }).orderBy.map((o) => o.field.name));

const lateNewIds = (sim: SymantecSimulator, now: Date) =>
  lateNew(sim, now)
    .map((s) => String(s.incidentId))
    .sort();
const idsOf = (batches: BreachedNewCandidate[][]) => batches.flat().map((row) => row.id);

describe('Symantec adapter: the breached-New query before the listing', () => {
  it('should ask for the ids alone, one batch per severity, when the 24×7 rule without overrides is exact', async () => {
    const { sim, source } = await setup();
    const batches = await batchesOf(source, {}, ANCHOR);

    expect(selects(sim)).toEqual([['incidentId'], ['incidentId'], ['incidentId'], ['incidentId']]);
    expect(orders(sim)).toEqual([['incidentId'], ['incidentId'], ['incidentId'], ['incidentId']]);
    expect(batches).toHaveLength(4);
    for (const batch of batches) expect(new Set(batch.map((row) => row.severity)).size).toBe(1);
    expect(batches.flat().every((row) => row.createdAt === null)).toBe(true);
    // Ids alone are enough because the cutoff is the rule: they are exactly the late ones.
    expect(idsOf(batches).sort()).toEqual(lateNewIds(sim, ANCHOR));
  });

  it('should leave out a row of the ids-only query whose id is missing or not an Enforce id', async () => {
    const replaced = ['not-a-number', '-5', '1.5'];
    const { sim, source } = await setup({ quirks: { replaceIds: replaced, malformedRecordShare: 0.2 } });
    const ids = idsOf(await batchesOf(source, {}, ANCHOR));

    const late = lateNewIds(sim, ANCHOR);
    expect(ids.length).toBeGreaterThan(0);
    // Missing ids (a fifth of the breakages) and the replaced ones are gone; every id left is one of the late ones.
    expect(ids.length).toBeLessThan(late.length);
    for (const id of ids) expect(late).toContain(id);
    for (const id of replaced) expect(ids).not.toContain(id);
  });

  it('should read creation dates and policy names when a policy override makes the window depend on the policy', async () => {
    const { sim, source } = await setup();
    const batches = await batchesOf(source, { policies: [{ match: 'no such policy', hours: { high: 1 } }] }, ANCHOR);

    for (const fields of selects(sim))
      expect(fields).toEqual(['incidentId', 'creationDate', 'severityId', 'policyName']);
    expect(batches.flat().every((row) => row.createdAt instanceof Date && row.policy !== null)).toBe(true);
  });

  it('should read creation dates when a business-hours calendar decides', async () => {
    const { sim, source } = await setup();
    const batches = await batchesOf(
      source,
      { calendar: { timeZone: 'Europe/Berlin' } },
      new Date(ANCHOR.getTime() + 29 * HOUR),
    );

    for (const fields of selects(sim)) expect(fields).toEqual(['incidentId', 'creationDate', 'severityId']);
    expect(batches.flat().length).toBeGreaterThan(0);
    expect(batches.flat().every((row) => row.createdAt instanceof Date)).toBe(true);
  });

  it("should read creation dates when Enforce's zone turned its clocks back within a day of the cutoffs", async () => {
    // 2026-11-01 06:00 UTC: New York goes from 02:00 EDT back to 01:00 EST, so an hour of local times repeats.
    const { sim, source, anchor } = await setup({
      anchor: new Date('2026-11-01T12:00:00Z'),
      timeZone: 'America/New_York',
    });
    const batches = await batchesOf(source, {}, anchor);

    for (const fields of selects(sim)) expect(fields).toEqual(['incidentId', 'creationDate', 'severityId']);
    expect(batches.flat().every((row) => row.createdAt instanceof Date)).toBe(true);
  });

  it('should hand every severity over in one dated batch when writeBack.maxPerScan caps the scan', async () => {
    const { sim, source } = await setup({ writeBack: { maxPerScan: 10 } });
    const batches = await batchesOf(source, {}, ANCHOR);

    expect(batches).toHaveLength(1);
    for (const fields of selects(sim)) expect(fields).toEqual(['incidentId', 'creationDate', 'severityId']);
    expect(idsOf(batches).sort()).toEqual(lateNewIds(sim, ANCHOR));
  });
});
