import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  type IncidentSnapshot,
  type SymantecSimulator,
  startSymantecSimulator,
} from '../../adapters/dlp/symantec/simulator.js';
import { runDlpBot } from '../support/cli.js';
import { fixedClock } from '../support/fixed-clock.js';
import { queryStore } from '../support/serve-e2e.js';
import { ARTICLE_ANCHOR as ANCHOR, articleSlaHours, HOUR, lateNew } from '../support/symantec-article.js';

/**
 * The Broadcom article's job through the real command line: `dlp-bot scan` with write-back against the Symantec
 * simulator, then `history` and `show` on what it moved, and what the scans cost in editableAttributes reads.
 */

const SLA_BREACH = 161;
const EDITABLE_ROUTE = 'GET /ProtectManager/webservices/v2/incidents/{id}/editableAttributes';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function deployment(options: {
  incidents: number;
  breachedShare: number;
  writeBack?: object;
  /** The global `sla` section, given the simulator (to name one of its policies). */
  sla?: (sim: SymantecSimulator) => object;
  sourceSla?: object;
  /** The source's `assignment`; omitted, the default (the data owner, read per card). */
  assignment?: object;
}) {
  const clock = fixedClock(ANCHOR);
  const { sla, sourceSla, assignment, ...simOptions } = options;
  const sim = await startSymantecSimulator({ seed: 11, ...simOptions, anchor: ANCHOR, clock });
  const cwd = mkdtempSync(join(tmpdir(), 'dlp-sla-write-back-'));
  cleanups.push(
    () => sim.close(),
    () => rmSync(cwd, { recursive: true, force: true }),
  );
  const source = {
    ...sim.sourceConfig('sym'),
    writeBack: { enabled: true, ...options.writeBack },
    ...(sourceSla ? { sla: sourceSla } : {}),
    ...(assignment ? { assignment } : {}),
  };
  writeFileSync(
    join(cwd, 'dlp-bot.yaml'),
    stringify({
      store: { path: './dlp-bot.sqlite' },
      chat: { console: { enabled: false } },
      ...(sla ? { sla: sla(sim) } : {}),
      sources: [source],
    }),
  );
  const dlpBot = (...argv: string[]) => runDlpBot(argv, { cwd, clock, env: sim.env() });
  const scan = async (...flags: string[]) => {
    const run = await dlpBot('scan', '--json', ...flags);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { totals: { writtenBack: number }; sources: { mode: string }[] };
  };
  return { sim, clock, dlpBot, scan, storePath: join(cwd, 'dlp-bot.sqlite') };
}

/** Incidents the scans queued a card for (an announcement of due soon, breached or escalated), by id. */
const announcedIds = (storePath: string) =>
  queryStore(storePath, (db) =>
    db
      .prepare("SELECT DISTINCT incident_id FROM outbox WHERE kind IN ('due_soon', 'breached', 'escalated')")
      .pluck()
      .all(),
  ) as string[];

const ids = (list: readonly IncidentSnapshot[]) => list.map((s) => s.incidentId).sort((a, b) => a - b);
const movedFrom = (sim: SymantecSimulator, list: readonly IncidentSnapshot[]) =>
  list.filter((s) => sim.incident(s.incidentId)?.incidentStatusId === SLA_BREACH);
const editableReads = (sim: SymantecSimulator) => sim.requests().byRoute[EDITABLE_ROUTE] ?? 0;

type QueryBody = { select: { name: string }[]; filter: { filters?: { operandOne?: { name: string } }[] } };
/** What each request the bot sent was, in order: a listing page, a breached-New severity query, another query, a PATCH. */
const requestKinds = (sim: SymantecSimulator) =>
  sim.receivedBodies().map(({ method, body }) => {
    if (method === 'PATCH') return 'patch';
    const query = body as QueryBody;
    if (query.select.some((field) => field.name === 'messageSource')) return 'listing';
    if ((query.filter.filters ?? []).some((f) => f.operandOne?.name === 'severityId')) return 'severity';
    return 'other';
  });

/** A console user edits an incident through Enforce's own bulk PATCH, as the console would. */
async function consoleEdit(sim: SymantecSimulator, id: number, edit: Record<string, unknown>): Promise<void> {
  const auth = Buffer.from(`${sim.credentials.user}:${sim.credentials.password}`).toString('base64');
  const response = await fetch(`${sim.baseUrl}/incidents`, {
    method: 'PATCH',
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify({ incidentIds: [id], ...edit }),
  });
  expect(response.status).toBe(200);
}

