import { describe, expect, it } from 'vitest';
import { zscaler } from '../../adapters/dlp/zscaler/index.js';
import { buildTriggers } from '../../adapters/dlp/zscaler/simulator/records.js';
import {
  startZscalerSimulator,
  type ZscalerQuirks,
  type ZscalerSimulator,
} from '../../adapters/dlp/zscaler/simulator.js';
import { snippetsView } from '../../src/actions/snippets.js';
import { RolesConfig } from '../../src/config/people-schema.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import { silentLogger } from '../../src/log.js';
import type { Actor, IncidentSource } from '../../src/ports/index.js';
import { recordIncident } from '../../src/scan/record-incident.js';
import { openStore } from '../../src/store/index.js';
import { createInboundHandlers } from '../../src/triage/inbound.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import { closeAfterAll, collect, createSourceFor, errorOf, okValue, type SourceOptions } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { markerCount, withoutMarkers } from '../support/note-markers.js';
import { assignTo } from '../support/triage-requests.js';
import { alice, bob, click } from '../unit/triage/harness.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const clock = fixedClock(ANCHOR);
const track = closeAfterAll();
const BY: Actor = { email: 'alice@corp.example', display: 'Alice' };
const DISPLAY = 'Zscaler Workflow Automation';

async function setup(options: SourceOptions = {}, quirks: ZscalerQuirks = {}) {
  const sim = track(await startZscalerSimulator({ seed: 3, incidents: 120, anchor: ANCHOR, clock, quirks }));
  const source = track(createSourceFor(zscaler, sim, { id: 'zwa', clock, ...options }));
  const listed = await collect(source.listOpen({ mode: 'full' }));
  const ids = listed.incidents.filter((i) => i.status === 'new').map((i) => i.id);
  expect(ids.length).toBeGreaterThan(5);
  return { sim, source, ids };
}

/** The notes as people read them; each carries exactly one idempotency marker. */
const notesOf = (sim: ZscalerSimulator, id: string) =>
  ((sim.incident(id)?.notes ?? []) as { body: string }[]).map((n) => {
    expect(markerCount(n.body)).toBe(1);
    return withoutMarkers(n.body);
  });

