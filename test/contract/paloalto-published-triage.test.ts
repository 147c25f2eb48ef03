import { beforeAll, describe, expect, it } from 'vitest';
import type { PaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { HOSTILE_STRINGS } from '../../adapters/dlp/simulator-kit/hostile.js';
import { snippetsView } from '../../src/actions/snippets.js';
import type { Actor, IncidentSource } from '../../src/ports/index.js';
import { collect, errorOf, okValue } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { markerCount, withoutMarkers } from '../support/note-markers.js';
import { ANCHOR, type Json, useSimulators } from '../support/paloalto.js';
import { isOpenRecord, publishedRecords, publishedToken, usePublishedSources } from '../support/paloalto-published.js';

const clock = fixedClock(ANCHOR);
const start = useSimulators({ seed: 53, incidents: 140, clock, api: 'published' });
const publishedSource = usePublishedSources();
const ANA: Actor = { email: 'ana@example.com', display: 'Ana Analyst' };
const STAMP = '[2026-11-23 10:00 UTC]';
const NO_RETRIES = { http: { maxRetries: 0 } };

describe('Palo Alto adapter, published API: triage writes through to the vendor', () => {
  let sim: PaloAltoSimulator;
  let source: IncidentSource;
  let open: Json[];
  beforeAll(async () => {
    sim = await start();
    source = publishedSource(sim, { clock });
    open = publishedRecords(sim).filter((r) => isOpenRecord(r) && !r.assignee_id && !r.incident_notes);
  });
  /** The record, its notes as people read them (each note dlp-bot wrote carries one idempotency marker). */
  const record = (id: unknown) => {
    const found: Json = { ...sim.publishedIncident(String(id)) };
    const notes = found.incident_notes as string | undefined;
    expect(markerCount(notes)).toBe(withoutMarkers(notes)?.match(/via dlp-bot/g)?.length ?? 0);
    return notes === undefined ? found : { ...found, incident_notes: withoutMarkers(notes) };
  };
  const idAt = (i: number) => String(open[i]?.incident_id);

  it('should assign to the assignee record with that email, and show the email back', async () => {
    const id = idAt(0);
    expect(okValue(await source.assign(id, { id: 'Analyst03@Example.com' }, ANA))).toEqual({ recordedIn: 'vendor' });
    const assignees = (await await fetch(`${sim.publishedBaseUrl}/v1/api/incidents/assignee`, {
      headers: { authorization: `Bearer ${await publishedToken(sim)}` },
    }).then((r) => r.json())) as Json[];
    const analyst03 = assignees.find((a) => a.emailAddress === 'analyst03@example.com');
    expect(record(id).assignee_id).toBe(analyst03?.id);
    expect(okValue(await source.get(id)).assignee).toBe('analyst03@example.com');
  });

  it('should refuse, changing nothing, to assign to someone who is not an active assignee', async () => {
    const id = idAt(1);
    for (const email of ['stranger@example.com', 'former.analyst@example.com']) {
      const error = errorOf(await source.assign(id, { id: email }, ANA));
      expect(error.code).toBe('rejected');
      expect(error.message).toContain(email);
    }
    expect(record(id).assignee_id).toBeUndefined();
  });

  it('should append notes (the API replaces the one notes field), in the dataset both APIs share', async () => {
    const id = idAt(2);
    okValue(await source.addNote(id, 'first look: <!here> test data', ANA));
    clock.advance(5 * 60_000);
    okValue(await source.addNote(id, 'owner confirmed', { email: null, display: 'Bo Reviewer' }));
    clock.set(ANCHOR);
    const expected =
      `${STAMP} Note by ana@example.com via dlp-bot: first look: <!here> test data\n\n` +
      '[2026-11-23 10:05 UTC] Note by Bo Reviewer via dlp-bot: owner confirmed';
    expect(record(id).incident_notes).toBe(expected);
    const position = publishedRecords(sim).findIndex((r) => r.incident_id === id);
    expect(withoutMarkers(sim.incident(String(1_000_000 + position))?.reviewer_comments as string)).toBe(expected);
    expect(JSON.stringify(okValue(await source.get(id)))).not.toContain('owner confirmed');
  });

  it('should mark a false positive with incident feedback, note the reason, and drop it from the listing', async () => {
    const id = idAt(3);
    okValue(await source.markFalsePositive(id, 'test file from QA', ANA));
    expect(record(id)).toMatchObject({
      incident_feedback_status: 'CONFIRMED_FALSE_POSITIVE',
      incident_notes: `${STAMP} Marked false positive by ana@example.com via dlp-bot: test file from QA`,
    });
    expect(okValue(await source.get(id))).toMatchObject({
      status: 'false_positive',
      rawStatus: 'CONFIRMED_FALSE_POSITIVE',
    });
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(listed.incidents.map((i) => i.id)).not.toContain(id);
    expect(sim.requests().byRoute['POST /v1/public/incident-feedback/{incidentID}']).toBe(1);
  });

  it('should add a note once when it is sent again (a retry after an unclear failure), saying it was already there', async () => {
    const id = idAt(40);
    okValue(await source.addNote(id, 'called the owner', ANA));
    expect(okValue(await source.addNote(id, 'called the owner', ANA))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'already',
    });
    expect(record(id).incident_notes).toBe(`${STAMP} Note by ana@example.com via dlp-bot: called the owner`);
  });

  it('should refuse notes, false positives and snippets when reading the incident answers another one', async () => {
    const confused = await start({ quirks: { getAnswersAnother: true } });
    const client = publishedSource(confused, { clock });
    const id = idAt(41);
    for (const result of [
      await client.addNote(id, 'wrong place?', ANA),
      await client.markFalsePositive(id, 'wrong place?', ANA),
      await client.snippets(id),
    ]) {
      expect(errorOf(result).code).toBe('schema_mismatch');
    }
    expect(confused.publishedIncident(id)?.incident_notes).toBeUndefined();
    expect(confused.requests().byRoute['POST /v1/public/incident-feedback/{incidentID}']).toBeUndefined();
    expect(confused.requests().byRoute['GET /v1/public/report/{reportId}']).toBeUndefined();
  });

  it('should show snippets from the scan report without the surrounding context, masked by the core', async () => {
    const all = await Promise.all(
      open.slice(4, 40).map(async (r) => okValue(await source.snippets(String(r.incident_id)))),
    );
    const snippets = all.flat();
    expect(snippets.length).toBeGreaterThan(0);
    // The adapter keeps only the detected value, in clear; the context never leaves it.
    expect(snippets.some((s) => /\d[\d -]{3,}\d{2}/.test(s.text))).toBe(true);
    expect(JSON.stringify(snippets)).not.toMatch(/row \d/);
    // The simulator serves clear synthetic values; none survives into the view: no run of five digits, no address.
    // A document label's serial (`CONFIDENTIAL-238922`) is no personal data and stays readable.
    const view = snippetsView('pan:x', snippets, 'Palo Alto');
    const shown = JSON.stringify(view);
    for (const field of view.blocks.flatMap((b) => (b.type === 'fields' ? b.fields : []))) {
      if (field.label !== 'Confidential Document Label') expect(field.value).not.toMatch(/\d[\d -]{3,}\d{2}/);
    }
    expect(shown).not.toMatch(/[a-z0-9]{2,}@example\.com/);
    expect(shown).not.toMatch(/4000 0566|someone@|row \d/);
    expect(snippets.some((s) => HOSTILE_STRINGS.some((h) => s.text.includes(h.slice(0, 12))))).toBe(true);
    expect(sim.requests().byRoute['GET /v1/public/report/{reportId}']).toBe(36);
  });

  it('should answer not_found for every action on an incident the vendor does not know', async () => {
    const unknown = '00000000-0000-4000-a000-000000000000';
    expect(errorOf(await source.assign(unknown, { id: 'analyst01@example.com' }, ANA)).code).toBe('not_found');
    expect(errorOf(await source.addNote(unknown, 'x', ANA)).code).toBe('not_found');
    expect(errorOf(await source.markFalsePositive(unknown, 'x', ANA)).code).toBe('not_found');
    expect(errorOf(await source.snippets(unknown)).code).toBe('not_found');
  });

  it('should map a vendor that fails or throttles to unavailable and rate_limited on every action', async () => {
    const id = idAt(5);
    for (const [faults, code] of [
      [{ errorRate: 1 }, 'unavailable'],
      [{ rateLimitShare: 1, retryAfterSec: 7 }, 'rate_limited'],
    ] as const) {
      const broken = publishedSource(await start({ faults }), { clock, overrides: NO_RETRIES });
      const results = [
        await broken.assign(id, { id: 'analyst01@example.com' }, ANA),
        await broken.addNote(id, 'x', ANA),
        await broken.markFalsePositive(id, 'x', ANA),
        await broken.snippets(id),
      ];
      for (const result of results) expect(errorOf(result).code).toBe(code);
      if (code === 'rate_limited') expect(errorOf(results[0] as never).retryAfterMs).toBe(7_000);
    }
  });
});
