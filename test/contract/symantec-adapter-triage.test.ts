import { beforeAll, describe, expect, it } from 'vitest';
import { symantec } from '../../adapters/dlp/symantec/index.js';
import {
  DEFAULT_STATUSES,
  type IncidentSnapshot,
  type SymantecSimulator,
  type SymantecSimulatorOptions,
  startSymantecSimulator,
} from '../../adapters/dlp/symantec/simulator.js';
import { mask } from '../../adapters/dlp/symantec/triage.js';
import type { Actor, IncidentSource } from '../../src/ports/index.js';
import { closeAfterAll, collect, createSourceFor, errorOf, okValue, type SourceOptions } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { markerCount, withoutMarkers } from '../support/note-markers.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const ANA: Actor = { email: 'ana@example.com', display: 'Ana Analyst' };
const BO = { id: 'bo@example.com', display: 'Bo Reviewer' };
const track = closeAfterAll();
const clock = fixedClock(ANCHOR);
const PATCH = 'PATCH /ProtectManager/webservices/v2/incidents';

const start = async (options: SymantecSimulatorOptions = {}) =>
  track(await startSymantecSimulator({ seed: 13, incidents: 150, anchor: ANCHOR, clock, ...options }));
const sourceFor = (sim: SymantecSimulator, options: SourceOptions = {}) =>
  track(createSourceFor(symantec, sim, { id: 'sym-triage', clock, ...options }));
const newOnes = (sim: SymantecSimulator) => sim.incidents().filter((s) => s.incidentStatusId === 1 && !s.isHidden);
const idOf = (s: IncidentSnapshot | undefined) => String(s?.incidentId);
/** The incident with its notes as people read them; each note dlp-bot wrote carries one idempotency marker. */
const readable = (sim: SymantecSimulator, id: string | number) => {
  const snapshot = sim.incident(id);
  if (!snapshot) return snapshot;
  for (const note of snapshot.notes) expect(markerCount(note)).toBe(1);
  return { ...snapshot, notes: snapshot.notes.map(withoutMarkers) };
};

