import { afterEach, describe, expect, it } from 'vitest';
import type { ChatUser, TriageRequest } from '../../../src/ports/inbound.js';
import { fakeIncident } from '../../support/fake-source.js';
import { assignTo, falsePositive, note, SNIPPETS, TAKE } from '../../support/triage-requests.js';
import { alice, bob, click, type Harness, harness, KEY, T0, vendorActions, viewer } from './harness.js';

let h: Harness;
afterEach(() => h.store.close());

const stranger: ChatUser = { surface: 'teams', userId: 'aad-9', display: 'Stan', email: null, groups: [] };

describe('roles and audit', () => {
  it('should refuse a viewer with the role needed and how to get it, audit it, and call nothing', async () => {
    h = harness();
    const outcome = await h.handlers.triage(assignTo(bob), KEY, click(viewer));
    expect(outcome).toEqual({
      kind: 'denied',
      text:
        'Assigning incidents needs the analyst role; you have the viewer role. Ask a dlp-bot admin to add your ' +
        'user id (U3), your email or one of your groups under roles.analyst in the config.',
    });
    expect(vendorActions(h.source)).toEqual([]);
    expect(h.intents()).toEqual([]);
    expect(h.audit()).toMatchObject([
      {
        actor: 'slack:U3 vic@corp.example',
        surface: 'slack',
        action: 'incident.assign',
        source: 'pan',
        incidentId: '42',
        outcome: 'denied',
        detail: { role: 'viewer', required: 'analyst' },
      },
    ]);
  });

  it('should refuse someone with no role at all, on every action, snippets included', async () => {
    h = harness({ capabilities: { snippets: true } });
    const requests: TriageRequest[] = [assignTo(bob), TAKE, note('n'), falsePositive(''), SNIPPETS];
    for (const request of requests) {
      const outcome = await h.handlers.triage(request, KEY, click(stranger));
      expect(outcome).toMatchObject({ kind: 'denied', text: expect.stringContaining('you have no role') });
    }
    expect(vendorActions(h.source)).toEqual([]);
    expect(h.audit().map((row) => [row.action, row.outcome, row.surface, row.actor])).toEqual([
      ['incident.assign', 'denied', 'teams', 'teams:aad-9'],
      ['incident.take', 'denied', 'teams', 'teams:aad-9'],
      ['incident.note', 'denied', 'teams', 'teams:aad-9'],
      ['incident.false_positive', 'denied', 'teams', 'teams:aad-9'],
      ['incident.snippets', 'denied', 'teams', 'teams:aad-9'],
    ]);
  });

  it('should let an analyst by group or by the default role act', async () => {
    h = harness({ roles: { analyst: ['S-SEC'] } });
    const member = { ...stranger, groups: ['S-SEC'] };
    expect(await h.handlers.triage(note('n'), KEY, click(member))).toMatchObject({ kind: 'done' });
    h.store.close();
    h = harness({ roles: { default: 'analyst', viewer: [] } });
    expect(await h.handlers.triage(note('n'), KEY, click(stranger))).toMatchObject({
      kind: 'done',
    });
  });

  it('should expose the role and the group ids the config names', () => {
    h = harness({ roles: { lead: ['S-LEADS', 'boss@corp.example'] } });
    expect(h.handlers.roleOf(alice)).toBe('analyst');
    expect(h.handlers.roleOf(viewer)).toBe('viewer');
    expect(h.handlers.roleOf(stranger)).toBe('none');
    expect(h.handlers.groupIds()).toEqual(['U3', 'U1', 'U2', 'U4', 'S-LEADS']);
  });

  it('should write exactly one audit row per click with the right outcome, actor and correlation id', async () => {
    h = harness({ capabilities: { snippets: true } });
    const contexts = [click(alice), click(viewer), click(alice), click(alice), click(alice)];
    h.failNextAction({ code: 'unavailable', message: '503' });
    await h.handlers.triage(TAKE, KEY, contexts[0] ?? click(alice));
    await h.handlers.triage(TAKE, KEY, contexts[1] ?? click(alice));
    await h.handlers.triage(TAKE, KEY, contexts[2] ?? click(alice));
    await h.handlers.triage(SNIPPETS, KEY, contexts[3] ?? click(alice));
    await h.handlers.triage(note(''), KEY, contexts[4] ?? click(alice));
    expect(h.audit().map((row) => [row.action, row.outcome, row.correlationId])).toEqual([
      ['incident.take', 'failed', contexts[0]?.correlationId],
      ['incident.take', 'denied', contexts[1]?.correlationId],
      ['incident.take', 'ok', contexts[2]?.correlationId],
      ['incident.snippets', 'ok', contexts[3]?.correlationId],
      ['incident.note', 'failed', contexts[4]?.correlationId],
    ]);
    expect(h.audit()[2]).toMatchObject({ actor: 'slack:U1 alice@corp.example', surface: 'slack', at: h.clock.now() });
    expect(h.store.audit.verify()).toMatchObject({ ok: true, rows: 5 });
  });

  it('should answer a click on an incident it does not store with not found, audited', async () => {
    h = harness();
    const context = click(alice);
    const outcome = await h.handlers.triage(TAKE, { source: 'pan', id: 'gone' }, context);
    expect(outcome).toEqual({
      kind: 'failed',
      text: 'dlp-bot knows no incident pan:gone.',
      correlationId: context.correlationId,
    });
    expect(vendorActions(h.source)).toEqual([]);
    expect(h.audit()).toMatchObject([{ outcome: 'failed', incidentId: 'gone', detail: { error: 'not_found' } }]);
  });

  it('should refuse a click from a surface the audit log does not know, rather than act unaudited', async () => {
    h = harness({ roles: { analyst: ['X1'] } });
    const odd = { ...alice, surface: 'irc', userId: 'X1' };
    await expect(h.handlers.triage(TAKE, KEY, click(odd))).rejects.toThrow(/unknown chat surface/);
    expect(vendorActions(h.source)).toEqual([]);
  });
});