describe('zscaler adapter: triage', () => {
  it('should add a note naming who wrote it, in ZWA', async () => {
    const { sim, source, ids } = await setup();
    const id = ids[0] as string;

    expect(okValue(await source.addNote(id, 'checked with the owner', BY))).toEqual({ recordedIn: 'vendor' });
    expect(notesOf(sim, id)).toEqual(['Note by alice@corp.example via dlp-bot: checked with the owner']);
  });

  it('should mark a false positive by closing with resolutionCode FALSE_POSITIVE and the reason as notes', async () => {
    const { sim, source, ids } = await setup();
    const id = ids[1] as string;

    expect(okValue(await source.markFalsePositive(id, 'test data', BY))).toEqual({ recordedIn: 'vendor' });
    expect(sim.incident(id)).toMatchObject({ status: 'RESOLVED', resolution: 'FALSE_POSITIVE' });
    expect(notesOf(sim, id)).toEqual(['Marked false positive by alice@corp.example via dlp-bot: test data']);
    expect(okValue(await source.get(id))).toMatchObject({ status: 'false_positive', rawStatus: 'RESOLVED' });
    const after = await collect(source.listOpen({ mode: 'full' }));
    expect(after.incidents.map((i) => i.id)).not.toContain(id);
  });

  it('should add a note once when it is sent again (a retry after an unclear failure), saying it was already there', async () => {
    const { sim, source, ids } = await setup();
    const id = ids[3] as string;
    okValue(await source.addNote(id, 'called the owner', BY));
    expect(okValue(await source.addNote(id, 'called the owner', BY))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'already',
    });
    expect(okValue(await source.markFalsePositive(id, 'test data', BY))).toEqual({ recordedIn: 'vendor' });
    expect(okValue(await source.markFalsePositive(id, 'test data', BY))).toMatchObject({ confirmed: 'already' });
    expect(notesOf(sim, id)).toEqual([
      'Note by alice@corp.example via dlp-bot: called the owner',
      'Marked false positive by alice@corp.example via dlp-bot: test data',
    ]);
  });

  it('should send a false positive with its note once when ZWA applies it and answers 500, and say so on a retry', async () => {
    const { sim, source, ids } = await setup({ overrides: { http: { maxRetries: 2 } } }, { failAfterWrites: true });
    const id = ids[5] as string;
    expect(errorOf(await source.markFalsePositive(id, 'test data', BY)).code).toBe('unavailable');
    expect(sim.requests().byRoute['POST /dlp/v1/incidents/{id}/close']).toBe(1);
    expect(okValue(await source.markFalsePositive(id, 'test data', BY))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'already',
    });
    expect(notesOf(sim, id)).toEqual(['Marked false positive by alice@corp.example via dlp-bot: test data']);
  });

  it('should refuse a note when reading the incident first answers another one', async () => {
    const { sim, source, ids } = await setup({}, { getAnswersAnother: true });
    const id = ids[4] as string;
    expect(errorOf(await source.addNote(id, 'wrong place?', BY)).code).toBe('schema_mismatch');
    expect(errorOf(await source.markFalsePositive(id, 'wrong place?', BY)).code).toBe('schema_mismatch');
    expect(sim.records().flatMap((r) => (r.notes as unknown[]) ?? [])).toEqual([]);
  });

  it('should answer not_found for triage on an unknown incident', async () => {
    const { source } = await setup();
    expect(errorOf(await source.addNote('1-143-99999999999999999999', 'x', BY)).code).toBe('not_found');
    expect(errorOf(await source.snippets('nope')).code).toBe('not_found');
  });

  it('should return the triggers as they are for the core to mask, which leaves no matched value in the view', async () => {
    const { sim, source, ids } = await setup();
    const id = ids[2] as string;
    const position = sim.records().findIndex((r) => r.internalId === id);
    const raw = buildTriggers(3, position);

    const snippets = okValue(await source.snippets(id));
    expect(snippets.map((s) => s.label).sort()).toEqual(Object.keys(raw).sort());
    for (const snippet of snippets) expect(snippet).toEqual({ label: snippet.label, text: raw[snippet.label] });
    const shown = JSON.stringify(snippetsView('zwa-test:x', snippets, 'ZWA'));
    for (const snippet of snippets) expect(shown).toContain(snippet.text.slice(-4));
    expect(shown).not.toMatch(/0000 0000 0000|user\d{3}@example\.com|evidence/);
  });

  it('should not assign without a configured label, and say the API cannot', async () => {
    const { source, ids } = await setup();
    expect(source.capabilities.assign).toBe(false);
    const error = errorOf(await source.assign(ids[0] as string, { id: 'bob@corp.example' }, BY));
    expect(error.code).toBe('unsupported');
  });

  it('should set the configured label to the assignee and still report the assignment as recorded here', async () => {
    const { sim, source, ids } = await setup({ overrides: { assigneeLabel: 'Assignee' } });
    const id = ids[3] as string;
    expect(source.capabilities.assign).toBe(true);

    expect(okValue(await source.assign(id, { id: 'bob@corp.example' }, BY))).toEqual({ recordedIn: 'local' });
    expect(sim.incident(id)?.labels).toEqual([{ key: 'Assignee', value: 'bob@corp.example' }]);
  });

  it('should fail the assignment plainly when the label does not exist in the tenant', async () => {
    const { source, ids } = await setup({ overrides: { assigneeLabel: 'Owner' } });
    expect(errorOf(await source.assign(ids[4] as string, { id: 'bob@corp.example' }, BY)).code).toBe('rejected');
  });

  it('should, through the triage handlers, keep the assignment here and say "recorded here, not in ZWA"', async () => {
    const { sim, source, ids } = await setup({ overrides: { assigneeLabel: 'Assignee' } });
    const key = { source: 'zwa', id: ids[5] as string };
    const store = openStore(':memory:');
    try {
      const policy = createSlaPolicy(SlaConfig.parse({}), []);
      const incident = okValue(await source.get(key.id));
      store.transaction(() => recordIncident(store, policy, incident, { now: ANCHOR, scanId: 'scan-0' }));
      const handlers = createInboundHandlers({
        actions: DEFAULT_ACTIONS,
        store,
        sources: new Map<string, IncidentSource>([['zwa', source]]),
        policy,
        roles: RolesConfig.parse({ analyst: ['U1', 'U2'], default: 'none' }),
        identity: { vendorUsers: [] },
        clock,
        logger: silentLogger,
        onChange: () => {},
      });

      const outcome = await handlers.triage(assignTo(bob), key, click(alice));

      expect(outcome).toEqual({
        kind: 'done',
        text: `Assigned to Bob: zwa:${key.id} — recorded here, not in ${DISPLAY}.`,
        recordedIn: 'local',
      });
      expect(store.triage.get(key)?.assignee).toMatchObject({ email: 'bob@corp.example', display: 'Bob' });
      expect(sim.incident(key.id)?.labels).toEqual([{ key: 'Assignee', value: 'bob@corp.example' }]);
      expect([...store.audit.iterate()].at(-1)).toMatchObject({
        action: 'incident.assign',
        outcome: 'ok',
        detail: { to: 'bob@corp.example', recordedIn: 'local' },
      });
    } finally {
      store.close();
    }
  });
});