describe('Symantec adapter: triage writes through to Enforce', () => {
  let sim: SymantecSimulator;
  let source: IncidentSource;
  let open: IncidentSnapshot[];
  beforeAll(async () => {
    sim = await start();
    source = sourceFor(sim);
    open = newOnes(sim);
  });

  it('should add a note naming the actor and the bot, changing nothing else', async () => {
    const id = idOf(open[0]);
    expect(okValue(await source.addNote(id, 'first look: <!here> test data', ANA))).toEqual({ recordedIn: 'vendor' });
    okValue(await source.addNote(id, 'owner confirmed', { email: null, display: 'Bo Reviewer' }));
    expect(readable(sim, id)).toMatchObject({
      incidentStatusId: 1,
      notes: [
        'Note by ana@example.com via dlp-bot: first look: <!here> test data',
        'Note by Bo Reviewer via dlp-bot: owner confirmed',
      ],
    });
    expect(
      sim
        .incident(id)
        ?.history.slice(0, 2)
        .map((h) => h.action),
    ).toEqual(['ADD_COMMENT', 'ADD_COMMENT']);
    const incident = okValue(await source.get(id));
    expect(incident.status).toBe('new');
    expect(JSON.stringify(incident)).not.toMatch(/owner confirmed|first look/);
  });

  it('should mark a false positive with the deployment status of that name, and a note with the reason', async () => {
    const id = idOf(open[1]);
    expect(okValue(await source.markFalsePositive(id, 'test fixture, no real data', ANA))).toEqual({
      recordedIn: 'vendor',
    });
    expect(readable(sim, id)).toMatchObject({
      incidentStatusId: 43,
      notes: ['Marked false positive by ana@example.com via dlp-bot: test fixture, no real data'],
    });
    expect(okValue(await source.get(id))).toMatchObject({ status: 'false_positive', rawStatus: 'False Positive' });
    expect((await collect(source.listOpen({ mode: 'full' }))).incidents.map((i) => i.id)).not.toContain(id);
    const other = idOf(open[2]);
    okValue(await source.markFalsePositive(other, '', ANA));
    expect(readable(sim, other)?.notes).toEqual([
      'Marked false positive by ana@example.com via dlp-bot: no reason given',
    ]);
  });

  it('should assign by writing the data owner, and read it back as the assignee', async () => {
    const id = idOf(open[3]);
    expect(okValue(await source.assign(id, BO, ANA))).toEqual({ recordedIn: 'vendor' });
    expect(readable(sim, id)).toMatchObject({
      dataOwnerEmail: 'bo@example.com',
      dataOwnerName: 'Bo Reviewer',
      notes: ['Assignment by ana@example.com via dlp-bot: assigned to Bo Reviewer'],
    });
    expect(okValue(await source.get(id)).assignee).toBe('bo@example.com');
    const listed = (await collect(source.listOpen({ mode: 'full' }))).incidents.find((i) => i.id === id);
    expect(listed?.assignee).toBe('bo@example.com');
  });

  it('should return the violating segments only, masked, labelled with rule and component', async () => {
    const s = open[4] as IncidentSnapshot;
    const api = `${sim.baseUrl}/incidents/${s.incidentId}/components/matches`;
    const authorization = `Basic ${Buffer.from(`${sim.credentials.user}:${sim.credentials.password}`).toString('base64')}`;
    const served = (await (await fetch(api, { headers: { authorization } })).json()) as {
      messageComponentName: string;
      violations: { violationSegments: { segmentType: string; text: string; ruleName: string }[] }[];
    }[];
    const hits = served.flatMap((c) =>
      c.violations.flatMap((v) =>
        v.violationSegments
          .filter((g) => g.segmentType === 'VIOLATING_CONTENT')
          .map((g) => ({ ...g, file: c.messageComponentName })),
      ),
    );
    const snippets = okValue(await source.snippets(idOf(s)));
    expect(snippets).toEqual(hits.map((h) => ({ label: `${h.ruleName} in ${h.file}`, text: mask(h.text) })));
    for (const [i, snippet] of snippets.entries()) {
      expect(snippet.text).not.toBe(hits[i]?.text);
      expect(snippet.text).toMatch(/\*{4}/);
    }
    expect(JSON.stringify(snippets)).not.toMatch(/value: |row 12: /);
  });

  it('should answer not_found for every triage call on a hidden, unknown or malformed id, and write nothing', async () => {
    const hidden = sim.incidents().find((s) => s.isHidden) as IncidentSnapshot;
    const before = sim.requests().byRoute[PATCH] ?? 0;
    for (const id of [idOf(hidden), '2147400000']) {
      expect(errorOf(await source.addNote(id, 'x', ANA))).toMatchObject({ code: 'not_found', status: 401 });
      expect(errorOf(await source.markFalsePositive(id, 'x', ANA)).code).toBe('not_found');
      expect(errorOf(await source.assign(id, BO, ANA)).code).toBe('not_found');
      expect(errorOf(await source.snippets(id)).code).toBe('not_found');
    }
    expect(sim.requests().byRoute[PATCH] ?? 0).toBe(before + 3 * 2);
    const total = sim.requests().total;
    for (const call of [
      source.addNote('INC-1', 'x', ANA),
      source.markFalsePositive('1e3', 'x', ANA),
      source.assign('', BO, ANA),
    ]) {
      expect(errorOf(await call).code).toBe('not_found');
    }
    expect(sim.requests().total).toBe(total);
    expect(sim.incident(hidden.incidentId)?.notes).toEqual([]);
  });

  it('should add a note once when it is sent again (a retry after an unclear failure), saying it was already there', async () => {
    const id = idOf(open[6]);
    okValue(await source.addNote(id, 'called the owner', ANA));
    const patches = sim.requests().byRoute[PATCH] ?? 0;
    expect(okValue(await source.addNote(id, 'called the owner', ANA))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'already',
    });
    expect(sim.requests().byRoute[PATCH] ?? 0).toBe(patches);
    expect(readable(sim, id)?.notes).toEqual(['Note by ana@example.com via dlp-bot: called the owner']);
  });

  it('should report a note and a false positive applied when the answer is unreadable but Enforce shows them', async () => {
    const garbled = await start({ quirks: { unreadableWriteAnswers: true } });
    const client = sourceFor(garbled);
    const id = idOf(newOnes(garbled)[7]);
    expect(okValue(await client.addNote(id, 'looked at it', ANA))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'reread',
    });
    expect(okValue(await client.markFalsePositive(id, 'test data', ANA))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'reread',
    });
    // The retry a failure would have invited adds no second note.
    expect(okValue(await client.addNote(id, 'looked at it', ANA))).toMatchObject({ confirmed: 'already' });
    expect(readable(garbled, id)).toMatchObject({
      incidentStatusId: 43,
      notes: [
        'Note by ana@example.com via dlp-bot: looked at it',
        'Marked false positive by ana@example.com via dlp-bot: test data',
      ],
    });
  });

  it('should answer schema_mismatch when Enforce answers a read of one incident with another', async () => {
    const confused = await start({ quirks: { getAnswersAnother: true } });
    const client = sourceFor(confused);
    const id = idOf(newOnes(confused)[8]);
    expect(errorOf(await client.get(id)).code).toBe('schema_mismatch');
  });

  it('should answer auth for a triage call with a wrong password', async () => {
    const bad = sourceFor(sim, { env: { SYMANTEC_SANDBOX_PASSWORD: 'nope' }, overrides: { http: { maxRetries: 0 } } });
    expect(errorOf(await bad.addNote(idOf(open[5]), 'x', ANA))).toMatchObject({ code: 'auth', status: 401 });
    expect(sim.incident(idOf(open[5]))?.notes).toEqual([]);
  });
});

