import { afterEach, describe, expect, it } from 'vitest';
import { fakeIncident } from '../../support/fake-source.js';
import { chatInvoker, createHarness, type Harness, HOUR, hoursAgo, runCommand, tableRows } from './harness.js';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});

const key = { source: 'pan-prod', id: 'INC-7' };

async function seeded() {
  const h = createHarness();
  harnesses.push(h);
  await h.scan(fakeIncident('pan-prod', 'INC-7', { createdAt: hoursAgo(6) }), fakeIncident('pan-prod', 'INC-8'));
  const event = (hours: number, action: string, actor: string, outcome: 'ok' | 'denied' | 'failed', extra = {}) =>
    h.store.audit.append({
      at: hoursAgo(hours),
      actor,
      surface: 'slack',
      action,
      source: key.source,
      incidentId: key.id,
      outcome,
      correlationId: `click-${action}`,
      ...extra,
    });
  event(5, 'incident.assign', 'slack:U1 alice@corp.example', 'ok', { detail: { assignee: 'bob@corp.example' } });
  event(4, 'snippets.view', 'slack:U2 mallory@corp.example', 'denied');
  event(3, 'incident.note', 'slack:U1 alice@corp.example', 'ok', { detail: { reason: 'VERY-PRIVATE-NOTE-TEXT' } });
  event(2, 'snippets.view', 'slack:U1 alice@corp.example', 'ok');
  // Another incident's row must not appear.
  h.store.audit.append({
    at: hoursAgo(1),
    actor: 'slack:U3 carol@corp.example',
    surface: 'slack',
    action: 'incident.assign',
    source: 'pan-prod',
    incidentId: 'INC-8',
    outcome: 'ok',
  });
  return h;
}

describe('history', () => {
  it("should list the incident's audit rows newest first: when, who, what, outcome", async () => {
    const h = await seeded();
    const result = await runCommand(h, ['history', 'pan-prod:INC-7'], chatInvoker());
    expect(result.view.title).toBe('Audit trail of pan-prod:INC-7: 4 events');
    expect(tableRows(result)).toEqual([
      { at: '2026-03-02 16:00 UTC', actor: 'slack:U1 alice@corp.example', action: 'snippets.view', outcome: 'ok' },
      { at: '2026-03-02 15:00 UTC', actor: 'slack:U1 alice@corp.example', action: 'incident.note', outcome: 'ok' },
      {
        at: '2026-03-02 14:00 UTC',
        actor: 'slack:U2 mallory@corp.example',
        action: 'snippets.view',
        outcome: 'denied',
      },
      { at: '2026-03-02 13:00 UTC', actor: 'slack:U1 alice@corp.example', action: 'incident.assign', outcome: 'ok' },
    ]);
  });

  it('should never show what a row carries in its detail, in the view or in --json', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['history', 'pan-prod:INC-7', '--json']);
    expect(JSON.stringify(result)).not.toContain('VERY-PRIVATE-NOTE-TEXT');
    expect(JSON.stringify(result)).not.toContain('bob@corp.example');
    expect(result.data).toEqual([
      // The scan wrote seq 1 and 2 (one row per source).
      expect.objectContaining({ seq: 6, action: 'snippets.view', surface: 'slack', at: hoursAgo(2).toISOString() }),
      expect.objectContaining({ seq: 5 }),
      expect.objectContaining({ seq: 4, outcome: 'denied' }),
      expect.objectContaining({ seq: 3 }),
    ]);
    expect(Object.keys((result.data as object[])[0] ?? {}).sort()).toEqual(
      ['action', 'actor', 'at', 'outcome', 'seq', 'surface'].sort(),
    );
  });

  it('should show only the newest N with --limit and say older ones were left out', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['history', 'pan-prod:INC-7', '--limit', '2']);
    expect(tableRows(result).map((r) => r.action)).toEqual(['snippets.view', 'incident.note']);
    expect(result.view.title).toBe('Audit trail of pan-prod:INC-7: newest 2 events');
    expect(result.view.blocks.at(-1)).toEqual({
      type: 'context',
      text: 'Older events left out; --limit 10 shows more.',
    });
  });

  it('should not claim more when exactly N rows exist', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['history', 'pan-prod:INC-7', '--limit', '4']);
    expect(result.view.title).toBe('Audit trail of pan-prod:INC-7: 4 events');
    expect(result.view.blocks.some((b) => b.type === 'context')).toBe(false);
  });

  it('should say an incident with no rows yet has none, and an unknown one is not in the store', async () => {
    const h = createHarness();
    harnesses.push(h);
    await h.scan(fakeIncident('pan-prod', 'QUIET', { createdAt: new Date(Date.parse('2026-03-02T17:00:00Z') - HOUR) }));
    const quiet = await runCommand(h, ['history', 'pan-prod:QUIET']);
    expect(quiet.view.title).toBe('No audit events for pan-prod:QUIET yet');
    expect(quiet.exitCode).toBe(0);
    const unknown = await runCommand(h, ['history', 'pan-prod:NOPE']);
    expect(unknown.view.title).toBe('No incident pan-prod:NOPE in the store');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.data).toEqual([]);
  });
});
