import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGE_TEXT_BUDGET, SLACK_LIMITS } from '../../../adapters/chat/slack/limits.js';
import { renderMessage } from '../../../adapters/chat/slack/render.js';
import type { DigestData } from '../../../src/digest/collect.js';
import { SEVERITIES } from '../../../src/domain/incident.js';
import type { Block } from '../../../src/views/view.js';
import { validateBlocks } from '../../support/fake-slack/validate.js';
import { fakeIncident } from '../../support/fake-source.js';
import { chatInvoker, createHarness, type Harness, hoursAgo, NOW, runCommand, tableRows } from './harness.js';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});

function harness(sourceIds?: string[]) {
  const h = createHarness(sourceIds ? { sourceIds } : {});
  harnesses.push(h);
  return h;
}

/**
 * At NOW on the default 24×7 policy (critical 2 h, high 4 h, medium 8 h, low 12 h, info 16 h; escalated at 2×).
 * Open: 11; awaiting: 10 (F is in review); past SLA: H, K, A, B, C, G; escalated: A; due within 4 h: D, I.
 */
async function seeded() {
  const h = harness();
  await h.scan(
    fakeIncident('pan-prod', 'A', { severity: 'critical', createdAt: hoursAgo(10), assignee: 'Alice@Corp.Example' }),
    fakeIncident('pan-prod', 'B', { severity: 'high', createdAt: hoursAgo(6), assignee: 'alice@corp.example' }),
    fakeIncident('pan-prod', 'C', { severity: 'high', createdAt: hoursAgo(5), assignee: 'carol' }),
    fakeIncident('pan-prod', 'D', { severity: 'medium', createdAt: hoursAgo(5) }),
    fakeIncident('pan-prod', 'E', { severity: 'low', createdAt: hoursAgo(1) }),
    fakeIncident('pan-prod', 'F', { severity: 'high', status: 'in_review', createdAt: hoursAgo(20) }),
    fakeIncident('sym-eu', 'G', { severity: 'high', createdAt: hoursAgo(4.5), assignee: 'carol' }),
    fakeIncident('sym-eu', 'H', { severity: 'info', createdAt: hoursAgo(30) }),
    fakeIncident('sym-eu', 'I', { severity: 'critical', createdAt: hoursAgo(1), assignee: 'carol' }),
    fakeIncident('sym-eu', 'J', { severity: 'critical', status: 'resolved', createdAt: hoursAgo(40) }),
    fakeIncident('sym-eu', 'K', { severity: 'low', createdAt: hoursAgo(13) }),
    // Due in 6 h: soon, but not within the digest's 4 h.
    fakeIncident('sym-eu', 'L', { severity: 'medium', createdAt: hoursAgo(2) }),
  );
  // The vendor says carol; dlp-bot recorded Bob, because this vendor cannot take an assignee.
  h.store.triage.setAssignee(
    { source: 'pan-prod', id: 'C' },
    { email: 'bob@corp.example', display: 'Bob', surface: 'slack', chatUserId: 'U0BOB' },
    'slack:U0LEAD lead@corp.example',
    NOW,
  );
  return h;
}

const tableAfter = (blocks: Block[], header: string) => {
  const at = blocks.findIndex((b) => b.type === 'header' && b.text.startsWith(header));
  const table = blocks.slice(at + 1).find((b) => b.type === 'table');
  if (at < 0 || table?.type !== 'table') throw new Error(`no table after ${header}`);
  return table.rows;
};