describe('dlp-bot scan with Symantec write-back', () => {
  it('should move a backlog larger than 2,000 in the one scan that finds it, on the trail and in the store at once', async () => {
    // No assignee reads: the cards of 4,000 breached incidents would cost as many, which this job does not need.
    const { sim, dlpBot, scan } = await deployment({
      incidents: 4_500,
      breachedShare: 0.9,
      assignment: { type: 'none' },
    });
    const late = lateNew(sim, ANCHOR);
    expect(late.length).toBeGreaterThan(2_000);

    const first = await scan();
    expect(first.totals.writtenBack).toBe(late.length);
    expect(ids(movedFrom(sim, late))).toEqual(ids(late));

    const oldest = late[0] as IncidentSnapshot;
    const history = await dlpBot('history', `sym:${oldest.incidentId}`);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/system\s+sla\.write_back\s+ok/);
    const shown = await dlpBot('show', `sym:${oldest.incidentId}`);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('SLA Breach');
  });

  it('should move at most writeBack.maxPerScan per scan and the rest on the next scans', async () => {
    const { sim, scan } = await deployment({ incidents: 600, breachedShare: 0.9, writeBack: { maxPerScan: 100 } });
    const late = lateNew(sim, ANCHOR);
    expect(late.length).toBeGreaterThan(200);
    expect((await scan()).totals.writtenBack).toBe(100);
    expect(movedFrom(sim, late)).toHaveLength(100);
    expect((await scan()).totals.writtenBack).toBe(100);
    expect(movedFrom(sim, late)).toHaveLength(200);
  });

  it('should not read editableAttributes again for incidents whose listing did not change, until a refresh is due', async () => {
    const { sim, clock, scan, dlpBot, storePath } = await deployment({ incidents: 300, breachedShare: 0.3 });
    // The first scan reads the assignee of the incidents it draws a card for (the card shows it), and of no other;
    // the second is a full pass over the backlog.
    await scan();
    const carded = announcedIds(storePath);
    const listed = sim.incidents().filter((s) => !s.isHidden && [1, SLA_BREACH].includes(s.incidentStatusId));
    expect(carded.length).toBeGreaterThan(0);
    expect(carded.length).toBeLessThan(listed.length);
    expect(editableReads(sim)).toBe(carded.length);
    await scan('--full');
    expect(editableReads(sim)).toBe(carded.length + listed.length);

    // Scheduled scans, the fourth of them a full pass: nothing changed, nothing read.
    const before = editableReads(sim);
    for (let i = 0; i < 4; i += 1) await scan();
    expect(editableReads(sim)).toBe(before);

    // Moved in the console: its listed status changed, so the next full pass reads that incident alone.
    const picked = listed.find((s) => s.incidentStatusId === 1) as IncidentSnapshot;
    await consoleEdit(sim, picked.incidentId, { incidentStatusId: SLA_BREACH });
    for (let i = 0; i < 4; i += 1) await scan();
    expect(editableReads(sim)).toBe(before + 1);

    // Assigned in the console, which changes nothing the query lists: seen once the refresh period (4 h by
    // default) has passed, when the next scans read every listed incident again, once.
    const owned = listed.find((s) => s.incidentStatusId === 1 && s !== picked) as IncidentSnapshot;
    await consoleEdit(sim, owned.incidentId, { dataOwnerEmail: 'owner7@corp.example' });
    for (let i = 0; i < 4; i += 1) await scan();
    expect((await dlpBot('show', `sym:${owned.incidentId}`)).stdout).not.toContain('owner7@corp.example');
    const beforeRefresh = editableReads(sim);
    clock.advance(4 * HOUR);
    for (let i = 0; i < 4; i += 1) await scan();
    const stillListed = sim.incidents().filter((s) => !s.isHidden && [1, SLA_BREACH].includes(s.incidentStatusId));
    expect(editableReads(sim) - beforeRefresh).toBe(stillListed.length);
    expect((await dlpBot('show', `sym:${owned.incidentId}`)).stdout).toContain('owner7@corp.example');
  });

  it("should show an incident's data owner on the card the first scan draws for it, before any refresh", async () => {
    const { sim, dlpBot, scan } = await deployment({ incidents: 300, breachedShare: 0.3 });
    // New and due soon (past 3/4 of its window, not yet breached): a card now, and not moved by the write-back.
    const dueSoon = sim.incidents().find((s) => {
      const ageHours = (ANCHOR.getTime() - s.createdAt.getTime()) / HOUR;
      const hours = articleSlaHours(s);
      return s.incidentStatusId === 1 && !s.isHidden && ageHours >= 0.8 * hours && ageHours < 0.95 * hours;
    }) as IncidentSnapshot;
    expect(dueSoon).toBeDefined();
    await consoleEdit(sim, dueSoon.incidentId, { dataOwnerEmail: 'owner9@corp.example' });

    await scan();

    const shown = await dlpBot('show', `sym:${dueSoon.incidentId}`);
    expect(shown.stdout).toMatch(/due soon/i);
    expect(shown.stdout).toContain('owner9@corp.example');
  });

  it('should mark the breached backlog with one query per severity and its PATCHes before the first listing query, and no still-New check', async () => {
    const { sim, scan } = await deployment({ incidents: 400, breachedShare: 0.5 });
    const late = lateNew(sim, ANCHOR);
    expect(late.length).toBeGreaterThan(50);

    expect((await scan()).totals.writtenBack).toBe(late.length);
    expect(ids(movedFrom(sim, late))).toEqual(ids(late));
    const kinds = requestKinds(sim);
    const firstListing = kinds.indexOf('listing');
    expect(firstListing).toBeGreaterThan(0);
    expect(kinds.slice(0, firstListing).filter((k) => k === 'severity')).toHaveLength(4);
    expect(kinds.slice(0, firstListing)).toContain('patch');
    expect(kinds.slice(firstListing)).not.toContain('patch');
    expect(kinds).not.toContain('other');
  });

  it('should move exactly the incidents of a policy whose override gives a shorter window', async () => {
    let policyName = '';
    const { sim, scan } = await deployment({
      incidents: 600,
      breachedShare: 0.3,
      sla: (started) => {
        policyName = (started.incidents()[0] as IncidentSnapshot).policyName;
        return { policies: [{ match: policyName, hours: { high: 1, medium: 1, low: 1, info: 1 } }] };
      },
    });
    const expected = sim
      .incidents()
      .filter(
        (s) =>
          s.incidentStatusId === 1 &&
          !s.isHidden &&
          ANCHOR.getTime() - s.createdAt.getTime() >= (s.policyName === policyName ? 1 : articleSlaHours(s)) * HOUR,
      );
    expect(expected.length).toBeGreaterThan(lateNew(sim, ANCHOR).length);
    const newBefore = sim.incidents().filter((s) => s.incidentStatusId === 1 && !s.isHidden);

    expect((await scan()).totals.writtenBack).toBe(expected.length);
    expect(ids(movedFrom(sim, newBefore))).toEqual(ids(expected));
  });

  it('should move exactly the incidents whose business-hours SLA has passed, as the bot itself judges them', async () => {
    const { sim, scan, dlpBot, clock } = await deployment({
      incidents: 500,
      breachedShare: 0.5,
      sourceSla: { calendar: { timeZone: 'Europe/Berlin' } },
    });
    // Tuesday 16:00 in Berlin: Monday's working day and most of Tuesday's have passed since the anchor.
    clock.advance(29 * HOUR);
    const newBefore = sim.incidents().filter((s) => s.incidentStatusId === 1 && !s.isHidden);
    const lateOnWallClock = lateNew(sim, clock.now());
    await scan();

    const aging = await dlpBot('aging', '--source', 'sym', '--limit', '1000', '--json');
    expect(aging.code, aging.stderr).toBe(0);
    const rows = JSON.parse(aging.stdout) as { id: string; slaState: string }[];
    const breachedByBot = new Set(
      rows.filter((r) => r.slaState === 'breached' || r.slaState === 'escalated').map((r) => Number(r.id)),
    );
    const expected = newBefore.filter((s) => breachedByBot.has(s.incidentId));
    // The business calendar matters here: fewer than the wall clock would move.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(lateOnWallClock.length);
    expect(ids(movedFrom(sim, newBefore))).toEqual(ids(expected));
  });

  it('should not move again an incident it marked once that an analyst moved back to New', async () => {
    const { sim, scan, clock } = await deployment({ incidents: 300, breachedShare: 0.5 });
    const late = lateNew(sim, ANCHOR);
    await scan();
    const reverted = late[0] as IncidentSnapshot;
    await consoleEdit(sim, reverted.incidentId, { incidentStatusId: 1 });
    clock.advance(HOUR);
    await scan();
    await scan('--full');
    expect(sim.incident(reverted.incidentId)?.incidentStatusId).toBe(1);
  });
});