describe('authorize (before a form opens)', () => {
  it('should allow an analyst and record the click as allowed', async () => {
    h = harness();
    const context = click(alice);
    expect(await h.handlers.authorize('incident.note', KEY, context)).toMatchObject({ open: true });
    expect(h.audit()).toMatchObject([
      { action: 'incident.note', outcome: 'allowed', correlationId: context.correlationId, detail: { step: 'form' } },
    ]);
    expect(vendorActions(h.source)).toEqual([]);
  });

  it('should refuse a viewer before the form opens, with an audit row', async () => {
    h = harness();
    const grant = await h.handlers.authorize('incident.false_positive', KEY, click(viewer));
    expect(grant).toMatchObject({
      open: false,
      outcome: { kind: 'denied', text: expect.stringMatching(/^Marking false positives needs/) },
    });
    expect(h.audit()).toMatchObject([{ outcome: 'denied', detail: { step: 'form', role: 'viewer' } }]);
  });

  it('should answer not found for an unknown incident, and a platform retry as a duplicate', async () => {
    h = harness();
    const grant = await h.handlers.authorize('incident.assign', { source: 'pan', id: 'gone' }, click(alice));
    expect(grant).toMatchObject({ open: false, outcome: { kind: 'failed' } });
    const context = click(alice);
    expect(await h.handlers.authorize('incident.assign', KEY, context)).toMatchObject({ open: true });
    expect(await h.handlers.authorize('incident.assign', KEY, context)).toMatchObject({
      open: false,
      outcome: { kind: 'duplicate' },
    });
    expect(h.audit().map((row) => row.outcome)).toEqual(['failed', 'allowed']);
  });

  it('should not count an opened form as the action itself', async () => {
    h = harness();
    const context = click(alice);
    await h.handlers.authorize('incident.note', KEY, context);
    expect(await h.handlers.triage(note('n'), KEY, context)).toMatchObject({ kind: 'done' });
  });
});

describe('a button that does not match its card', () => {
  const OTHER = { source: 'pan', id: '43' } as const;
  /** pan:42 and pan:43 are stored; pan:42's card is message 1700.0001 in C1 (the message `click` names). */
  function posted(): Harness {
    const both = harness({
      incidents: [fakeIncident('pan', '42', { createdAt: T0 }), fakeIncident('pan', '43', { createdAt: T0 })],
    });
    both.store.postings.record({
      source: 'pan',
      incidentId: '42',
      surface: 'slack',
      channel: 'C1',
      messageId: '1700.0001',
      postedAt: T0,
    });
    return both;
  }

  it("should refuse a click whose button names another incident than its card's, audit it, and call nothing", async () => {
    h = posted();
    const outcome = await h.handlers.triage(TAKE, OTHER, click(alice));
    expect(outcome).toEqual({
      kind: 'denied',
      text: 'That button does not match the incident on its card, so nothing was done.',
    });
    const form = await h.handlers.authorize('incident.note', OTHER, click(alice));
    expect(form).toMatchObject({ open: false, outcome: { kind: 'denied' } });
    expect(vendorActions(h.source)).toEqual([]);
    expect(h.audit().map((row) => [row.incidentId, row.outcome, row.detail])).toEqual([
      ['43', 'denied', { error: 'card_mismatch' }],
      ['43', 'denied', { step: 'form', error: 'card_mismatch' }],
    ]);
    expect(h.logs.join('')).toContain('"postedFor":"pan:42"');
  });

  it("should act on the card's own incident, and on a message that is not an incident post (a dlp show answer)", async () => {
    h = posted();
    expect(await h.handlers.triage(TAKE, KEY, click(alice))).toMatchObject({ kind: 'done' });
    const elsewhere = click(bob, { message: { surface: 'slack', channel: 'C1', messageId: '1700.0099' } });
    expect(await h.handlers.triage(TAKE, OTHER, elsewhere)).toMatchObject({ kind: 'done' });
    expect(h.audit().map((row) => [row.incidentId, row.outcome])).toEqual([
      ['42', 'ok'],
      ['43', 'ok'],
    ]);
  });
});