describe('Symantec adapter: triage configuration', () => {
  it('should assign through the configured custom attribute, found by name on the incident', async () => {
    const sim = await start();
    const source = sourceFor(sim, { overrides: { assignment: { type: 'customAttribute', name: 'assigned analyst' } } });
    const [s, t] = newOnes(sim) as [IncidentSnapshot, IncidentSnapshot];
    okValue(await source.assign(idOf(s), BO, ANA));
    expect(sim.incident(s.incidentId)?.customAttributes['Assigned Analyst']).toBe('bo@example.com');
    expect(sim.incident(s.incidentId)?.dataOwnerEmail).toBe(s.dataOwnerEmail);
    expect(okValue(await source.get(idOf(s))).assignee).toBe('bo@example.com');
    const missing = sourceFor(sim, { overrides: { assignment: { type: 'customAttribute', name: 'Owner Queue' } } });
    const before = sim.requests().byRoute[PATCH] ?? 0;
    expect(errorOf(await missing.assign(idOf(t), BO, ANA))).toMatchObject({ code: 'rejected' });
    expect(sim.requests().byRoute[PATCH] ?? 0).toBe(before);
  });

  it('should answer unsupported for assign without calling Enforce when assignment is none', async () => {
    const sim = await start();
    const source = sourceFor(sim, { overrides: { assignment: { type: 'none' } } });
    const total = sim.requests().total;
    expect(errorOf(await source.assign(idOf(newOnes(sim)[0]), BO, ANA)).code).toBe('unsupported');
    expect(sim.requests().total).toBe(total);
  });

  it('should resolve a renamed false-positive status by name, and refuse when it does not exist', async () => {
    const statuses = [...DEFAULT_STATUSES.filter((s) => s.id !== 43), { id: 77, name: 'Not an Incident' }];
    const sim = await start({ statuses });
    const source = sourceFor(sim, { overrides: { falsePositiveStatus: 'not an incident' } });
    const [s, t] = newOnes(sim) as [IncidentSnapshot, IncidentSnapshot];
    okValue(await source.markFalsePositive(idOf(s), 'dup', ANA));
    expect(sim.incident(s.incidentId)?.incidentStatusId).toBe(77);
    expect(okValue(await source.get(idOf(s)))).toMatchObject({
      status: 'false_positive',
      rawStatus: 'Not an Incident',
    });
    const defaults = sourceFor(sim);
    const error = errorOf(await defaults.markFalsePositive(idOf(t), 'dup', ANA));
    expect(error.code).toBe('rejected');
    expect(error.message).toMatch(/"False Positive".*Not an Incident/);
    expect(sim.incident(t.incidentId)?.incidentStatusId).toBe(1);
  });
});

describe('Symantec adapter: masking', () => {
  it.each([
    ['4111 1111 1111 1111', '**** **** **** 1111'],
    ['000-12-3456', '***-**-3456'],
    ['AKIA0000EXAMPLE1234', '***************1234'],
    ['1234567', '*******'],
    ['Müller-Lüdenscheidt', '******-********eidt'],
    ['', ''],
  ])('should mask %j as %j', (input, expected) => {
    expect(mask(input)).toBe(expected);
  });
});