describe('digest', () => {
  it('should count open incidents by severity and by source, and the SLA picture', async () => {
    const result = await runCommand(await seeded(), ['digest', '--json']);
    const data = result.data as DigestData;
    expect(data).toMatchObject({
      at: NOW.toISOString(),
      open: 11,
      awaiting: 10,
      bySeverity: { critical: 2, high: 4, medium: 2, low: 2, info: 1 },
      bySource: { 'pan-prod': 6, 'sym-eu': 5 },
      breached: 6,
      escalated: 1,
      dueWithin4h: 2,
    });
    expect(result.view.title).toBe('DLP digest for 2026-03-02 18:00 UTC: 11 open, 6 past SLA, 2 due in the next 4 h');
    expect(result.view.tone).toBe('danger');
    expect(result.view.blocks[0]).toEqual({
      type: 'fields',
      fields: [
        { label: 'Open', value: '11' },
        { label: 'Awaiting triage', value: '10' },
        { label: 'Past SLA', value: '6' },
        { label: 'Escalated', value: '1' },
        { label: 'Due in the next 4 h', value: '2' },
      ],
    });
    expect(tableRows(result, 0)).toEqual(
      ['critical:2', 'high:4', 'medium:2', 'low:2', 'info:1'].map((p) => {
        const [name, count] = p.split(':');
        return { name, count };
      }),
    );
    expect(tableRows(result, 1)).toEqual([
      { name: 'pan-prod', count: '6' },
      { name: 'sym-eu', count: '5' },
    ]);
  });

  it('should list the five oldest breaches with their age and time past SLA', async () => {
    const result = await runCommand(await seeded(), ['digest']);
    expect(result.view.blocks).toContainEqual({ type: 'header', text: 'Oldest breaches (5 of 6)' });
    const at = result.view.blocks.findIndex((b) => b.type === 'header' && b.text.startsWith('Oldest breaches'));
    const fields = result.view.blocks[at + 1];
    if (fields?.type !== 'fields') throw new Error('no fields after the oldest breaches header');
    expect(fields.fields.map((f) => [f.label, f.value])).toEqual([
      ['sym-eu:H · info', '1d 6h old, 14h past SLA'],
      ['sym-eu:K · low', '13h old, 1h past SLA'],
      ['pan-prod:A · critical', '10h old, 8h past SLA'],
      ['pan-prod:B · high', '6h old, 2h past SLA'],
      ['pan-prod:C · high', '5h old, 1h past SLA'],
    ]);
    // Each links to the incident (the vendor console's page when no card of it is known for this channel).
    expect(fields.fields.every((f) => f.url?.startsWith('https://'))).toBe(true);
  });

  it('should count who holds what: the local assignee over the vendor one, names without case, then unassigned', async () => {
    const result = await runCommand(await seeded(), ['digest'], chatInvoker());
    expect(tableAfter(result.view.blocks, 'Who holds')).toEqual([
      { name: 'Alice@Corp.Example', count: '2' },
      { name: 'carol', count: '2' },
      { name: 'bob@corp.example', count: '1' },
      { name: 'unassigned', count: '6' },
    ]);
    expect((result.data as DigestData).unassigned).toBe(6);
  });

  it('should say there is nothing open on an empty store, and that nothing was scanned', async () => {
    const result = await runCommand(harness(), ['digest']);
    expect(result.view).toEqual({
      title: 'DLP digest for 2026-03-02 18:00 UTC: no open incidents',
      tone: 'good',
      blocks: [{ type: 'context', text: 'Nothing scanned yet: run `dlp-bot scan` first.' }],
    });
    expect(result.data).toMatchObject({ open: 0, breached: 0, oldestBreaches: [], holders: [], unassigned: 0 });
  });

  it('should stay within chat message limits for 10,000 open incidents across 25 sources and 300 people', async () => {
    const sources = Array.from({ length: 25 }, (_, i) => `src-${String(i).padStart(2, '0')}`);
    const h = harness(sources);
    h.store.transaction(() => {
      for (let i = 0; i < 10_000; i += 1) {
        const source = sources[i % sources.length] ?? 'src-00';
        const incident = fakeIncident(source, `INC-${i}`, {
          severity: SEVERITIES[i % SEVERITIES.length],
          createdAt: hoursAgo((i % 96) / 2),
          assignee: i % 4 === 0 ? null : `user-${i % 300}@corp.example`,
        });
        h.store.incidents.upsert(incident, {
          contentHash: `hash-${i}`,
          slaState: null,
          slaDeadline: null,
          seenAt: NOW,
          scanId: 'scan-seed',
        });
        if (i % 100 === 1) {
          h.store.triage.setAssignee(
            incident,
            { email: null, display: 'Dana (local)', surface: 'teams', chatUserId: 'aad-dana' },
            'teams:aad-lead',
            NOW,
          );
        }
      }
    });

    const result = await runCommand(h, ['digest'], chatInvoker());

    const data = result.data as DigestData;
    expect(data.open).toBe(10_000);
    expect(Object.values(data.bySeverity).reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Object.values(data.bySource).reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(data.holders.reduce((sum, h) => sum + h.open, 0) + data.unassigned).toBe(10_000);
    expect(data.holders.find((x) => x.holder === 'Dana (local)')?.open).toBe(100);

    const { blocks } = result.view;
    expect(blocks.length).toBeLessThanOrEqual(12);
    for (const block of blocks) {
      if (block.type === 'table') expect(block.rows.length).toBeLessThanOrEqual(12);
      if (block.type === 'fields') expect(block.fields.length).toBeLessThanOrEqual(10);
    }
    // 10 sources shown, then one row for the other 15.
    const bySource = tableRows(result, 1);
    expect(bySource).toHaveLength(11);
    expect(bySource.at(-1)).toEqual({ name: '… 15 more sources', count: String(15 * 400) });
    const holders = tableAfter(blocks, 'Who holds');
    expect(holders).toHaveLength(12);
    expect(holders.at(-2)?.name).toMatch(/^… \d+ more people$/);
    expect(holders.at(-1)).toEqual({ name: 'unassigned', count: String(data.unassigned) });
    // Slack allows 50 blocks and 3,000 characters per text; Teams 28 KB per card. This is far below both.
    expect(JSON.stringify(result.view).length).toBeLessThan(6_000);
    // Rendered for Slack: valid Block Kit, nothing cut to fit, every section of the digest still there.
    const message = renderMessage(result.view);
    expect(validateBlocks(message.blocks, SLACK_LIMITS.messageBlocks, 'blocks')).toEqual([]);
    expect(JSON.stringify(message.blocks).length).toBeLessThan(MESSAGE_TEXT_BUDGET);
    const headers = message.blocks.filter((b) => b.type === 'header').map((b) => JSON.stringify(b));
    expect(headers.join(' ')).toMatch(/Oldest breaches.*Last 24 hours and 7 days.*Who holds the open incidents/);
  });
});
