import { afterEach, describe, expect, it } from 'vitest';
import { MINE_NEEDS_IDENTITY } from '../../../commands/mine.js';
import type { LocalAssignee } from '../../../src/store/index.js';
import { fakeIncident } from '../../support/fake-source.js';
import {
  CLI_INVOKER,
  chatInvoker,
  createHarness,
  type Harness,
  hoursAgo,
  NOW,
  runCommand,
  tableRows,
} from './harness.js';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});

const alice = 'alice@corp.example';
const localAssignee = (overrides: Partial<LocalAssignee>): LocalAssignee => ({
  email: null,
  display: 'Alice',
  surface: null,
  chatUserId: null,
  ...overrides,
});

/** Alice's incidents in every form an assignment takes, plus look-alikes that are not hers. */
async function seeded() {
  const h = createHarness({
    identity: { vendorUsers: [{ email: alice, source: 'sym-eu', vendorUser: 'CORP\\asmith' }] },
  });
  harnesses.push(h);
  await h.scan(
    fakeIncident('pan-prod', 'VENDOR-EMAIL', { assignee: 'Alice@Corp.Example', createdAt: hoursAgo(30) }),
    fakeIncident('sym-eu', 'VENDOR-ID', { assignee: 'corp\\ASMITH', createdAt: hoursAgo(20) }),
    fakeIncident('pan-prod', 'LOCAL-EMAIL', { createdAt: hoursAgo(10) }),
    fakeIncident('pan-prod', 'LOCAL-CHAT', { createdAt: hoursAgo(2) }),
    fakeIncident('pan-prod', 'CHAT-ID-AS-VENDOR', { assignee: 'U0ALICE', createdAt: hoursAgo(1) }),
    // Not hers, or not awaiting triage.
    fakeIncident('pan-prod', 'BOB', { assignee: 'bob@corp.example', createdAt: hoursAgo(40) }),
    fakeIncident('pan-prod', 'ASMITH-ELSEWHERE', { assignee: 'CORP\\asmith', createdAt: hoursAgo(35) }),
    fakeIncident('pan-prod', 'IN-REVIEW', { assignee: alice, status: 'in_review', createdAt: hoursAgo(50) }),
    fakeIncident('pan-prod', 'UNASSIGNED', { createdAt: hoursAgo(45) }),
    fakeIncident('pan-prod', 'LOCAL-OTHER-SURFACE', { createdAt: hoursAgo(3) }),
  );
  const assign = (id: string, assignee: LocalAssignee) =>
    h.store.triage.setAssignee({ source: 'pan-prod', id }, assignee, 'slack:U0LEAD lead@corp.example', NOW);
  assign('LOCAL-EMAIL', localAssignee({ email: 'ALICE@corp.example' }));
  assign('LOCAL-CHAT', localAssignee({ surface: 'slack', chatUserId: 'U0ALICE' }));
  assign('LOCAL-OTHER-SURFACE', localAssignee({ surface: 'teams', chatUserId: 'U0ALICE' }));
  return h;
}

const ids = (result: Awaited<ReturnType<typeof runCommand>>) => tableRows(result).map((r) => r.incident?.split(':')[1]);

describe('mine', () => {
  it('should list what is assigned to the chat user by email, vendor user id or chat id, oldest first', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['mine'], chatInvoker());
    expect(ids(result)).toEqual(['VENDOR-EMAIL', 'VENDOR-ID', 'LOCAL-EMAIL', 'LOCAL-CHAT', 'CHAT-ID-AS-VENDOR']);
    expect(result.view.title).toBe(`5 incidents awaiting triage assigned to ${alice}, 3 past SLA`);
    expect(result.view.tone).toBe('danger');
    // Same table shape as aging.
    expect(Object.keys(tableRows(result)[0] ?? {})).toEqual([
      'incident',
      'severity',
      'status',
      'age',
      'sla',
      'overdue',
      'created',
    ]);
  });

  it('should match only by email on the command line, where there is no chat id', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['mine', '--email', 'ALICE@corp.example', '--json']);
    expect(ids(result)).toEqual(['VENDOR-EMAIL', 'VENDOR-ID', 'LOCAL-EMAIL']);
    expect(result.data).toEqual([
      expect.objectContaining({ source: 'pan-prod', id: 'VENDOR-EMAIL', slaState: 'escalated' }),
      expect.objectContaining({ source: 'sym-eu', id: 'VENDOR-ID' }),
      expect.objectContaining({ id: 'LOCAL-EMAIL' }),
    ]);
  });

  it('should ask who you are on the command line without --email, and exit 2', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['mine'], CLI_INVOKER);
    expect(result.exitCode).toBe(2);
    expect(result.view.title).toBe('`mine` needs to know who you are: use it from chat, or pass --email you@corp');
    expect(result.view.title).toBe(MINE_NEEDS_IDENTITY);
  });

  it('should refuse --email in chat rather than show someone else as yours', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['mine', '--email', 'bob@corp.example'], chatInvoker());
    expect(result.exitCode).toBe(2);
    expect(result.view.title).toContain('--email is for the dlp-bot command line');
  });

  it('should fall back to the chat id when the chat profile shows no email, and say so', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['mine'], chatInvoker({ email: null }));
    expect(ids(result)).toEqual(['LOCAL-CHAT', 'CHAT-ID-AS-VENDOR']);
    expect(result.view.title).toBe('2 incidents awaiting triage assigned to Alice, 0 past SLA');
    expect(JSON.stringify(result.view.blocks)).toContain('cannot see your email address');
  });

  it('should honour --limit and say how many were left out', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['mine', '--limit', '2'], chatInvoker());
    expect(ids(result)).toEqual(['VENDOR-EMAIL', 'VENDOR-ID']);
    expect(result.view.title).toContain('(oldest 2 shown)');
  });

  it('should say nothing is assigned on an empty store', async () => {
    const h = createHarness();
    harnesses.push(h);
    const result = await runCommand(h, ['mine'], chatInvoker());
    expect(result.view).toMatchObject({ title: `Nothing awaiting triage is assigned to ${alice}`, tone: 'good' });
    expect(tableRows(result)).toEqual([]);
  });
});
