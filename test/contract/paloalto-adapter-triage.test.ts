import { beforeAll, describe, expect, it } from 'vitest';
import type { PaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { snippetsView } from '../../src/actions/snippets.js';
import type { Actor, IncidentSource } from '../../src/ports/index.js';
import { collect, errorOf, okValue } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { markerCount, withoutMarkers } from '../support/note-markers.js';
import { ANCHOR, connect, type Json, simulatorRecordsWith, useSimulators } from '../support/paloalto.js';
import { usePanSources } from '../support/paloalto-expect.js';

const clock = fixedClock(ANCHOR);
const start = useSimulators({ seed: 43, incidents: 120, clock });
const panSource = usePanSources();
const ANA: Actor = { email: 'ana@example.com', display: 'Ana Analyst' };
const STAMP = '[2026-11-23 10:00 UTC]';

describe('Palo Alto adapter: triage writes through to the vendor', () => {
  let sim: PaloAltoSimulator;
  let source: IncidentSource;
  let open: Json[];
  beforeAll(async () => {
    sim = await start();
    source = panSource(sim, { clock });
    open = simulatorRecordsWith(sim, ['open']);
  });
  /** The comments as people read them; each note dlp-bot wrote also carries one idempotency marker. */
  const comments = (id: unknown) => {
    const text = sim.incident(String(id))?.reviewer_comments as string | undefined;
    expect(markerCount(text)).toBe(withoutMarkers(text)?.match(/via dlp-bot/g)?.length ?? 0);
    return withoutMarkers(text);
  };

  it('should append notes to the reviewer comments, keeping earlier ones, naming the actor and the bot', async () => {
    const id = String(open[0]?.incident_id);
    expect(comments(id)).toBeUndefined();
    expect(okValue(await source.addNote(id, 'first look: <!here> test data', ANA))).toEqual({ recordedIn: 'vendor' });
    expect(comments(id)).toBe(`${STAMP} Note by ana@example.com via dlp-bot: first look: <!here> test data`);
    clock.advance(5 * 60_000);
    okValue(await source.addNote(id, 'owner confirmed', { email: null, display: 'Bo Reviewer' }));
    expect(comments(id)).toBe(
      `${STAMP} Note by ana@example.com via dlp-bot: first look: <!here> test data\n\n` +
        '[2026-11-23 10:05 UTC] Note by Bo Reviewer via dlp-bot: owner confirmed',
    );
    expect(sim.incident(id)?.status).toBe('open');
    const incident = okValue(await source.get(id));
    expect([incident.status, incident.updatedAt]).toEqual(['open', new Date('2026-11-23T10:05:00Z')]);
    expect(JSON.stringify(incident)).not.toMatch(/owner confirmed|first look/);
    clock.set(ANCHOR);
  });

  it("should keep a comment the vendor's own analysts wrote before the bot's note", async () => {
    const reviewed = simulatorRecordsWith(sim, ['in_review']).find((r) => typeof r.reviewer_comments === 'string');
    const id = String(reviewed?.incident_id);
    const before = String(reviewed?.reviewer_comments);
    okValue(await source.addNote(id, 'picked up', ANA));
    expect(comments(id)).toBe(`${before}\n\n${STAMP} Note by ana@example.com via dlp-bot: picked up`);
  });

  it('should mark a false positive as dismissed with the reason appended', async () => {
    const id = String(open[1]?.incident_id);
    okValue(await source.addNote(id, 'checking', ANA));
    expect(okValue(await source.markFalsePositive(id, 'test fixture, no real data', ANA))).toEqual({
      recordedIn: 'vendor',
    });
    expect(sim.incident(id)?.status).toBe('dismissed');
    expect(comments(id)).toBe(
      `${STAMP} Note by ana@example.com via dlp-bot: checking\n\n` +
        `${STAMP} Marked false positive by ana@example.com via dlp-bot: test fixture, no real data`,
    );
    expect(okValue(await source.get(id))).toMatchObject({ status: 'dismissed', rawStatus: 'dismissed' });
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(listed.incidents.map((i) => i.id)).not.toContain(id);
    const other = String(open[2]?.incident_id);
    okValue(await source.markFalsePositive(other, '', ANA));
    expect(comments(other)).toBe(`${STAMP} Marked false positive by ana@example.com via dlp-bot: no reason given`);
  });

  it('should add a note once when it is sent again (a retry after an unclear failure), saying it was already there', async () => {
    const id = String(open[4]?.incident_id);
    okValue(await source.addNote(id, 'called the owner', ANA));
    clock.advance(60_000);
    expect(okValue(await source.addNote(id, 'called the owner', ANA))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'already',
    });
    expect(comments(id)).toBe(`${STAMP} Note by ana@example.com via dlp-bot: called the owner`);
    clock.set(ANCHOR);
  });

  it('should report a note applied when the answer to the write is unreadable but the incident shows it', async () => {
    const garbled = await start({ quirks: { unreadableWriteAnswers: true } });
    const client = panSource(garbled, { clock });
    const id = String(open[5]?.incident_id);
    expect(okValue(await client.addNote(id, 'looked at it', ANA))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'reread',
    });
    expect(okValue(await client.markFalsePositive(id, 'test data', ANA))).toEqual({
      recordedIn: 'vendor',
      confirmed: 'reread',
    });
    expect(garbled.incident(id)?.status).toBe('dismissed');
    // The retry a failure would have invited adds nothing.
    expect(okValue(await client.addNote(id, 'looked at it', ANA))).toMatchObject({ confirmed: 'already' });
    const text = String(garbled.incident(id)?.reviewer_comments);
    expect(markerCount(text)).toBe(2);
    expect(withoutMarkers(text)).toBe(
      `${STAMP} Note by ana@example.com via dlp-bot: looked at it\n\n` +
        `${STAMP} Marked false positive by ana@example.com via dlp-bot: test data`,
    );
  });

  it('should refuse notes and snippets when the vendor answers about another incident, never copying its comments here', async () => {
    const confused = await start({ quirks: { getAnswersAnother: true } });
    const client = panSource(confused, { clock });
    const reviewed = simulatorRecordsWith(confused, ['open', 'in_review']);
    const id = String(reviewed[0]?.incident_id);
    const before = confused.incident(id)?.reviewer_comments;
    expect(errorOf(await client.addNote(id, 'wrong place?', ANA)).code).toBe('schema_mismatch');
    expect(errorOf(await client.markFalsePositive(id, 'wrong place?', ANA)).code).toBe('schema_mismatch');
    expect(errorOf(await client.snippets(id)).code).toBe('schema_mismatch');
    expect(confused.incident(id)?.reviewer_comments).toBe(before);
    expect(confused.incident(id)?.status).not.toBe('dismissed');
  });

  it('should return the masked snippets, labelled with their pattern', async () => {
    const raw = open[3] as Json;
    const api = await connect(sim);
    const served = (await api.get(`/incidents/${raw.incident_id}/snippets`)).body as { snippets: Json[] };
    const snippets = okValue(await source.snippets(String(raw.incident_id)));
    expect(snippets.length).toBeGreaterThan(0);
    expect(snippets).toEqual(served.snippets.map((s) => ({ label: s.pattern_name, text: s.snippet })));
    for (const snippet of snippets) {
      expect(snippet.label).toBe(raw.data_pattern_name);
      expect(snippet.text).toMatch(/\*{2,}/);
    }
  });

  // Issue 13, finding 2: the vendor flagged the snippet `masked: true` and a raw SSN reached the clicker.
  it('should mask a snippet the vendor says is masked, so a raw SSN behind `masked: true` never reaches the clicker', async () => {
    const leaky = await start({ evidenceMarker: 'SSN 987-65-4321 card 4929 1234 5678 9015' });
    const id = String(simulatorRecordsWith(leaky, ['open'])[0]?.incident_id);
    const api = await connect(leaky);
    const served = (await api.get(`/incidents/${id}/snippets`)).body as { snippets: Json[] };
    expect(served.snippets.every((s) => s.masked === true && String(s.snippet).includes('987-65-4321'))).toBe(true);
    const shown = JSON.stringify(snippetsView(`pan:${id}`, okValue(await panSource(leaky).snippets(id)), 'PAN'));
    expect(shown).toContain('SSN •••-••-4321 card •••• •••• •••• 9015');
    expect(shown).not.toMatch(/987-65|4929 1234/);
  });

  it('should answer unsupported for assign without calling the vendor', async () => {
    const before = sim.requests().total;
    const error = errorOf(await source.assign(String(open[4]?.incident_id), { id: 'bo@example.com' }, ANA));
    expect(error.code).toBe('unsupported');
    expect(sim.requests().total).toBe(before);
  });

  it('should answer not_found for every triage call on an unknown incident, and write nothing', async () => {
    const before = sim.requests().byRoute['PUT /v4/incidents/{incident_id}'] ?? 0;
    for (const id of ['9999999', 'INC-404']) {
      expect(errorOf(await source.addNote(id, 'x', ANA))).toMatchObject({ code: 'not_found', status: 404 });
      expect(errorOf(await source.markFalsePositive(id, 'x', ANA)).code).toBe('not_found');
      expect(errorOf(await source.snippets(id)).code).toBe('not_found');
    }
    expect(sim.requests().byRoute['PUT /v4/incidents/{incident_id}'] ?? 0).toBe(before);
  });
});
